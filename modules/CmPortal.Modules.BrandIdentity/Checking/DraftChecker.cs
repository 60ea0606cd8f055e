using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.BrandIdentity.Data;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>
/// Checks drafts against the current workspace's editorial line, spelling in the workspace's
/// language (its culture: "fr-FR" → French, "en-US" → English; other languages are not checked).
/// Messages are in the request's UI language.
/// </summary>
internal sealed class DraftChecker(BrandIdentityStore store, SpellCheckers spellCheckers, WorkspaceContext workspace, IStringLocalizer<DraftChecker> T)
    : IDraftChecker
{
    public async Task<DraftCheckResult> CheckAsync(string text, string network, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var target = SocialNetworks.Find(network)
            ?? throw new ArgumentException($"Unknown network \"{network}\". Known networks: {SocialNetworks.Ids}.", nameof(network));
        var line = await store.CurrentEditorialLineAsync(ct);
        var language = SpellCheckers.LanguageOf(workspace.Required.Culture);
        var spelling = spellCheckers.For(language);
        // The language is reported even when its dictionary is missing: "French not checked" says more than "not checked".
        return DraftRules.Check(line, text, target, spelling, T) with { SpellingLanguage = language };
    }
}
