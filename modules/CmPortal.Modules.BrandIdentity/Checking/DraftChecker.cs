using CmPortal.Core.Networks;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>
/// Checks drafts against the current workspace's editorial line, spelling in the workspace's
/// language (its culture: "fr-FR" → French, "en-US" → English; other languages are not checked),
/// and for French workspaces grammar and typography with Grammalecte.
/// Messages are in the request's UI language (Grammalecte's are in French). Lengths are counted against the
/// workspace's limits per network (<see cref="INetworkLimits"/>: a connected Mastodon instance's own, else the catalogue's).
/// </summary>
internal sealed class DraftChecker(
    BrandIdentityStore store, SpellCheckers spellCheckers, GrammalecteClient grammalecte, WorkspaceContext workspace, IStringLocalizer<DraftChecker> T,
    INetworkLimits limits)
    : IDraftChecker
{
    public async Task<DraftCheckResult> CheckAsync(string text, string network, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        Network(network, nameof(network));
        var target = (await limits.ForAsync(network, null, ct)).Network;
        var line = await store.CurrentEditorialLineAsync(ct);
        var (language, spelling, grammar, grammarFindings) = await LanguageChecksAsync(text, ct);
        // The language is reported even when its dictionary is missing: "French not checked" says more than "not checked".
        return DraftRules.Check(line, text, target, spelling, T, grammarFindings) with { SpellingLanguage = language, Grammar = grammar };
    }

    public async Task<DraftReport> CheckAllAsync(string text, IReadOnlyList<string>? networks = null, IReadOnlyCollection<Guid>? channels = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var line = await store.CurrentEditorialLineAsync(ct);
        var catalogue = networks is null ? TargetNetworks(line) : networks.Select(n => Network(n, nameof(networks))).Distinct().ToList();
        var targets = new List<SocialNetwork>(catalogue.Count);
        foreach (var network in catalogue) targets.Add((await limits.ForAsync(network.Id, channels, ct)).Network);
        var checks = targets.Select(n => DraftRules.CheckNetwork(line, text, n, T)).ToList();
        var (language, spelling, grammar, grammarFindings) = await LanguageChecksAsync(text, ct);
        if (string.IsNullOrWhiteSpace(text))
            return new DraftReport(checks, [], spelling is not null, language, GrammarCheck.NotApplicable, IsEmpty: true);
        var issues = DraftRules.Issues(text, DraftRules.TextFindings(line, text, spelling, T, grammarFindings));
        return new DraftReport(checks, issues, spelling is not null, language, grammar, IsEmpty: false);
    }

    /// <summary>The networks the editorial line has guidelines for, in the catalogue's order; every network when it has none.</summary>
    internal static IReadOnlyList<SocialNetwork> TargetNetworks(EditorialLine line)
    {
        var guided = SocialNetworks.All.Where(n => line.GuidelineFor(n.Id) is not null).ToList();
        return guided.Count > 0 ? guided : SocialNetworks.All;
    }

    private static SocialNetwork Network(string id, string parameter) => SocialNetworks.Find(id)
        ?? throw new ArgumentException($"Unknown network \"{id}\". Known networks: {SocialNetworks.Ids}.", parameter);

    /// <summary>The workspace's language, its dictionary, and Grammalecte's findings when the language is French (and the draft is not blank).</summary>
    private async Task<(string? Language, ISpellChecker? Spelling, GrammarCheck Grammar, IReadOnlyList<DraftRules.Finding>? Findings)> LanguageChecksAsync(
        string text, CancellationToken ct)
    {
        var language = SpellCheckers.LanguageOf(workspace.Required.Culture);
        var spelling = spellCheckers.For(language);
        if (language != "fr" || string.IsNullOrWhiteSpace(text)) return (language, spelling, GrammarCheck.NotApplicable, null);
        var findings = await grammalecte.CheckAsync(text, ct);
        return (language, spelling, findings is null ? GrammarCheck.Unavailable : GrammarCheck.Checked, findings);
    }

    /// <summary>Starts Grammalecte in the background for a French workspace, so that the first check of the page does not wait for it.</summary>
    internal static void Warm(GrammalecteServer server, string? culture)
    {
        if (SpellCheckers.LanguageOf(culture) == "fr") server.Warm();
    }
}
