using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Modules.Inbox.Automation;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Listening;
using CmPortal.Modules.Inbox.Moderation;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>One portal for the class: the demo brand (charter published, members) and a workspace of its own per test.</summary>
public sealed class AutomationRuleHost : IAsyncLifetime
{
    public PortalHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await PortalHost.StartAsync();
        await Host.SetUpAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>A new workspace with the inbox and the demo's published community charter (a flag cites one of its rules).</summary>
    public async Task<string> WorkspaceAsync(string key)
    {
        var demo = JsonNode.Parse(await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("demo.recipe.json")))!["steps"]!.AsArray();
        var charter = demo.First(s => (string?)s!["step"] == "communityCharter")!.DeepClone();
        var recipe = new JsonObject
        {
            ["name"] = "x",
            ["steps"] = new JsonArray(
                new JsonObject { ["step"] = "workspace", ["key"] = key, ["name"] = key },
                new JsonObject { ["step"] = "modules", ["enable"] = new JsonArray("Inbox", "CommunityCharter") },
                charter),
        };
        await Host.ApplyRecipeAsync(recipe.ToJsonString());
        return key;
    }
}

/// <summary>
/// Automation rules (docs/inbox-rules.md): at ingest the first enabled rule that matches a new mention applies its
/// actions and no later one does; each condition and action; invalid rules refused with problems; "test" changes
/// nothing; order, stale edits, other workspaces, permissions, and the recipe step applied twice.
/// </summary>
public sealed class AutomationRuleTests(AutomationRuleHost fixture) : IClassFixture<AutomationRuleHost>
{
    private PortalHost Host => fixture.Host;

    private static string Decode(string html) => WebUtility.HtmlDecode(html).Replace('\u00a0', ' ').Replace('\u202f', ' ');

    private Task<RuleOutcome> CreateAsync(string workspace, RuleInput input) =>
        Host.InWorkspaceAsync(workspace, s => s.GetRequiredService<RuleService>().CreateAsync(input, null, "Test", default));

    private async Task<AutomationRule> CreatedAsync(string workspace, RuleInput input)
    {
        var outcome = await CreateAsync(workspace, input);
        Assert.Empty(outcome.Problems);
        return outcome.Rule!;
    }

    private Task<Guid> UserIdAsync(string email) =>
        Host.InScopeAsync(async s => (await s.GetRequiredService<CoreDbContext>().Users.SingleAsync(u => u.Email == email)).Id);

    private Task<List<Mention>> MentionsAsync(string workspace) =>
        Host.InWorkspaceAsync(workspace, s => s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().OrderBy(m => m.Id).ToListAsync());

    private static object Item(string id, string text, string language = "fr", string source = "api", string author = "Léa Martin", string handle = "@lea@piaille.fr") =>
        new { source, externalId = id, text, author, authorHandle = handle, language, publishedAt = DateTimeOffset.UtcNow.AddHours(-1) };

    [Fact]
    public async Task The_first_matching_rule_applies_at_ingest_through_the_API_and_later_ones_do_not()
    {
        var ws = await fixture.WorkspaceAsync("regles-ingest");
        await Host.AddMemberAsync("cm-ingest@example.test", ws, "Community manager");
        var cm = await UserIdAsync("cm-ingest@example.test");
        await CreatedAsync(ws, new RuleInput("Livraison", Words: "livraison OR colis", Sentiment: "negative", Labels: "livraison, urgent", AssignTo: cm, Status: "toHandle"));
        await CreatedAsync(ws, new RuleInput("Tout le négatif", Sentiment: "negative", Labels: "négatif"));
        await CreatedAsync(ws, new RuleInput("Désactivée", Words: "bougie", Labels: "jamais", Enabled: false));

        using var api = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, ws));
        var posted = await api.PostAsJsonAsync($"/api/v1/{ws}/mentions", new
        {
            mentions = new[]
            {
                Item("late", "Trois semaines que j'attends mon colis, livraison catastrophique, très déçue."),
                Item("smell", "Bougie horrible, l'odeur est affreuse, très déçue."),
                Item("happy", "J'adore ma bougie Maison Lumen, merci !"),
            },
        });
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);

        var byId = (await MentionsAsync(ws)).ToDictionary(m => m.ExternalId);
        Assert.Equal("|livraison|urgent|", byId["late"].Labels); // the first rule only: not "négatif" too
        Assert.Equal((cm, MentionStatus.ToHandle, 1), (byId["late"].AssigneeId!.Value, byId["late"].Status, byId["late"].Version));
        Assert.Equal("|négatif|", byId["smell"].Labels);
        Assert.Equal((null, MentionStatus.New), (byId["smell"].AssigneeId, byId["smell"].Status));
        Assert.Equal((null, 0), (byId["happy"].Labels, byId["happy"].Version)); // the disabled rule does nothing
    }

    [Fact]
    public async Task Each_kind_of_condition_must_hold()
    {
        var ws = await fixture.WorkspaceAsync("regles-conditions");
        var halo = await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<ListeningQueryService>().CreateAsync(new ListeningQueryInput("Atelier Halo", "competitor", "\"Atelier Halo\""), default, background: false));
        using var api = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, ws));
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync($"/api/v1/{ws}/mentions", new
        {
            mentions = new[]
            {
                Item("halo", "Vu chez Atelier Halo une suspension superbe, j'adore.", source: "mastodon"),
                Item("halo-en", "Atelier Halo lamps are lovely, I love them.", language: "en", source: "bluesky", author: "Sam Carter", handle: "samcarter.bsky.social"),
                Item("rss", "Maison Lumen ouvre une boutique à Lyon.", source: "rss", author: "Déco Mag", handle: ""),
            },
        })).StatusCode);

        async Task<string[]> Matching(RuleInput input) =>
            await Host.InWorkspaceAsync(ws, async s =>
            {
                var (result, problems) = await s.GetRequiredService<RuleService>().TestAsync(input, null);
                Assert.Empty(problems);
                return result!.First.Select(f => f.Mention.ExternalId).OrderBy(x => x, StringComparer.Ordinal).ToArray();
            });

        Assert.Equal(["halo", "halo-en"], await Matching(new("w", Words: "halo", Labels: "x")));
        Assert.Equal(["halo", "halo-en"], await Matching(new("q", QueryId: halo.Query!.Id, Labels: "x")));
        Assert.Equal(["halo", "halo-en"], await Matching(new("s", Sentiment: "positive", Labels: "x")));
        Assert.Equal(["rss"], await Matching(new("k", SourceKind: "rss", Labels: "x")));
        Assert.Equal(["halo-en"], await Matching(new("a", Author: "samcarter", Labels: "x"))); // the handle without its host
        Assert.Equal(["halo"], await Matching(new("a2", Author: "léa martin", Labels: "x"))); // the name, without case
    }

    [Fact]
    public async Task A_rule_flags_for_moderation_citing_the_charter_and_never_hides()
    {
        var ws = await fixture.WorkspaceAsync("regles-moderation");
        var rule = await CreatedAsync(ws, new RuleInput("Insultes", Words: "incapables OR nuls", FlagRuleId: "insultes"));
        using var api = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, ws));
        await api.PostAsJsonAsync($"/api/v1/{ws}/mentions", new { mentions = new[] { Item("rude", "Bande d'incapables, vous ne répondez jamais."), Item("fine", "Merci pour la bougie.") } });

        var mentions = (await MentionsAsync(ws)).ToDictionary(m => m.ExternalId);
        var (decisions, hidden) = await Host.InWorkspaceAsync(ws, async s =>
        {
            var db = s.GetRequiredService<InboxDbContext>();
            return (await db.ModerationDecisions.AsNoTracking().ToListAsync(), await db.HiddenMentions.CountAsync());
        });
        var decision = Assert.Single(decisions);
        Assert.Equal((mentions["rude"].Id, ModerationAction.Flag, "insultes", "3.2"), (decision.MentionId, decision.Action, decision.RuleId, decision.RuleNumber));
        Assert.Contains(rule.Name, decision.MemberName);
        Assert.Equal(0, hidden);
    }

    [Fact]
    public async Task A_rule_naming_an_unknown_query_member_label_or_charter_rule_is_refused_with_problems()
    {
        var ws = await fixture.WorkspaceAsync("regles-invalides");
        var stranger = await UserIdAsync(PortalHost.AdminEmail); // the host administrator is no member of this workspace
        var outcome = await CreateAsync(ws, new RuleInput("Mauvaise", Words: "\"livraison", QueryId: 999999, AssignTo: stranger,
            Labels: "un label beaucoup trop long pour tenir dans quarante caractères", FlagRuleId: "pas-une-regle", Status: "bientôt"));
        Assert.Null(outcome.Rule);
        Assert.Equal(["assignTo", "flagRuleId", "labels", "queryId", "status", "words"], outcome.Problems.Select(p => p.Field!).Distinct().Order(StringComparer.Ordinal).ToArray());
        Assert.Contains((await CreateAsync(ws, new RuleInput("Vide"))).Problems, p => p.Field == "conditions");

        // The page says it on the fields and keeps what was typed; nothing is stored.
        using var admin = await Host.SignInAsync();
        var page = await admin.SendFormAsync("POST", $"/admin/{ws}/inbox/rules/new", new() { ["name"] = "Sans action", ["words"] = "livraison", ["intent"] = "save", ["enabled"] = "true" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, page.StatusCode);
        Assert.Contains("Choisissez au moins une action", Decode(await page.Content.ReadAsStringAsync()));
        Assert.Empty(await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().ListAsync()));
    }

    [Fact]
    public async Task Testing_a_rule_shows_what_it_would_do_and_changes_nothing()
    {
        var ws = await fixture.WorkspaceAsync("regles-essai");
        using var api = Host.Script(await Host.CreateTokenAsync(PortalHost.AdminEmail, ws));
        await api.PostAsJsonAsync($"/api/v1/{ws}/mentions", new { mentions = new[] { Item("late", "Colis jamais arrivé, livraison ratée."), Item("other", "Belle lampe.") } });
        var before = JsonSerializer.Serialize(await MentionsAsync(ws));

        using var admin = await Host.SignInAsync();
        var tested = await admin.SendFormAsync("POST", $"/admin/{ws}/inbox/rules/new",
            new() { ["name"] = "Livraison", ["words"] = "livraison", ["labels"] = "livraison", ["status"] = "toHandle", ["intent"] = "test", ["enabled"] = "true" });
        Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
        var html = Decode(await tested.Content.ReadAsStringAsync());
        Assert.True(html.Contains("1 mention des 30 derniers jours correspond à cette règle"), html[Math.Max(0, html.IndexOf("rule-test", StringComparison.Ordinal))..]);
        Assert.Contains("Colis jamais arrivé", html);
        Assert.True(html.Contains("étiquette « livraison »"), html[Math.Max(0, html.IndexOf("rule-test", StringComparison.Ordinal))..]);
        Assert.DoesNotContain("Belle lampe", html);

        Assert.Equal(before, JsonSerializer.Serialize(await MentionsAsync(ws)));
        Assert.Empty(await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().ListAsync()));
    }

    [Fact]
    public async Task Rules_are_reordered_a_stale_edit_is_refused_and_another_workspaces_rule_is_not_found()
    {
        var ws = await fixture.WorkspaceAsync("regles-ordre");
        var first = await CreatedAsync(ws, new RuleInput("Premier", Words: "a", Labels: "a"));
        var second = await CreatedAsync(ws, new RuleInput("Second", Words: "b", Labels: "b"));
        using var admin = await Host.SignInAsync();

        var moved = await admin.SendFormAsync("POST", $"/admin/{ws}/inbox/rules/{second.Id}/move", new() { ["direction"] = "up" });
        Assert.Equal(HttpStatusCode.Redirect, moved.StatusCode);
        Assert.Equal(["Second", "Premier"], (await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().ListAsync())).Select(r => r.Name).ToArray());
        var list = Decode(await admin.GetStringAsync($"/admin/{ws}/inbox/rules"));
        Assert.True(list.IndexOf("Second", StringComparison.Ordinal) < list.IndexOf("Premier", StringComparison.Ordinal));

        // Two editors opened version 0; the first saves, the second is told and sees the current rule.
        var saved = await admin.SendFormAsync("POST", $"/admin/{ws}/inbox/rules/{first.Id}",
            new() { ["version"] = "0", ["name"] = "Premier", ["words"] = "a OR c", ["labels"] = "a", ["intent"] = "save", ["enabled"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stale = await admin.SendFormAsync("POST", $"/admin/{ws}/inbox/rules/{first.Id}",
            new() { ["version"] = "0", ["name"] = "Premier", ["words"] = "z", ["labels"] = "z", ["intent"] = "save", ["enabled"] = "true" });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("a OR c", Decode(await stale.Content.ReadAsStringAsync()));
        Assert.Equal("a OR c", (await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().FindAsync(first.Id)))!.Words);

        // The demo brand's pages do not reach this workspace's rule.
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/maison-lumen/inbox/rules/{first.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendFormAsync("POST", $"/admin/maison-lumen/inbox/rules/{first.Id}/delete", new() { ["version"] = "1" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.SendFormAsync("POST", $"/admin/maison-lumen/inbox/rules/{first.Id}/move", new() { ["direction"] = "down" })).StatusCode);
        Assert.NotNull(await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().FindAsync(first.Id)));
    }

    [Fact]
    public async Task A_member_without_Inbox_Manage_reads_the_rules_but_cannot_edit_them()
    {
        await Host.AddMemberAsync("analyste-regles@example.test", "maison-lumen", "Analyst");
        using var analyst = await Host.SignInAsync("analyste-regles@example.test", MemberHostExtensions.MemberPassword);
        var list = Decode(await analyst.GetStringAsync("/admin/maison-lumen/inbox/rules"));
        Assert.DoesNotContain("Nouvelle règle", list);
        await AnswersTestData.AssertDeniedAsync(analyst, analyst.GetAsync("/admin/maison-lumen/inbox/rules/new"));
        await AnswersTestData.AssertDeniedAsync(analyst, analyst.SendFormAsync("POST", "/admin/maison-lumen/inbox/rules/new",
            new() { ["name"] = "Intrus", ["words"] = "x", ["labels"] = "x", ["intent"] = "save" }));
        Assert.DoesNotContain(await Host.InWorkspaceAsync("maison-lumen", s => s.GetRequiredService<RuleService>().ListAsync()), r => r.Name == "Intrus");
    }

    [Fact]
    public async Task The_recipe_step_applied_twice_changes_nothing()
    {
        var ws = await fixture.WorkspaceAsync("regles-recette");
        await Host.AddMemberAsync("cm-recette@example.test", ws, "Community manager");
        var recipe = $$"""
            { "name": "r", "steps": [
              { "step": "workspace", "key": "{{ws}}", "name": "{{ws}}" },
              { "step": "listeningQueries", "queries": [ { "name": "Marque", "kind": "brand", "expression": "lumen" } ] },
              { "step": "rules", "rules": [
                { "name": "Livraison", "words": "livraison OR colis", "sentiment": "negative", "labels": ["livraison"], "assignTo": "cm-recette@example.test", "status": "toHandle" },
                { "name": "Insultes", "query": "Marque", "flagRule": "insultes", "enabled": false } ] } ] }
            """;
        await Host.ApplyRecipeAsync(recipe);
        var once = JsonSerializer.Serialize(await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().ListAsync()));
        await Host.ApplyRecipeAsync(recipe);
        var twice = await Host.InWorkspaceAsync(ws, s => s.GetRequiredService<RuleService>().ListAsync());
        Assert.Equal(once, JsonSerializer.Serialize(twice));
        Assert.Equal(["Livraison", "Insultes"], twice.Select(r => r.Name).ToArray());
        Assert.Equal((0, false), (twice[1].Version, twice[1].Enabled));
        Assert.Equal(await UserIdAsync("cm-recette@example.test"), twice[0].AssignTo);
    }
}
