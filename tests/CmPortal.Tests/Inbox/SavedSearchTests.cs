using System.Net;
using CmPortal.Modules.Inbox.SavedSearches;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.InboxTriageHost;

namespace CmPortal.Tests.Inbox;

/// <summary>Saved searches beside the search box: personal or shared, each with its count of mentions still new; renamed and deleted by whom may.</summary>
public sealed class SavedSearchTests(InboxTriageHost portal) : IClassFixture<InboxTriageHost>
{
    private const string Saved = $"/admin/{Workspace}/inbox/saved-searches";

    private Task<List<SavedSearch>> AllAsync() =>
        portal.Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<CmPortal.Modules.Inbox.Data.InboxDbContext>().SavedSearches.AsNoTracking().OrderBy(x => x.Id).ToListAsync());

    [Fact]
    public async Task A_search_is_saved_with_its_filters_and_listed_with_its_count_of_new_mentions_personal_or_shared()
    {
        await portal.AddAsync("saved-a", Workspace, "Le chandelier Comète brille", "Comète : un peu bruyant", "Un autre sujet");
        using var manager = await portal.Host.SignInAsync(Manager, MemberHostExtensions.MemberPassword);
        using var reader = await portal.Host.SignInAsync(Reader, MemberHostExtensions.MemberPassword);

        var mine = await PostAsync(manager, Saved, ("name", "Comète à suivre"), ("query", "?q=com%C3%A8te&status=New&page=3"));
        Assert.Equal($"/admin/{Workspace}/inbox?q=com%C3%A8te&status=New", mine.Headers.Location!.OriginalString); // paging is not kept
        await PostAsync(manager, Saved, ("name", "Comète (équipe)"), ("query", "q=comete"), ("shared", "true"));

        var page = await manager.GetStringAsync($"/admin/{Workspace}/inbox");
        Assert.Contains("Recherche enregistrée.", page);
        Assert.Contains("Comète à suivre", page);
        Assert.Contains("Comète (équipe)", page);
        var counts = await portal.Host.InWorkspaceAsync(Workspace, async s =>
        {
            var user = await s.GetRequiredService<CmPortal.Core.Persistence.CoreDbContext>().Users.SingleAsync(u => u.Email == Manager);
            return (await s.GetRequiredService<SavedSearchService>().ListAsync(user.Id, q => new() { Q = System.Web.HttpUtility.ParseQueryString(q)["q"] }))
                .Select(i => (i.Search.Name, i.NewCount)).ToList();
        });
        Assert.Contains(("Comète à suivre", 2), counts);
        Assert.Contains(("Comète (équipe)", 2), counts);
        Assert.Contains("data-saved-search", page);

        // The contributor sees the shared one, not the manager's own; cannot rename or delete the shared one.
        var readerPage = await reader.GetStringAsync($"/admin/{Workspace}/inbox");
        Assert.Contains("Comète (équipe)", readerPage);
        Assert.DoesNotContain("Comète à suivre", readerPage);
        var shared = (await AllAsync()).Single(s => s.Name == "Comète (équipe)");
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(reader, $"{Saved}/{shared.Id}/delete")).StatusCode);
        var own = (await AllAsync()).Single(s => s.Name == "Comète à suivre");
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(reader, $"{Saved}/{own.Id}/rename", ("name", "À moi"))).StatusCode);

        // The owner renames and deletes their own.
        await PostAsync(manager, $"{Saved}/{own.Id}/rename", ("name", "Comète, nouvelles"));
        Assert.Contains("Comète, nouvelles", await manager.GetStringAsync($"/admin/{Workspace}/inbox"));
        await PostAsync(manager, $"{Saved}/{own.Id}/delete");
        Assert.DoesNotContain(await AllAsync(), s => s.Id == own.Id);
    }

    [Fact]
    public async Task Sharing_a_search_needs_the_right_to_set_up_listening()
    {
        using var reader = await portal.Host.SignInAsync(Reader, MemberHostExtensions.MemberPassword);
        var refused = await PostAsync(reader, Saved, ("name", "Pour tous"), ("query", "q=lampe"), ("shared", "true"));
        Assert.Contains("Partager une recherche avec l’espace de travail demande le droit de configurer l’écoute.",
            await reader.GetStringAsync(refused.Headers.Location!.OriginalString));
        Assert.DoesNotContain(await AllAsync(), s => s.Name == "Pour tous");
        Assert.DoesNotContain("saved-shared", await reader.GetStringAsync($"/admin/{Workspace}/inbox"));

        // The same search kept for oneself is fine.
        await PostAsync(reader, Saved, ("name", "Pour moi"), ("query", "q=lampe"));
        Assert.False((await AllAsync()).Single(s => s.Name == "Pour moi").Shared);
        var empty = await PostAsync(reader, Saved, ("name", " "), ("query", "q=lampe"));
        Assert.Contains("Donnez un nom à la recherche", await reader.GetStringAsync(empty.Headers.Location!.OriginalString));
    }
}
