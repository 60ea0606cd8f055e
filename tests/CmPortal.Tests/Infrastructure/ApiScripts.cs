using System.Net.Http.Headers;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

/// <summary>The public API as a script (n8n, a spreadsheet) calls it: a personal access token and a client without cookies.</summary>
public static class ApiScripts
{
    /// <summary>Makes a personal access token for a user in one workspace, as the account page would, and returns its secret.</summary>
    public static Task<string> CreateTokenAsync(this PortalHost host, string email, string workspace, string name = "script") =>
        host.InScopeAsync(async services =>
        {
            var user = await services.GetRequiredService<CoreDbContext>().Users.SingleAsync(u => u.Email == email);
            var outcome = await services.GetRequiredService<AccessTokenService>().CreateAsync(user.Id, new AccessTokenRequest(name, workspace));
            Assert.Empty(outcome.Problems);
            return outcome.Secret!;
        });

    /// <summary>An HTTP client as a script is: no cookie, no redirect followed, only the bearer token (if any).</summary>
    public static HttpClient Script(this PortalHost host, string? token, string? language = null)
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = host.BaseAddress };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }
}
