namespace CmPortal.Modules.BrandIdentity.Contracts;

public enum DraftIssueKind
{
    TooLong,
    BannedTerm,
    PreferredTerm,
    MissingSignatureHashtag,
    TooManyHashtags,
    Misspelling,
}

/// <summary>
/// One problem in a draft. <see cref="Start"/> and <see cref="Length"/> are UTF-16 offsets into
/// the text as given (what C# and JavaScript strings index); <see cref="Line"/> and
/// <see cref="Column"/> are 1-based, in characters as a person counts them, for messages.
/// </summary>
public sealed record DraftIssue(DraftIssueKind Kind, int Start, int Length, int Line, int Column, string Message, string? Suggestion);

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
}

/// <summary>
/// Checks a draft post against the workspace's editorial line for one network: length as the
/// network counts it, banned and preferred terms, signature hashtags, hashtag count, spelling.
/// Used by the admin "Check a draft" screen and by the modules that write posts.
/// </summary>
public interface IDraftChecker
{
    /// <param name="network">A network id from <see cref="SocialNetworks"/>, e.g. "instagram".</param>
    /// <exception cref="ArgumentException">The network id is unknown.</exception>
    Task<DraftCheckResult> CheckAsync(string text, string network, CancellationToken ct = default);
}
