using System.Diagnostics;
using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>Sessions end when they should, at once, and a stolen cookie of an ended session opens nothing.</summary>
public sealed class SessionTests
{
    private const string AuthCookie = ".CmPortal.Auth";
    private const string Member = "cm@maison-lumen.test";

    /// <summary>What /admin answers to a request carrying only this sign-in cookie (as an attacker replaying it would).</summary>
    private static async Task<HttpStatusCode> AdminWithCookieAsync(PortalHost host, string cookie)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/maison-lumen");
        request.Headers.Add("Cookie", $"{AuthCookie}={cookie}");
        return (await http.SendAsync(request)).StatusCode;
    }

    private static async Task<PortalHost> StartWithMemberAsync(IDictionary<string, string?>? settings = null)
    {
        var host = await PortalHost.StartAsync(settings: settings);
        await host.SetUpAsync();
        await host.AddMemberAsync(Member, "maison-lumen", DefaultRoles.CommunityManager);
        return host;
    }

    private static Task<Guid> MemberIdAsync(PortalHost host) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == Member).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task Signing_out_makes_the_old_cookie_useless()
    {
        await using var host = await StartWithMemberAsync();
        using var member = await host.SignInAsync(Member, MemberHostExtensions.MemberPassword);
        var cookie = member.Cookie(AuthCookie)!;
        Assert.Equal(HttpStatusCode.OK, await AdminWithCookieAsync(host, cookie));

        var signOut = await member.PostFormAsync("/account/logout", [], "/admin");
        Assert.Equal("/account/login", signOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, await AdminWithCookieAsync(host, cookie)); // to the sign-in page
    }

    [Fact]
    public async Task Changing_the_password_ends_the_other_sessions_and_keeps_this_one()
    {
        await using var host = await StartWithMemberAsync();
        using var laptop = await host.SignInAsync(Member, MemberHostExtensions.MemberPassword);
        using var phone = await host.SignInAsync(Member, MemberHostExtensions.MemberPassword);
        var phoneCookie = phone.Cookie(AuthCookie)!;

        var changed = await laptop.PostFormAsync("/account/password", new()
            { ["CurrentPassword"] = MemberHostExtensions.MemberPassword, ["NewPassword"] = "bougie-parfum-9", ["ConfirmPassword"] = "bougie-parfum-9" }, "/account/password");
        Assert.Equal("/admin", changed.Headers.Location?.OriginalString);
        Assert.Contains("Votre mot de passe est changé", await laptop.GetStringAsync("/admin"));

        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/admin/maison-lumen")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/admin/maison-lumen")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, await AdminWithCookieAsync(host, phoneCookie));
    }

    [Fact]
    public async Task A_password_reset_or_a_lock_by_the_host_administrator_ends_every_session_of_the_user_at_once()
    {
        await using var host = await StartWithMemberAsync();
        using var admin = await host.SignInAsync();
        var id = await MemberIdAsync(host);

        using var first = await host.SignInAsync(Member, MemberHostExtensions.MemberPassword);
        await admin.PostFormAsync($"/admin/users/{id}/password", new() { ["password"] = "temporaire-2027" }, "/admin/users");
        Assert.Contains("/account/login?", (await first.GetAsync("/admin/maison-lumen")).Headers.Location?.OriginalString);

        using var second = await host.SignInAsync(Member, "temporaire-2027");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/account/password")).StatusCode); // signed in, asked to choose a password
        var locked = await admin.PostFormAsync($"/admin/users/{id}/lock", [], "/admin/users");
        Assert.Equal("/admin/users", locked.Headers.Location?.OriginalString);
        Assert.Contains("est bloqué et déconnecté partout", await admin.GetStringAsync("/admin/users"));
        Assert.Contains("/account/login?", (await second.GetAsync("/account/password")).Headers.Location?.OriginalString);
        using (var client = host.CreateClient())
            Assert.Equal(HttpStatusCode.OK, (await client.PostFormAsync("/account/login", new() { ["Email"] = Member, ["Password"] = "temporaire-2027" })).StatusCode);

        await admin.PostFormAsync($"/admin/users/{id}/unlock", [], "/admin/users");
        using var third = await host.SignInAsync(Member, "temporaire-2027");
        Assert.Equal(HttpStatusCode.OK, (await third.GetAsync("/account/password")).StatusCode);
    }

    [Fact]
    public async Task Unknown_account_wrong_password_and_locked_account_get_the_same_answer_in_about_the_same_time()
    {
        await using var host = await StartWithMemberAsync(new Dictionary<string, string?> { ["Security:SignInRateLimit:PermitLimit"] = "1000" });
        using var client = host.CreateClient();
        async Task<(string Body, double Ms)> AttemptAsync(string email, string password)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.PostFormAsync("/account/login", new() { ["Email"] = email, ["Password"] = password });
            watch.Stop();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            return (System.Text.RegularExpressions.Regex.Match(body, "role=\"alert\"[^>]*>(.*?)</").Groups[1].Value, watch.Elapsed.TotalMilliseconds);
        }

        await AttemptAsync("nobody@maison-lumen.test", "warm-up-password"); // the first hash of a process pays for its warm-up
        var unknown = new List<(string Body, double Ms)>();
        var wrong = new List<(string Body, double Ms)>();
        for (var i = 0; i < 4; i++)
        {
            unknown.Add(await AttemptAsync($"nobody{i}@maison-lumen.test", "some-password-1"));
            wrong.Add(await AttemptAsync(PortalHost.AdminEmail, $"wrong-password-{i}")); // the administrator: 4 failures, not locked
        }
        for (var i = 0; i < 5; i++) await AttemptAsync(Member, "wrong-password-0");
        var locked = new List<(string Body, double Ms)>();
        for (var i = 0; i < 4; i++) locked.Add(await AttemptAsync(Member, MemberHostExtensions.MemberPassword));

        var message = wrong[0].Body;
        Assert.Contains("ou compte bloqué", message);
        Assert.All(unknown.Concat(wrong).Concat(locked), a => Assert.Equal(message, a.Body));
        // Without a stand-in hash an unknown or locked account answers many times faster than a wrong password.
        static double Median(List<(string Body, double Ms)> list) => list.Select(a => a.Ms).Order().ElementAt(list.Count / 2);
        Assert.True(Median(unknown) > Median(wrong) * 0.4, $"unknown account {Median(unknown):0} ms vs wrong password {Median(wrong):0} ms");
        Assert.True(Median(locked) > Median(wrong) * 0.4, $"locked account {Median(locked):0} ms vs wrong password {Median(wrong):0} ms");
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_from_one_address_answer_429_until_the_window_ends()
    {
        await using var host = await StartWithMemberAsync(new Dictionary<string, string?> { ["Security:SignInRateLimit:PermitLimit"] = "3" });
        using var client = host.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.PostFormAsync("/account/login", new() { ["Email"] = Member, ["Password"] = "guess-" + i })).StatusCode);

        var refused = await client.PostFormAsync("/account/login", new() { ["Email"] = Member, ["Password"] = MemberHostExtensions.MemberPassword });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("60", refused.Headers.GetValues("Retry-After").Single());
        Assert.Contains("Trop de tentatives depuis votre adresse", await refused.Content.ReadAsStringAsync());
        // The guesses were refused before reaching the account: it is not locked by them.
        Assert.Equal(3, await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == Member).Select(u => u.AccessFailedCount).SingleAsync()));
    }

    [Fact]
    public async Task The_setup_page_is_rate_limited_too()
    {
        await using var host = await PortalHost.StartAsync(settings: new Dictionary<string, string?> { ["Security:SignInRateLimit:PermitLimit"] = "2" });
        using var client = host.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            statuses.Add((await client.PostFormAsync("/setup", new() { ["AdminEmail"] = "not-an-email", ["AdminPassword"] = "x", ["Recipe"] = "blank.recipe.json" })).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
