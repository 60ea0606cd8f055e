using System.Net;
using System.Text.Json.Nodes;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.InboxTriageHost;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Bulk triage from the inbox list (a plain form: ticked mentions as "id:version"), and the list's new-mentions count.
/// One portal for the class; each test adds its own mentions.
/// </summary>
public sealed class InboxBulkTests(InboxTriageHost portal) : IClassFixture<InboxTriageHost>
{
    private const string Bulk = $"/admin/{Workspace}/inbox/bulk";

    private static (string, string) Pick(Mention m) => ("pick", $"{m.Id}:{m.Version}");

    [Fact]
    public async Task Ticked_mentions_get_a_status_an_assignee_and_a_label_and_one_changed_meanwhile_is_reported_and_kept()
    {
        var mentions = await portal.AddAsync("bulk-a", Workspace, "Lampe Orbe reçue, parfaite", "Orbe : livraison rapide", "Orbe trop chère à mon goût");
        // Someone sets the third one aside while the list is open.
        await portal.Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<MentionService>().SetStatusAsync(mentions[2].Id, mentions[2].Version, MentionStatus.Ignored));
        using var admin = await portal.Host.SignInAsync();

        var done = await PostAsync(admin, Bulk, Pick(mentions[0]), Pick(mentions[1]), Pick(mentions[2]), ("action", "status"), ("status", "Handled"),
            ("back", $"/admin/{Workspace}/inbox?q=orbe"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal($"/admin/{Workspace}/inbox?q=orbe", done.Headers.Location!.OriginalString);
        Assert.Contains("2 mentions mises à jour, 1 changée entre-temps par quelqu’un d’autre.", await admin.GetStringAsync(done.Headers.Location!.OriginalString));
        var now = await portal.ReloadAsync(mentions.Select(m => m.Id));
        Assert.Equal([MentionStatus.Handled, MentionStatus.Handled, MentionStatus.Ignored], now.Select(m => m.Status));

        // Assign with a note, then a label added and removed, each with the versions the page now shows.
        var members = await portal.Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<MentionService>().MembersAsync());
        var manager = members.Single(m => m.Name == "cm").Id;
        await PostAsync(admin, Bulk, Pick(now[0]), Pick(now[1]), ("action", "assign"), ("assigneeId", manager.ToString()), ("note", "Répondre avant midi"));
        now = await portal.ReloadAsync(mentions.Select(m => m.Id));
        Assert.All(now.Take(2), m => { Assert.Equal(manager, m.AssigneeId); Assert.Equal("Répondre avant midi", m.AssigneeNote); });
        await PostAsync(admin, Bulk, Pick(now[0]), Pick(now[1]), ("action", "label-add"), ("label", "Presse"));
        now = await portal.ReloadAsync(mentions.Select(m => m.Id));
        Assert.All(now.Take(2), m => Assert.Equal("|presse|", m.Labels));
        await PostAsync(admin, Bulk, Pick(now[0]), ("action", "label-remove"), ("label", "presse"));
        now = await portal.ReloadAsync(mentions.Select(m => m.Id));
        Assert.Null(now[0].Labels);
        Assert.Equal("|presse|", now[1].Labels);

        // "Select all on this page" without JavaScript: the page's list of shown mentions is used, ticked or not.
        var all = await PostAsync(admin, Bulk, ("allOnPage", "true"), ("shown", $"{now[0].Id}:{now[0].Version}"), ("shown", $"{now[2].Id}:{now[2].Version}"),
            ("action", "status"), ("status", "ToHandle"));
        Assert.Contains("2 mentions mises à jour.", await admin.GetStringAsync(all.Headers.Location!.OriginalString));
        Assert.Equal([MentionStatus.ToHandle, MentionStatus.Handled, MentionStatus.ToHandle], (await portal.ReloadAsync(mentions.Select(m => m.Id))).Select(m => m.Status));
    }

    [Fact]
    public async Task Another_workspaces_mentions_are_left_alone_and_a_member_who_does_not_triage_is_refused()
    {
        var ours = await portal.AddAsync("bulk-b", Workspace, "Applique Lueur posée hier");
        var theirs = await portal.AddAsync("bulk-b", Other, "Applique Lueur chez la concurrence");
        using var admin = await portal.Host.SignInAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(admin, Bulk, Pick(theirs[0]), ("action", "status"), ("status", "Handled"))).StatusCode);
        var mixed = await PostAsync(admin, Bulk, Pick(ours[0]), Pick(theirs[0]), ("action", "status"), ("status", "Handled"));
        Assert.Contains("1 mention mise à jour.", await admin.GetStringAsync(mixed.Headers.Location!.OriginalString));
        Assert.Equal(MentionStatus.New, (await portal.ReloadAsync([theirs[0].Id], Other)).Single().Status);
        Assert.Equal(MentionStatus.Handled, (await portal.ReloadAsync([ours[0].Id])).Single().Status);

        // More than a page at once, or nothing ticked: refused with a reason, nothing changed.
        var tooMany = await PostAsync(admin, Bulk, [.. Enumerable.Range(1, 26).Select(i => ("pick", $"{i}:0")), ("action", "status"), ("status", "Handled")]);
        Assert.Contains("Sélectionnez au plus 25 mentions à la fois.", await admin.GetStringAsync(tooMany.Headers.Location!.OriginalString));

        using var reader = await portal.Host.SignInAsync(Reader, MemberHostExtensions.MemberPassword);
        Assert.DoesNotContain("id=\"bulk-bar\"", await reader.GetStringAsync($"/admin/{Workspace}/inbox"));
        var refreshed = (await portal.ReloadAsync([ours[0].Id])).Single();
        await AnswersTestData.AssertDeniedAsync(reader, PostAsync(reader, Bulk, Pick(refreshed), ("action", "status"), ("status", "New")));
        Assert.Equal(MentionStatus.Handled, (await portal.ReloadAsync([ours[0].Id])).Single().Status);
    }

    [Fact]
    public async Task The_list_counts_the_mentions_come_in_since_it_was_shown_with_its_own_search()
    {
        using var reader = await portal.Host.SignInAsync(Reader, MemberHostExtensions.MemberPassword);
        var list = await reader.GetStringAsync($"/admin/{Workspace}/inbox?q=girandole");
        Assert.Contains("data-new-url=\"/admin/maison-lumen/inbox/new?q=girandole\"", list);
        var since = (await portal.AddAsync("new-a", Workspace, "Une girandole ancienne")).Single().Id;

        await portal.AddAsync("new-b", Workspace, "La girandole Maison Lumen est arrivée", "Girandole : superbe", "Rien à voir, un abat-jour");
        await portal.AddAsync("new-c", Other, "Girandole chez les voisins");
        var count = JsonNode.Parse(await reader.GetStringAsync($"/admin/{Workspace}/inbox/new?q=girandole&since={since}"))!;
        Assert.Equal(2, (int)count["count"]!);
        Assert.Equal(3, (int)JsonNode.Parse(await reader.GetStringAsync($"/admin/{Workspace}/inbox/new?since={since}"))!["count"]!);
        Assert.Equal(0, (int)JsonNode.Parse(await reader.GetStringAsync($"/admin/{Workspace}/inbox/new?q=girandole&status=Handled&since={since}"))!["count"]!);
        // Signed out: no count.
        var anonymous = portal.Host.CreateClient();
        Assert.NotEqual(HttpStatusCode.OK, (await anonymous.GetAsync($"/admin/{Workspace}/inbox/new?since=0")).StatusCode);
    }
}
