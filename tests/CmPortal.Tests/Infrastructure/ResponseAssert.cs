using System.Net;
using AngleSharp.Html.Parser;

namespace CmPortal.Tests.Infrastructure;

/// <summary>
/// What a user sees after a form: where the portal sends them, and the message it shows there.
/// A 302 alone proves little (the sign-in page and the "access denied" page are redirects too).
/// </summary>
public static class ResponseAssert
{
    /// <summary>Asserts a 302 to exactly <paramref name="expected"/> (path and query) and returns it.</summary>
    public static string AssertRedirect(HttpResponseMessage response, string expected)
    {
        var location = Location(response);
        if (response.StatusCode != HttpStatusCode.Redirect || location != expected)
            throw new Xunit.Sdk.XunitException(
                $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode}" +
                (location is null ? "" : $" to {location}") + $", expected a redirect to {expected}." + Environment.NewLine + Excerpt(response));
        return location;
    }

    /// <summary>
    /// Asserts the redirect, follows it with the same client, and asserts the page shows <paramref name="message"/>
    /// as its confirmation (the admin layout's success alert). Returns the page.
    /// </summary>
    public static Task<string> AssertRedirectWithMessageAsync(this PortalClient client, HttpResponseMessage response, string expected, string message) =>
        FollowAsync(client, response, expected, "main .alert-success[role=status]", message);

    /// <summary>As <see cref="AssertRedirectWithMessageAsync"/>, for a refusal shown as the admin layout's error alert.</summary>
    public static Task<string> AssertRedirectWithErrorAsync(this PortalClient client, HttpResponseMessage response, string expected, string error) =>
        FollowAsync(client, response, expected, "main .alert-danger[role=alert]", error);

    private static async Task<string> FollowAsync(PortalClient client, HttpResponseMessage response, string expected, string selector, string text)
    {
        var location = AssertRedirect(response, expected);
        var page = await client.GetAsync(location);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {location} after the redirect answered {(int)page.StatusCode}.");
        var shown = new HtmlParser().ParseDocument(html).QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToList();
        if (!shown.Contains(text))
            throw new Xunit.Sdk.XunitException($"{location} does not show \"{text}\" ({selector}); it shows: " +
                (shown.Count == 0 ? "nothing" : string.Join(" / ", shown.Select(s => $"\"{s}\""))));
        return html;
    }

    private static string? Location(HttpResponseMessage response) => response.Headers.Location switch
    {
        null => null,
        { IsAbsoluteUri: true } uri => uri.PathAndQuery,
        var uri => uri.OriginalString,
    };

    private static string Excerpt(HttpResponseMessage response)
    {
        var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return body.Length <= 600 ? body : body[..600] + "…";
    }
}
