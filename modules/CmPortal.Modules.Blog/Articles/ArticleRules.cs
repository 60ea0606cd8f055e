using System.Text.RegularExpressions;
using CmPortal.Core;
using CmPortal.Core.Text;
using CmPortal.Core.Validation;

namespace CmPortal.Modules.Blog.Articles;

/// <summary>What an article is made of, as the editor, a recipe or publishing gives it.</summary>
internal sealed record ArticleInput
{
    public string? Title { get; init; }
    /// <summary>Empty: made from the title (accents folded), made unique with "-2", "-3"…</summary>
    public string? Slug { get; init; }
    public string? Summary { get; init; }
    public string? BodyMarkdown { get; init; }
    public Guid? CoverMediaId { get; init; }
    /// <summary>Empty with a cover: the image's own description in the media library.</summary>
    public string? CoverAlt { get; init; }
    public string? AuthorName { get; init; }
    /// <summary>Comma-separated.</summary>
    public string? Tags { get; init; }
}

/// <summary>The rules of an article's fields that need no database.</summary>
internal static partial class ArticleRules
{
    public const int MaxSlug = 80, MaxTitle = 200, MaxSummary = 500, MaxBody = 100_000, MaxAlt = 1500, MaxAuthor = 100,
        MaxTags = 500, MaxTagCount = 10, MaxTag = 40, MaxDeliveryKey = 200;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    public static bool IsSlug(string? slug) => slug is { Length: > 0 and <= MaxSlug } && SlugPattern().IsMatch(slug);

    /// <summary>The slug a title gives: "Les bougies de l’Avent à Noël" → "les-bougies-de-l-avent-a-noel".</summary>
    public static string SlugOf(string? title) => Slugs.From(title, maxLength: MaxSlug - 4) is { Length: > 0 } slug ? slug : "article";

    /// <summary>"bougies, Noël , bougies" → ["bougies", "Noël"]: trimmed, without empty or repeated ones (case ignored).</summary>
    public static IReadOnlyList<string> SplitTags(string? tags) =>
        (tags ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).DistinctBy(t => t.ToLowerInvariant()).ToList();

    public static string? JoinTags(IEnumerable<string>? tags) => tags is null ? null : Blank(string.Join(", ", SplitTags(string.Join(",", tags))));

    /// <summary>The problems of the fields alone (slug uniqueness and the cover's presence are the service's).</summary>
    public static IEnumerable<Problem> Check(ArticleInput input, bool publishing)
    {
        var title = input.Title?.Trim() ?? "";
        if (title.Length == 0) yield return new Problem("title", "Give the article a title.");
        else if (title.Length > MaxTitle) yield return new Problem("title", "The title is {0} characters long; the most is {1}.", title.Length, MaxTitle);
        if (Unsafe(input.Title, singleLine: true) is { } t) yield return new Problem("title", "The text holds {0}, which could hide or reorder what readers see. Remove it.", t);

        var slug = input.Slug?.Trim();
        if (!string.IsNullOrEmpty(slug) && !IsSlug(slug))
            yield return new Problem("slug", "\"{0}\" is not a valid slug. Use lowercase letters, digits and hyphens, e.g. \"bougies-d-hiver\" ({1} characters at most).", slug, MaxSlug);

        if (input.Summary?.Trim() is { Length: > MaxSummary } summary)
            yield return new Problem("summary", "The summary is {0} characters long; the most is {1}.", summary.Length, MaxSummary);
        if (Unsafe(input.Summary, singleLine: false) is { } s) yield return new Problem("summary", "The text holds {0}, which could hide or reorder what readers see. Remove it.", s);

        var body = input.BodyMarkdown ?? "";
        if (body.Length > MaxBody) yield return new Problem("bodyMarkdown", "The text is {0} characters long; the most is {1}.", body.Length, MaxBody);
        if (publishing && string.IsNullOrWhiteSpace(body)) yield return new Problem("bodyMarkdown", "Write the article's text before publishing it.");
        if (Unsafe(body, singleLine: false) is { } b) yield return new Problem("bodyMarkdown", "The text holds {0}, which could hide or reorder what readers see. Remove it.", b);

        if (input.CoverAlt?.Trim() is { Length: > MaxAlt } alt)
            yield return new Problem("coverAlt", "The description is {0} characters long; the most is {1}.", alt.Length, MaxAlt);
        if (Unsafe(input.CoverAlt, singleLine: false) is { } a) yield return new Problem("coverAlt", "The text holds {0}, which could hide or reorder what readers see. Remove it.", a);

        if (input.AuthorName?.Trim() is { Length: > MaxAuthor } author)
            yield return new Problem("authorName", "The author's name is {0} characters long; the most is {1}.", author.Length, MaxAuthor);
        if (Unsafe(input.AuthorName, singleLine: true) is { } n) yield return new Problem("authorName", "The text holds {0}, which could hide or reorder what readers see. Remove it.", n);

        var tags = SplitTags(input.Tags);
        if (tags.Count > MaxTagCount) yield return new Problem("tags", "{0} tags: an article has at most {1}.", tags.Count, MaxTagCount);
        if (tags.FirstOrDefault(tag => tag.Length > MaxTag) is { } longTag)
            yield return new Problem("tags", "The tag “{0}” is longer than {1} characters.", longTag, MaxTag);
        if (Unsafe(input.Tags, singleLine: true) is { } g) yield return new Problem("tags", "The text holds {0}, which could hide or reorder what readers see. Remove it.", g);
    }

    private static CharacterValue? Unsafe(string? text, bool singleLine) =>
        text is not null && TextRules.IndexOfUnsafe(text, singleLine) is >= 0 and var at ? ProblemValue.Character(text[at]) : null;

    public static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
