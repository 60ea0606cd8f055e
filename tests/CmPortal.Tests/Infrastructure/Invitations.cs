using System.Net;
using System.Text.RegularExpressions;

namespace CmPortal.Tests.Infrastructure;

public static partial class InvitationSteps
{
    [GeneratedRegex("id=\"invitation-url\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex InvitationUrl();

    /// <summary>Invites the address from the workspace's Members page and returns the link the page shows (once).</summary>
    public static async Task<string> InviteAsync(this PortalClient manager, string workspace, string email, Guid roleId, string? displayName = null) =>
        (await manager.InviteShowingAsync(workspace, email, roleId, displayName)).Link;

    /// <summary>Invites the address and returns the link and the members page that showed it, with its message.</summary>
    public static async Task<(string Link, string Page)> InviteShowingAsync(this PortalClient manager, string workspace, string email, Guid roleId, string? displayName = null)
    {
        var response = await manager.PostFormAsync($"/admin/{workspace}/members",
            new() { ["Email"] = email, ["RoleId"] = roleId.ToString(), ["DisplayName"] = displayName ?? "" }, $"/admin/{workspace}/members");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin/{workspace}/members", response.Headers.Location?.OriginalString);
        var page = await manager.GetStringAsync($"/admin/{workspace}/members");
        var link = InvitationUrl().Match(page);
        Assert.True(link.Success, "The members page shows no invitation link after inviting " + email);
        return (WebUtility.HtmlDecode(link.Groups[1].Value), page);
    }

    /// <summary>Opens the link as the invited person and joins with this name and password; returns their signed-in client.</summary>
    public static async Task<PortalClient> AcceptAsync(this PortalHost host, string link, string displayName, string password)
    {
        var path = new Uri(new Uri("http://portal"), link).PathAndQuery;
        var invited = host.CreateClient();
        var response = await invited.PostFormAsync(path, new() { ["DisplayName"] = displayName, ["Password"] = password, ["ConfirmPassword"] = password }, path);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Joining with {link} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return invited;
    }
}
