using System.Net;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>The key dates page: add, edit and delete a date, see the confirmation, and see the change where it shows.</summary>
public sealed class KeyDatesAdminTests
{
    private const string List = "/admin/maison-lumen/key-dates";
    private const string Feed = "/maison-lumen/key-dates.ics";

    private static Task<KeyDate?> FindAsync(PortalHost host, string slug) => host.InScopeAsync(services =>
        services.GetRequiredService<KeyDatesDbContext>().KeyDates.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(k => k.Slug == slug));

    [Fact]
    public async Task A_key_date_is_added_private_published_by_an_edit_and_deleted_each_time_with_its_confirmation()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        using var visitor = host.CreateClient();

        // Added from the empty form, not public yet.
        var added = await PageForm.Parse(await admin.GetStringAsync(List + "/new"))
            .Set("Title", "Portes ouvertes d’automne").Set("Id", "portes-ouvertes-automne")
            .Set("Start", "2027-10-16").Set("End", "2027-10-17").Set("Category", "Brand")
            .SubmitAsync(admin);
        var page = await admin.AssertRedirectWithMessageAsync(added, List, "Temps fort «\u00a0Portes ouvertes d’automne\u00a0» ajouté.");
        Assert.Contains("data-id=\"portes-ouvertes-automne\"", page);
        var stored = await FindAsync(host, "portes-ouvertes-automne");
        Assert.NotNull(stored);
        Assert.Equal((new DateOnly(2027, 10, 16), new DateOnly(2027, 10, 17), KeyDateCategory.Brand, false),
            (stored.Start, stored.End, stored.Category, stored.IsPublic));
        Assert.DoesNotContain("portes-ouvertes-automne", await visitor.GetStringAsync(Feed));

        // Edited from its own form, reached from the list: renamed and made public, it joins the feed.
        var edit = PageForm.Parse(await admin.GetStringAsync($"{List}/{stored.Id}/edit"));
        Assert.Equal("portes-ouvertes-automne", edit["Id"]);
        var edited = await edit.Set("Title", "Portes ouvertes de l’atelier").Check("IsPublic").SubmitAsync(admin);
        await admin.AssertRedirectWithMessageAsync(edited, List, "Temps fort «\u00a0Portes ouvertes de l’atelier\u00a0» enregistré.");
        stored = await FindAsync(host, "portes-ouvertes-automne");
        Assert.Equal(("Portes ouvertes de l’atelier", true), (stored!.Title, stored.IsPublic));
        Assert.Contains("UID:portes-ouvertes-automne@maison-lumen.cmportal", await visitor.GetStringAsync(Feed));

        // Deleted with the list's button: gone from the database, the list and the feed.
        var deleted = await PageForm.Parse(await admin.GetStringAsync(List), $"form[action='{List}/{stored.Id}/delete']").SubmitAsync(admin);
        page = await admin.AssertRedirectWithMessageAsync(deleted, List, "Temps fort «\u00a0Portes ouvertes de l’atelier\u00a0» supprimé.");
        Assert.Null(await FindAsync(host, "portes-ouvertes-automne"));
        Assert.DoesNotContain("portes-ouvertes-automne", page);
        Assert.DoesNotContain("portes-ouvertes-automne", await visitor.GetStringAsync(Feed));
        // The other dates are still there.
        Assert.NotNull(await FindAsync(host, "fete-des-meres"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{List}/{stored.Id}/edit")).StatusCode);
    }

    [Fact]
    public async Task A_yearly_key_date_stored_for_a_later_year_is_listed_at_its_next_days_as_the_calendar_shows_it()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        // Ten days from now (Paris), stored two years later (as a recipe written for another year leaves it).
        var soon = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeBySystemTimeZoneId(DateTime.UtcNow, "Europe/Paris")).AddDays(10);
        if (soon is { Month: 2, Day: 29 }) soon = soon.AddDays(1); // a day every year has
        var stored = new DateOnly(soon.Year + 2, soon.Month, soon.Day);
        await host.InWorkspaceAsync("maison-lumen", async s =>
        {
            var db = s.GetRequiredService<KeyDatesDbContext>();
            var date = await db.KeyDates.SingleAsync(k => k.Slug == "fete-des-meres");
            (date.Start, date.End, date.RecursYearly) = (stored, stored, true);
            await db.SaveChangesAsync();
            return 0;
        });
        using var admin = await host.SignInAsync();

        var row = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await admin.GetStringAsync(List)).QuerySelector("tr[data-id='fete-des-meres']")!;

        var expected = CmPortal.Core.Localization.PortalValues.Date(soon, new System.Globalization.CultureInfo("fr-FR"));
        Assert.Contains(expected, row.TextContent);
        Assert.DoesNotContain((soon.Year + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), row.TextContent);
    }

    [Fact]
    public async Task A_key_date_ending_before_it_starts_is_refused_with_both_dates_written_the_page_languages_way()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        PageForm Form(string html) => PageForm.Parse(html).Set("Title", "Salon Maison & Objet").Set("Id", "salon-maison-objet")
            .Set("Start", "2026-11-30").Set("End", "2026-11-28").Set("Category", "Event");

        var french = await Form(await admin.GetStringAsync(List + "/new")).SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, french.StatusCode);
        Assert.Equal(["La fin (28\u00a0novembre\u00a02026) précède le début (30\u00a0novembre\u00a02026). Donnez une fin identique ou postérieure au début."],
            FieldErrors(await french.Content.ReadAsStringAsync(), "End"));

        await admin.PostFormAsync("/account/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/admin" });
        var english = await Form(await admin.GetStringAsync(List + "/new")).SubmitAsync(admin);
        Assert.Equal(["The end (November\u00a028,\u00a02026) is before the start (November\u00a030,\u00a02026). Give an end on or after the start."],
            FieldErrors(await english.Content.ReadAsStringAsync(), "End"));
        Assert.Null(await FindAsync(host, "salon-maison-objet"));
    }

    [Fact]
    public async Task The_key_dates_list_writes_its_dates_in_words_in_the_page_language()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var added = await PageForm.Parse(await admin.GetStringAsync(List + "/new"))
            .Set("Title", "Marché de Noël de l’atelier").Set("Id", "marche-de-noel-atelier").Set("Start", "2026-12-01").Set("End", "2026-12-08").Set("Category", "Event")
            .SubmitAsync(admin);
        var french = await admin.AssertRedirectWithMessageAsync(added, List, "Temps fort «\u00a0Marché de Noël de l’atelier\u00a0» ajouté.");
        Assert.Equal("1er\u00a0décembre\u00a02026 – 8\u00a0décembre\u00a02026", DatesOf(french, "marche-de-noel-atelier"));
        Assert.Equal("01/12/2026 – 08/12/2026", DatesOf(french, "marche-de-noel-atelier", onPhone: true)); // in figures, a phone's column

        await admin.PostFormAsync("/account/language", new() { ["culture"] = "en-US", ["returnUrl"] = "/admin" });
        var english = await admin.GetStringAsync(List);
        Assert.Equal("December\u00a01,\u00a02026 – December\u00a08,\u00a02026", DatesOf(english, "marche-de-noel-atelier"));
        Assert.Equal("12/1/2026 – 12/8/2026", DatesOf(english, "marche-de-noel-atelier", onPhone: true));
    }

    /// <summary>The "Dates" cell of a key date's row in the list as a wide screen shows it (or a phone), whitespace collapsed.</summary>
    private static string DatesOf(string html, string slug, bool onPhone = false) =>
        System.Text.RegularExpressions.Regex.Replace(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html)
            .QuerySelector($"tr[data-id='{slug}'] td span.{(onPhone ? "d-md-none" : "d-md-inline")}")!.TextContent.Trim(), @"[ \n]+", " ");

    /// <summary>The messages shown under a form field, as a person reads them.</summary>
    private static List<string> FieldErrors(string html, string field) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelectorAll($"[data-valmsg-for='{field}']")
            .Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).ToList();

    [Fact]
    public async Task A_key_date_whose_id_is_taken_is_refused_on_its_form_and_nothing_is_stored()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();
        var before = await DatabaseSnapshot.ContentAsync(host);

        var refused = await PageForm.Parse(await admin.GetStringAsync(List + "/new"))
            .Set("Title", "Encore la fête").Set("Id", "fete-des-meres").Set("Start", "2027-05-30").Set("End", "2027-05-30")
            .SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Un autre temps fort utilise déjà l’identifiant «\u00a0fete-des-meres\u00a0». Choisissez-en un autre.",
            WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }
}
