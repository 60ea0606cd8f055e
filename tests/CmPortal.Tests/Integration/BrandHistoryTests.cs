using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// The history of the editorial line and the graphic charter reads as a brand team speaks: field labels,
/// old → new values formatted for the language, grouped by section, and who saved by their name.
/// </summary>
public sealed partial class BrandIdentityTests
{
    [Fact]
    public async Task A_pillar_share_change_reads_as_label_old_and_new_percent_with_the_authors_name_even_after_the_account_is_gone()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("claire@maison-lumen.test", Key, DefaultRoles.BrandManager);
        await RenameAsync(host, "claire@maison-lumen.test", "Claire Dubois");
        using var claire = await host.SignInAsync("claire@maison-lumen.test", MemberHostExtensions.MemberPassword);

        // Savoir-faire & atelier goes from 30 % to 25 %, Engagement from 10 % to 15 %; a tone word is swapped.
        var form = HtmlForm.Parse(await claire.GetStringAsync(LineEditor), "editorial-line-form");
        Assert.Equal(("Savoir-faire & atelier", "30", "Engagement", "10"), (form["Pillars[0].Name"], form["Pillars[0].Share"], form["Pillars[3].Name"], form["Pillars[3].Share"]));
        form.Set("Pillars[0].Share", "25").Set("Pillars[3].Share", "15");
        await AssertSavedAsync(claire.Http.PostAsync(LineEditor, form.Content()), LineEditor);

        var html = await claire.GetStringAsync(LineEditor + "/history");
        var rows = HistoryRows(html);
        Assert.Equal([2, 1], rows.Select(r => r.Version));
        Assert.Contains("par Claire Dubois.", rows[0].Text);
        Assert.DoesNotContain("claire@maison-lumen.test", html);
        // The exact words, with the French non-breaking spaces before ":" and "%".
        var document = Seen(html);
        var first = document.QuerySelector("#history > li[data-version='2'] .history-change")!.TextContent;
        Assert.Equal("Part du pilier Savoir-faire & atelier\u00a0: 30\u00a0% → 25\u00a0%", System.Text.RegularExpressions.Regex.Replace(first, "[ \t\r\n]+", " ").Trim());
        Assert.Equal(["Part du pilier Savoir-faire & atelier : 30 % → 25 %", "Part du pilier Engagement : 10 % → 15 %"], rows[0].Lines);
        // Grouped under their section, named in words.
        var section = document.QuerySelector("#history > li[data-version='2'] .history-section")!;
        Assert.Equal("Piliers de contenu", section.QuerySelector("h3")!.TextContent.Trim());
        Assert.Contains("Première version.", rows[1].Text);

        // The version's own page says the same.
        var version = HistoryRowsOf(await claire.GetStringAsync(LineEditor + "/history/2"));
        Assert.Contains("Part du pilier Savoir-faire & atelier : 30 % → 25 %", version);

        // In English, the labels and the numbers are English.
        await claire.PostFormAsync("/account/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/admin" }, "/admin");
        var english = HistoryRows(await claire.GetStringAsync(LineEditor + "/history"));
        Assert.Equal("Share of the Savoir-faire & atelier pillar: 30% → 25%", english[0].Lines[0]);
        Assert.Contains("by Claire Dubois.", english[0].Text);

        // Once the account is deleted, the history neither shows the e-mail nor breaks.
        await host.InScopeAsync(async services =>
        {
            var core = services.GetRequiredService<CoreDbContext>();
            var user = await core.Users.SingleAsync(u => u.Email == "claire@maison-lumen.test");
            core.Memberships.RemoveRange(core.Memberships.Where(m => m.UserId == user.Id));
            core.Sessions.RemoveRange(core.Sessions.Where(s => s.UserId == user.Id));
            core.Users.Remove(user);
            await core.SaveChangesAsync();
        });
        using var admin = await host.SignInAsync();
        var after = await admin.GetStringAsync(LineEditor + "/history");
        Assert.Contains("par Ancien membre.", HistoryRows(after)[0].Text);
        Assert.DoesNotContain("claire@", after);
    }

    [Fact]
    public async Task A_graphic_charter_change_shows_colours_with_swatches_and_a_new_colour_as_added()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var form = HtmlForm.Parse(await admin.GetStringAsync(CharterEditor), "graphic-charter-form");
        var primary = Enumerable.Range(0, 20).First(i => form[$"Palette[{i}].Role"] == "Primary");
        var name = form[$"Palette[{primary}].Name"];
        var free = Enumerable.Range(0, 40).First(i => form[$"Palette[{i}].Name"] is null or "");
        form.Set($"Palette[{primary}].Hex", "#123456")
            .Set($"Palette[{free}].Name", "Lavande").Set($"Palette[{free}].Hex", "#b497d6").Set($"Palette[{free}].Role", "Other");
        await AssertSavedAsync(admin.Http.PostAsync(CharterEditor, form.Content()), CharterEditor);

        var html = await admin.GetStringAsync(CharterEditor + "/history");
        var rows = HistoryRows(html);
        Assert.Contains($"Couleur {name} : #", rows[0].Lines[0]);
        Assert.EndsWith("→ #123456", rows[0].Lines[0]);
        Assert.Contains("Ajout Couleur Lavande : #B497D6", rows[0].Lines);
        var entry = Seen(html).QuerySelector("#history > li[data-version='2']")!;
        Assert.Equal("Palette", entry.QuerySelector(".history-section h3")!.TextContent.Trim());
        Assert.Contains("background:#123456", entry.QuerySelector("ins .history-swatch")!.GetAttribute("style"));
        Assert.Contains("background:#b497d6", entry.QuerySelector("[data-kind='Added'] .history-swatch")!.GetAttribute("style"));
    }

    private static List<string> HistoryRowsOf(string html) =>
        Seen(html).QuerySelectorAll(".history-change").Select(c => Plain(c.TextContent)).ToList();

    private static Task RenameAsync(PortalHost host, string email, string displayName) =>
        host.InScopeAsync(async services =>
        {
            var core = services.GetRequiredService<CoreDbContext>();
            var user = await core.Users.SingleAsync(u => u.Email == email);
            user.DisplayName = displayName;
            await core.SaveChangesAsync();
        });
}
