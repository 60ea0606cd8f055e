using System.Net;

namespace CmPortal.Tests.Infrastructure;

public static class PortalClientExtensions
{
    /// <summary>The user's antiforgery token, as the sign-in page gives it to anyone (signed in or not).</summary>
    public static async Task<string> AntiforgeryTokenAsync(this PortalClient client)
    {
        var page = await (await client.GetAsync("/account/login")).Content.ReadAsStringAsync();
        var token = PortalHost.AntiforgeryField().Match(page);
        if (!token.Success) throw new InvalidOperationException("The sign-in page carries no antiforgery token.");
        return WebUtility.HtmlDecode(token.Groups[1].Value);
    }

    /// <summary>
    /// Sends a form with any method, with the user's antiforgery token as a browser's form would carry it
    /// (<paramref name="token"/>, or one read from the sign-in page). GET sends no form.
    /// </summary>
    public static async Task<HttpResponseMessage> SendFormAsync(this PortalClient client, string method, string path, Dictionary<string, string> fields, string? token = null)
    {
        if (method == "GET") return await client.GetAsync(path);
        var form = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", token ?? await client.AntiforgeryTokenAsync()) };
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new FormUrlEncodedContent(form) };
        return await client.Http.SendAsync(request);
    }

    /// <summary>The same request with no antiforgery token (what a page of another site could make a browser send).</summary>
    public static async Task<HttpResponseMessage> SendWithoutTokenAsync(this PortalClient client, string method, string path, IEnumerable<KeyValuePair<string, string>>? fields = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET") request.Content = new FormUrlEncodedContent(fields ?? []);
        return await client.Http.SendAsync(request);
    }
}
