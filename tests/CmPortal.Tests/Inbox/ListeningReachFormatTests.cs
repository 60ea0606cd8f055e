using System.Globalization;
using System.Net;
using CmPortal.Core.Localization;
using CmPortal.Tests.Infrastructure;
using static CmPortal.Tests.Inbox.ListeningQueryTests;

namespace CmPortal.Tests.Inbox;

/// <summary>The Veille page's columns of figures in the reader's culture: « 1 234 » and « 12 345 » line up in French.</summary>
public sealed class ListeningReachFormatTests
{
    private const string Workspace = "ecoute";

    [Fact]
    public async Task Four_and_five_digit_reach_is_grouped_with_the_french_narrow_space_in_the_top_authors()
    {
        await using var host = await MentionStoreTests.StartAsync();
        await CreateAsync(host, Workspace, new("Maison Lumen", "brand", "\"Maison Lumen\""));
        await IngestAsync(host, Workspace,
            Item("1", "Maison Lumen, superbe boutique à Lyon", 2, author: "Léa", followers: 1234),
            Item("2", "Maison Lumen ouvre un atelier", 3, author: "Tom", followers: 12345),
            Item("3", "Maison Lumen en vitrine", 4, author: "Zoé", followers: 987));

        using var admin = await host.SignInAsync();
        var page = WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/listening"));
        Assert.Contains("<td class=\"text-end\">1\u202f234</td>", page);
        Assert.Contains("<td class=\"text-end\">12\u202f345</td>", page);
        Assert.Contains("<td class=\"text-end\">987</td>", page);
        Assert.DoesNotContain(">1234<", page);

        Assert.Equal(("1,234", "12,345"), (PortalValues.Figure(1234, CultureInfo.GetCultureInfo("en")), PortalValues.Figure(12345, CultureInfo.GetCultureInfo("en"))));
    }
}
