using System.Net;
using CmPortal.Core.Security;
using CmPortal.Tests.Infrastructure;

namespace CmPortal.Tests.Integration;

/// <summary>
/// What the public pages and feeds must not show: a key date kept private, the charter's unpublished draft, the
/// internal parts of the editorial line, the team. Every public route the host lists is requested with the demo
/// brand's stored values (ids, version numbers, logo hashes), so a new public page is checked without being listed.
/// </summary>
public sealed class PublicSurfaceTests
{
    private const string Key = "maison-lumen";

    /// <summary>Texts of the demo brand that stay inside the portal, and where each comes from.</summary>
    private static readonly (string Text, string What)[] Internal =
    [
        ("soldes-hiver", "the private key date \"Soldes d'hiver\" (its id)"),
        ("Quatre semaines de soldes", "the private key date's description"),
        ("BROUILLON-INTERNE-42", "the charter's unpublished draft"),
        ("amoureuse de la déco", "a persona of the editorial line"),
        ("Allégation de santé", "the reason a term is banned"),
        ("Montrer les mains, la cire", "a \"do\" of the tone of voice"),
        ("Coulage, mèches, parfums", "a content pillar's description"),
        ("Hashtags en fin de post", "a network guideline"),
        ("admin@example.test", "the administrator's address"),
        ("cm@maison-lumen.test", "a member's address"),
    ];

    [Fact]
    public async Task No_public_page_or_feed_shows_private_key_dates_the_charter_draft_the_editorial_line_internals_or_the_team()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("cm@maison-lumen.test", Key, DefaultRoles.CommunityManager);
        // A draft after the published version: what the team is still working on.
        await host.ApplyRecipeAsync(CharterRecipes.Recipe(Key, CharterRecipes.Standard(publish: false, insults: "BROUILLON-INTERNE-42")));
        using var visitor = host.CreateClient();
        var values = await RouteValueSource.ForWorkspaceAsync(host, Key);

        var failures = new List<string>();
        var pages = new Dictionary<string, string>();
        foreach (var route in PortalRoutes.All(host).Where(r => r.InWorkspace && !r.IsAdmin && r.Method == "GET"))
        foreach (var filled in values.Fill(route))
        {
            var response = await visitor.GetAsync(filled.Path);
            if (response.StatusCode != HttpStatusCode.OK) continue;
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            pages[filled.Path] = body;
            foreach (var (text, what) in Internal)
                if (body.Contains(text, StringComparison.Ordinal)) failures.Add($"{filled.Path} shows {what}: \"{text}\"");
        }
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        // The walk reached the pages that show the brand, and they show what is public.
        foreach (var path in new[] { $"/{Key}", $"/{Key}/key-dates.ics", $"/{Key}/charter", $"/{Key}/charte", $"/{Key}/charter/v/1" })
            Assert.True(pages.ContainsKey(path), $"{path} was not among the public pages walked: {string.Join(", ", pages.Keys)}");
        Assert.Contains(pages.Keys, p => p.StartsWith($"/{Key}/brand/logo/", StringComparison.Ordinal));
        Assert.Contains("Maison Lumen coule à la main", pages[$"/{Key}"]); // the mission is the public introduction
        Assert.Contains("UID:fete-des-meres@maison-lumen.cmportal", pages[$"/{Key}/key-dates.ics"]);
        Assert.Contains("Le respect avant tout.", pages[$"/{Key}/charter"]);
    }

    [Fact]
    public async Task The_calendar_feed_lists_a_key_date_only_while_it_is_public()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        using var visitor = host.CreateClient();
        var feed = await visitor.GetStringAsync($"/{Key}/key-dates.ics");
        Assert.Contains("UID:maison-et-objet-janvier@maison-lumen.cmportal", feed);
        Assert.DoesNotContain("UID:soldes-hiver@", feed);

        // Made public, it appears; made private again, it is gone.
        foreach (var isPublic in new[] { true, false })
        {
            await host.ApplyRecipeAsync($$"""
                { "name": "x", "steps": [ { "step": "workspace", "key": "{{Key}}", "name": "Maison Lumen" },
                  { "step": "keyDates", "keyDates": [ { "id": "soldes-hiver", "title": "Soldes d'hiver", "start": "2027-01-13", "end": "2027-02-09", "category": "commercial", "public": {{(isPublic ? "true" : "false")}} } ] } ] }
                """);
            Assert.Equal(isPublic, (await visitor.GetStringAsync($"/{Key}/key-dates.ics")).Contains("UID:soldes-hiver@", StringComparison.Ordinal));
        }
    }
}
