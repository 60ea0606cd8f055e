using System.Net;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Publishing.Mastodon;

/// <summary>Connecting a Mastodon account from the portal through the instance's OAuth flow, over HTTP end to end.</summary>
public sealed class MastodonConnectTests
{
    private static async Task<PortalHost> StartAsync()
    {
        var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        using var admin = await host.SignInAsync();
        var enabled = await admin.PostFormAsync("/admin/alpha/modules/Publishing/enable", []);
        Assert.Equal(HttpStatusCode.Redirect, enabled.StatusCode);
        return host;
    }

    /// <summary>
    /// Posts the instance's address; the portal answers a page whose link leads to the instance's authorization page
    /// (a link, not a redirect: the portal's CSP has form-action 'self').
    /// </summary>
    internal static async Task<Uri> AuthorizeLinkAsync(PortalClient admin, MastodonTestServer mastodon)
    {
        var start = await admin.PostFormAsync("/admin/alpha/channels/mastodon/connect", new() { ["InstanceUrl"] = mastodon.BaseAddress.ToString() });
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var page = await start.Content.ReadAsStringAsync();
        Assert.Contains($"Le portail est enregistré sur {mastodon.Authority}.", page);
        var link = System.Text.RegularExpressions.Regex.Match(page, "href=\"([^\"]+)\" rel=\"noreferrer\" data-authorize");
        Assert.True(link.Success, page);
        return new Uri(WebUtility.HtmlDecode(link.Groups[1].Value));
    }

    [Fact]
    public async Task A_member_connects_a_Mastodon_account_through_the_instance_s_authorization_page()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        mastodon.AddAccount("lumen");
        await using var host = await StartAsync();
        using var admin = await host.SignInAsync();
        var form = await admin.GetStringAsync("/admin/alpha/channels/mastodon/connect");
        Assert.Contains("Adresse de l’instance Mastodon", form);

        // 1. The portal registers itself on the instance and sends the member to its authorization page.
        var authorize = await AuthorizeLinkAsync(admin, mastodon);
        Assert.StartsWith($"{mastodon.BaseAddress}oauth/authorize?", authorize.ToString());
        var app = Assert.Single(mastodon.Apps);
        var callback = $"{host.BaseAddress.ToString().TrimEnd('/')}/admin/alpha/channels/mastodon/callback";
        Assert.Equal(new[] { callback }, app.RedirectUris);
        Assert.Equal(new[] { "read", "write:statuses", "write:media" }, app.Scopes);
        Assert.Contains("lang=fr", authorize.Query);

        // 2. The instance approves and sends the member back with a code and the state.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var approved = await browser.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var back = approved.Headers.Location!;
        Assert.StartsWith(callback + "?code=", back.ToString());

        // 3. The portal exchanges the code for a token and checks the account.
        var page = await admin.GetStringAsync(back.PathAndQuery);
        Assert.Contains("Compte Mastodon connecté", page);
        Assert.Contains($"@lumen@{mastodon.Authority}", page);
        Assert.Contains("500\u00a0caractères par post", page);
        Assert.Equal(1, mastodon.Count("POST /oauth/token"));
        Assert.Equal(1, mastodon.Count("GET /api/v1/accounts/verify_credentials"));

        // The code was used once: replaying the callback is refused by the instance.
        var replay = await admin.GetStringAsync(back.PathAndQuery);
        Assert.Contains("a refusé le code d’autorisation", replay);
    }

    [Fact]
    public async Task A_callback_with_an_altered_state_or_from_another_workspace_is_refused_without_calling_the_instance()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        mastodon.AddAccount("lumen");
        await using var host = await StartAsync();
        using var admin = await host.SignInAsync();
        var state = System.Web.HttpUtility.ParseQueryString((await AuthorizeLinkAsync(admin, mastodon)).Query)["state"]!;

        var altered = await admin.GetStringAsync($"/admin/alpha/channels/mastodon/callback?code=x&state={Uri.EscapeDataString(state[..^4] + "AAAA")}");
        Assert.Contains("Cette autorisation n’est pas valable ou a expiré", altered);
        var none = await admin.GetStringAsync("/admin/alpha/channels/mastodon/callback?code=x");
        Assert.Contains("Cette autorisation n’est pas valable ou a expiré", none);
        Assert.Equal(0, mastodon.Count("POST /oauth/token"));

        // The member said no on the instance: it comes back with error=access_denied and a good state.
        var denied = await admin.GetStringAsync($"/admin/alpha/channels/mastodon/callback?error=access_denied&state={Uri.EscapeDataString(state)}");
        Assert.Contains($"L’instance {mastodon.Authority} n’a pas autorisé le portail\u00a0: la connexion a été annulée.", WebUtility.HtmlDecode(denied));
        Assert.Equal(0, mastodon.Count("POST /oauth/token"));
    }

    [Fact]
    public async Task An_instance_address_in_clear_http_or_unreachable_is_refused_on_the_form_in_French()
    {
        await using var host = await StartAsync();
        using var admin = await host.SignInAsync();

        var http = await admin.PostFormAsync("/admin/alpha/channels/mastodon/connect", new() { ["InstanceUrl"] = "http://mastodon.example" });
        Assert.Equal(HttpStatusCode.OK, http.StatusCode);
        Assert.Contains("L’adresse de l’instance doit commencer par https://", await http.Content.ReadAsStringAsync());

        var port = MastodonNetworkTests.ClosedPort();
        var gone = await admin.PostFormAsync("/admin/alpha/channels/mastodon/connect", new() { ["InstanceUrl"] = $"http://127.0.0.1:{port}" });
        Assert.Contains($"L’instance 127.0.0.1:{port} est injoignable", await gone.Content.ReadAsStringAsync());
    }
}
