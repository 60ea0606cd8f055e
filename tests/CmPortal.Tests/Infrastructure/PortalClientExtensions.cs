using System.Net;

namespace CmPortal.Tests.Infrastructure;

public static class PortalClientExtensions
{
    /// <summary>
    /// Sends a form with any method, with the user's antiforgery token as a browser's form would carry it
    /// (taken from the sign-in page, which gives one to anyone). GET sends no form.
    /// </summary>
    public static async Task<HttpResponseMessage> SendFormAsync(this PortalClient client, string method, string path, Dictionary<string, string> fields)
    {
        if (method == "GET") return await client.GetAsync(path);
        var page = await (await client.GetAsync("/account/login")).Content.ReadAsStringAsync();
        var token = PortalHost.AntiforgeryField().Match(page);
        var form = new List<KeyValuePair<string, string>>(fields);
        if (token.Success) form.Add(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
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
