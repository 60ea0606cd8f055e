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
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();
        using var visitor = host.CreateClient();

        // Added from the empty form, not public yet.
        var added = await PageForm.Parse(await admin.GetStringAsync(List + "/new"))
            .Set("Title", "Portes ouvertes d’automne").Set("Id", "portes-ouvertes-automne")
            .Set("Start", "2027-10-16").Set("End", "2027-10-17").Set("Category", "Brand")
            .SubmitAsync(admin);
        var page = await admin.AssertRedirectWithMessageAsync(added, List, "Temps fort « Portes ouvertes d’automne » ajouté.");
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
        await admin.AssertRedirectWithMessageAsync(edited, List, "Temps fort « Portes ouvertes de l’atelier » enregistré.");
        stored = await FindAsync(host, "portes-ouvertes-automne");
        Assert.Equal(("Portes ouvertes de l’atelier", true), (stored!.Title, stored.IsPublic));
        Assert.Contains("UID:portes-ouvertes-automne@maison-lumen.cmportal", await visitor.GetStringAsync(Feed));

        // Deleted with the list's button: gone from the database, the list and the feed.
        var deleted = await PageForm.Parse(await admin.GetStringAsync(List), $"form[action='{List}/{stored.Id}/delete']").SubmitAsync(admin);
        page = await admin.AssertRedirectWithMessageAsync(deleted, List, "Temps fort « Portes ouvertes de l’atelier » supprimé.");
        Assert.Null(await FindAsync(host, "portes-ouvertes-automne"));
        Assert.DoesNotContain("portes-ouvertes-automne", page);
        Assert.DoesNotContain("portes-ouvertes-automne", await visitor.GetStringAsync(Feed));
        // The other dates are still there.
        Assert.NotNull(await FindAsync(host, "fete-des-meres"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{List}/{stored.Id}/edit")).StatusCode);
    }

    [Fact]
    public async Task A_key_date_whose_id_is_taken_is_refused_on_its_form_and_nothing_is_stored()
    {
        await using var host = await PortalHost.StartAsync();
        await host.SetUpAsync();
        using var admin = await host.SignInAsync();
        var before = await DatabaseSnapshot.ContentAsync(host);

        var refused = await PageForm.Parse(await admin.GetStringAsync(List + "/new"))
            .Set("Title", "Encore la fête").Set("Id", "fete-des-meres").Set("Start", "2027-05-30").Set("End", "2027-05-30")
            .SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Un autre temps fort utilise déjà l’identifiant « fete-des-meres ». Choisissez-en un autre.",
            WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }
}
