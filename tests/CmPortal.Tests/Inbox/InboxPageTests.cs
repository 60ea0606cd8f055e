using System.Net;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>The inbox page through HTTP: the demo's mentions newest first, counters, a bad search explained, triage forms with antiforgery and versions.</summary>
public sealed class InboxPageTests
{
    [Fact]
    public async Task The_demo_inbox_lists_searches_and_triages_its_mentions_in_french()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var admin = await host.SignInAsync();

        var list = await admin.GetStringAsync("/admin/maison-lumen/inbox");
        Assert.Contains("Rechercher dans les mentions", list);
        Assert.Contains("293 mentions en attente\u00a0: nouvelles ou à traiter.", list); // the recipe's 293 (the brand, its competitor, the « Jardin d’hiver » contest), the exact repeats among them stored too, grouped
        Assert.Contains("Texte répété", await admin.GetStringAsync("/admin/maison-lumen/inbox?q=%22laiton+superbe%22"));
        // Newest first: the demo's most recent mention (2 hours ago) before an older one.
        Assert.True(list.IndexOf("suspension Lune de Maison Lumen", StringComparison.Ordinal) < list.IndexOf("Trois semaines", StringComparison.Ordinal));

        var found = await admin.GetStringAsync("/admin/maison-lumen/inbox?q=eclairage+-boutique");
        Assert.Contains("<mark>Éclairage</mark>", found);
        Assert.DoesNotContain("rue Mercière", found);
        var bad = await admin.GetStringAsync("/admin/maison-lumen/inbox?q=%22unbalanced");
        Assert.Contains("Un guillemet n’est pas fermé", bad);

        var mention = await host.InWorkspaceAsync("maison-lumen", async s =>
            (await s.GetRequiredService<CmPortal.Modules.Inbox.Search.MentionSearch>().SearchAsync(new() { Q = "\"trois semaines\"" })).Page!.Items.Single().Mention);
        var detail = await admin.GetStringAsync($"/admin/maison-lumen/inbox/{mention.Id}");
        Assert.Contains("Corriger le sentiment", detail);
        Assert.Contains("Mention de Tom Rivière", detail);

        var saved = await admin.SendFormAsync("POST", $"/admin/maison-lumen/inbox/{mention.Id}/status",
            new() { ["version"] = mention.Version.ToString(), ["status"] = "ToHandle" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Statut enregistré.", await admin.GetStringAsync(saved.Headers.Location!.ToString()));
        // The same form again, from a page opened before: the version moved on, the change is refused and said so.
        var stale = await admin.SendFormAsync("POST", $"/admin/maison-lumen/inbox/{mention.Id}/status",
            new() { ["version"] = mention.Version.ToString(), ["status"] = "Ignored" });
        Assert.Contains("Quelqu’un a modifié cette mention entre-temps", await admin.GetStringAsync(stale.Headers.Location!.ToString()));
        var now = await host.InWorkspaceAsync("maison-lumen", s => s.GetRequiredService<MentionService>().FindAsync(mention.Id));
        Assert.Equal(MentionStatus.ToHandle, now!.Status);

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendWithoutTokenAsync("POST", $"/admin/maison-lumen/inbox/{mention.Id}/status",
            [new("version", now.Version.ToString()), new("status", "Handled")])).StatusCode);
    }
}
