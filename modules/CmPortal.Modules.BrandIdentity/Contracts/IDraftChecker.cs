namespace CmPortal.Modules.BrandIdentity.Contracts;

public enum DraftIssueKind
{
    TooLong,
    BannedTerm,
    PreferredTerm,
    MissingSignatureHashtag,
    TooManyHashtags,
    Misspelling,

    /// <summary>French grammar from Grammalecte: agreement, conjugation, confusions.</summary>
    Grammar,

    /// <summary>French typography from Grammalecte: non-breaking spaces before ! ? : ; %, apostrophes, spaces around commas.</summary>
    Typography,

    /// <summary>Words the editorial line quotes in its "we don’t" list.</summary>
    WeDont,

    /// <summary>More emoji than the editorial line allows on the network.</summary>
    TooManyEmoji,
}

/// <summary>Whether French grammar and typography were checked (by Grammalecte).</summary>
public enum GrammarCheck
{
    /// <summary>The draft is not French (or empty): there is no grammar to check.</summary>
    NotApplicable,
    Checked,

    /// <summary>French, but Grammalecte was not installed, not reachable or too slow: the other checks ran.</summary>
    Unavailable,
}

/// <summary>
/// One problem in a draft. <see cref="Start"/> and <see cref="Length"/> are UTF-16 offsets into
/// the text as given (what C# and JavaScript strings index); <see cref="Line"/> and
/// <see cref="Column"/> are 1-based, in characters as a person counts them, for messages.
/// </summary>
/// <param name="Suggestion">What to do, for a person to read ("Remove 3 characters", "bonjour, bonjours").</param>
public sealed record DraftIssue(DraftIssueKind Kind, int Start, int Length, int Line, int Column, string Message, string? Suggestion)
{
    /// <summary>
    /// Texts that can replace the issue's range as they are, best first (those that only restore an accent or a
    /// capital come first: "Decouvrez" → "Découvrez"); empty when the fix needs a person.
    /// </summary>
    public IReadOnlyList<string> Replacements { get; init; } = [];

    /// <summary>The rule of the checker behind the issue, for Grammalecte's (e.g. "nbsp_avant_deux_points"); else null.</summary>
    public string? Rule { get; init; }
}

/// <summary>The outcome of a check: the issues in text order, the length as the network counts it, and whether spelling could be checked.</summary>
/// <param name="Network">The network id checked for.</param>
/// <param name="Length">The length as the network counts it: graphemes, or X's weights; links count <see cref="SocialNetwork.UrlLength"/> where the network sets it.</param>
/// <param name="MaxLength">The limit that applies: the editorial line's when stricter than the network's, else the network's; null when there is none (the brand blog).</param>
/// <param name="Issues">In text order (<see cref="DraftIssue.Start"/>); a missing signature hashtag sits at the end of the text with length 0.</param>
/// <param name="SpellingChecked">False when the workspace's language has no dictionary on this server, or is neither French nor English.</param>
/// <param name="SpellingLanguage">"fr" or "en": the language spelling was checked in, or would have been when its dictionary is missing; null for other workspace languages.</param>
public sealed record DraftCheckResult(
    string Network, int Length, int? MaxLength, IReadOnlyList<DraftIssue> Issues, bool SpellingChecked, string? SpellingLanguage)
{
    public bool IsClean => Issues.Count == 0;

    /// <summary>Whether French grammar and typography were checked.</summary>
    public GrammarCheck Grammar { get; init; } = GrammarCheck.NotApplicable;
}

/// <summary>One network's side of a <see cref="DraftReport"/>: its count, its limits, and the issues that depend on it.</summary>
/// <param name="Length">As the network counts it (see <see cref="DraftCheckResult.Length"/>).</param>
/// <param name="Emoji">Emoji in the draft, each grapheme cluster once ("👍🏽" and "🇫🇷" are one each).</param>
/// <param name="MaxEmoji">The editorial line's maximum for the network; null when it sets none.</param>
/// <param name="Issues">Length, hashtags, signature hashtag and emoji, in text order.</param>
public sealed record NetworkCheck(string Network, int Length, int? MaxLength, int Emoji, int? MaxEmoji, IReadOnlyList<DraftIssue> Issues)
{
    public bool IsClean => Issues.Count == 0;
}

/// <summary>A draft checked for several networks at once: what depends on the network per network, the rest once.</summary>
/// <param name="Networks">In the catalogue's order.</param>
/// <param name="Issues">What does not depend on the network: terms, "we don’t", spelling, grammar and typography; in text order.</param>
/// <param name="IsEmpty">The draft is empty or blank: there was nothing to check.</param>
public sealed record DraftReport(
    IReadOnlyList<NetworkCheck> Networks, IReadOnlyList<DraftIssue> Issues, bool SpellingChecked, string? SpellingLanguage, GrammarCheck Grammar,
    bool IsEmpty)
{
    public bool IsClean => Issues.Count == 0 && Networks.All(n => n.IsClean);
}
/// <summary>
/// Checks a draft post against the workspace's editorial line for one network: length as the
/// network counts it, banned and preferred terms, the "we don’t" list, signature hashtags, hashtag and emoji
/// counts, spelling, and for French drafts grammar and typography (Grammalecte).
/// Used by the admin "Check a draft" screen and by the modules that write posts.
/// </summary>
public interface IDraftChecker
{
    /// <param name="network">A network id from <see cref="SocialNetworks"/>, e.g. "instagram"; its limits are the workspace's (<see cref="INetworkLimits"/>).</param>
    /// <exception cref="ArgumentException">The network id is unknown.</exception>
    Task<DraftCheckResult> CheckAsync(string text, string network, CancellationToken ct = default);

    /// <summary>Checks a draft for several networks at once; spelling and grammar run once.</summary>
    /// <param name="networks">Network ids; null for the networks the editorial line has guidelines for (every network when it has none).</param>
    /// <param name="channels">The publishing channels the post names, whose limits apply (a Mastodon instance's
    /// <c>max_characters</c>…); null or empty: the tightest of the workspace's active channels of each network.</param>
    /// <exception cref="ArgumentException">A network id is unknown.</exception>
    Task<DraftReport> CheckAllAsync(string text, IReadOnlyList<string>? networks = null, IReadOnlyCollection<Guid>? channels = null,
        CancellationToken ct = default);
}
