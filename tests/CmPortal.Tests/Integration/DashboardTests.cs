using System.Net;
using System.Text.RegularExpressions;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>The workspace dashboard shows what needs attention, with cards from the modules that are on.</summary>
public sealed class DashboardTests
{
    private static string Card(string page, string title) =>
        Regex.Match(page, $"<section class=\"card[^\"]*\" data-card=\"{Regex.Escape(title)}\".*?</section>", RegexOptions.Singleline) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Value) : throw new Xunit.Sdk.XunitException($"The dashboard has no card \"{title}\".");

    [Fact]
    public async Task The_dashboard_shows_upcoming_key_dates_the_charter_state_contrast_and_invitations_waiting()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        await host.InScopeAsync(async s =>
        {
            // A key date ten days from now, whatever the day the test runs.
            var db = s.GetRequiredService<CmPortal.Modules.KeyDates.Data.KeyDatesDbContext>();
            var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10);
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE KeyDates_KeyDates SET Start = {day}, \"End\" = {day} WHERE Slug = (SELECT Slug FROM KeyDates_KeyDates ORDER BY Slug LIMIT 1)");
        });
        var soon = await host.InScopeAsync(s => s.GetRequiredService<CmPortal.Modules.KeyDates.Data.KeyDatesDbContext>().KeyDates
            .IgnoreQueryFilters().OrderBy(k => k.Slug).Select(k => k.Title).FirstAsync());

        var page = await admin.GetStringAsync("/admin/maison-lumen");
        Assert.Contains(soon, Card(page, "Upcoming key dates"));
        Assert.Contains("La version 1 est publique depuis le", Card(page, "Community charter"));
        Assert.Contains("Chaque paire de couleurs de texte respecte le contraste WCAG AA.", Card(page, "Graphic charter"));
        Assert.DoesNotContain("data-card=\"Members\"", page);

        var analyst = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Roles.Where(r => r.Name == DefaultRoles.Analyst).Select(r => r.Id).FirstAsync());
        await admin.InviteAsync("maison-lumen", "lea@maison-lumen.test", analyst);
        page = await admin.GetStringAsync("/admin/maison-lumen");
        var members = Card(page, "Members");
        Assert.Contains("1 invitation en attente de réponse\u00a0: lea@maison-lumen.test.", members);
        Assert.Contains("data-attention=\"true\"", members);
        Assert.Contains("href=\"/admin/maison-lumen/members\"", members);
        // What needs attention comes first.
        Assert.True(page.IndexOf("data-card=\"Members\"", StringComparison.Ordinal) < page.IndexOf("data-card=\"Upcoming key dates\"", StringComparison.Ordinal));

        // An analyst sees the cards, not the invitations, and no link to pages their role cannot open.
        await host.AddMemberAsync("analyste@maison-lumen.test", "maison-lumen", DefaultRoles.Analyst);
        using var reader = await host.SignInAsync("analyste@maison-lumen.test", MemberHostExtensions.MemberPassword);
        var theirs = await reader.GetStringAsync("/admin/maison-lumen");
        Assert.DoesNotContain("data-card=\"Members\"", theirs);
        Assert.DoesNotContain("href=\"/admin/maison-lumen/brand/graphic-charter\"", Card(theirs, "Graphic charter"));
        Assert.Contains("href=\"/admin/maison-lumen/key-dates\"", Card(theirs, "Upcoming key dates"));
    }
}
