using CmPortal.Modules.Inbox.Listening;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.ListeningQueryTests;

namespace CmPortal.Tests.Inbox;

/// <summary>Share of voice, sentiment per query and top authors on a known set of mentions, in the service and on the page.</summary>
public sealed class ListeningShareTests
{
    private const string Workspace = "ecoute";

    [Fact]
    public async Task Share_of_voice_sentiment_and_top_authors_are_counted_from_the_tags()
    {
        await using var host = await MentionStoreTests.StartAsync();
        var brand = await CreateAsync(host, Workspace, new("Maison Lumen", "brand", "\"Maison Lumen\""));
        var rival = await CreateAsync(host, Workspace, new("Atelier Halo", "competitor", "\"Atelier Halo\""));
        await IngestAsync(host, Workspace,
            Item("1", "J'adore ma lampe Maison Lumen, superbe et très belle !", 2, author: "Léa", followers: 1200),
            Item("2", "Maison Lumen ouvre une boutique à Lyon", 30, author: "Léa", followers: 1300),
            Item("3", "Maison Lumen : commande cassée, service nul, très déçu.", 50, author: "Tom"),
            Item("4", "Atelier Halo : lampe cassée, horrible, très déçue.", 3, author: "Nina", followers: 90),
            Item("5", "Un texte sans marque", 4, author: "Zoé"),
            Item("6", "Maison Lumen vue il y a longtemps", 24 * 40, author: "Ancien")); // outside 30 days

        var figures = await host.InWorkspaceAsync(Workspace, async s =>
        {
            var service = s.GetRequiredService<ListeningQueryService>();
            return await s.GetRequiredService<ListeningReport>().ComputeAsync(await service.ListAsync(), 30, byWeek: false);
        });
        var b = figures.Series.Single(x => x.Query.Id == brand.Id);
        var r = figures.Series.Single(x => x.Query.Id == rival.Id);
        Assert.Equal((3, 1), (b.Total, r.Total));
        Assert.Equal((75, 25), (figures.Share(b), figures.Share(r)));
        Assert.Equal((1, 1, 1), (b.Positive, b.Neutral, b.Negative));
        Assert.Equal(100, r.NegativeShare);
        Assert.Equal(30, figures.Buckets.Count);
        Assert.Equal(3, b.Counts.Sum());
        var lea = figures.Authors.First();
        Assert.Equal(("@léa", 2, 1300), (lea.Name, lea.Mentions, lea.Followers));

        // 90 days by week: the old mention comes in, in its week.
        var longer = await host.InWorkspaceAsync(Workspace, async s =>
            await s.GetRequiredService<ListeningReport>().ComputeAsync(await s.GetRequiredService<ListeningQueryService>().ListAsync(), 90, byWeek: true));
        Assert.Equal(4, longer.Series.Single(x => x.Query.Id == brand.Id).Total);
        Assert.All(longer.Buckets, w => Assert.Equal(DayOfWeek.Monday, w.DayOfWeek));

        using var admin = await host.SignInAsync();
        var page = await admin.GetStringAsync($"/admin/{Workspace}/inbox/listening");
        Assert.Contains("Part de voix", page);
        Assert.Matches("75(\u00a0|\u202f|&#xA0;|&#x202F;)%", page); // French percentages, the sign never alone on a line
        Assert.Matches("25(\u00a0|\u202f|&#xA0;|&#x202F;)%", page);
        Assert.Contains("id=\"listening-data\"", page);
        Assert.Contains("Auteurs les plus actifs", page);
        Assert.Matches("<td class=\"text-end\">1(\u202f|&#x202F;)300</td>", page); // reach, grouped in its column
        Assert.Contains($"/admin/{Workspace}/inbox?query={rival.Id}", page);
    }
}
