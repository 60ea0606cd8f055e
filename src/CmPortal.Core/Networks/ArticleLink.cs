using CmPortal.Core.Text;

namespace CmPortal.Core.Networks;

/// <summary>
/// A post that holds a blog article and its social teasers: the teasers go once the article is published, with its
/// address. A teaser's text names where the address goes with <see cref="Placeholder"/>; without it, the address is the
/// teaser's link (when the teaser has none of its own). Shared by the calendar (editor, length checks) and publishing
/// (which replaces it), so that neither depends on the other.
/// </summary>
public static class ArticleLink
{
    /// <summary>The network whose variant is the article (<see cref="SocialNetworks"/>' "blog").</summary>
    public const string Network = "blog";

    /// <summary>Written in a teaser's text, replaced by the article's address when the teaser goes out.</summary>
    public const string Placeholder = "{article}";

    public static bool In(string? text) => text?.Contains(Placeholder, StringComparison.Ordinal) == true;

    /// <summary>The text with the article's address in place of every <see cref="Placeholder"/>.</summary>
    public static string Replace(string text, string address) => text.Replace(Placeholder, address, StringComparison.Ordinal);

    /// <summary>
    /// The text as a network counts it before the article exists: the placeholder becomes <paramref name="estimate"/>,
    /// an address of the length the article's will have, so a network that counts every link at a fixed length
    /// (Mastodon, X: 23) counts that, and the others count the address as written.
    /// </summary>
    public static string ForCounting(string text, string estimate) => In(text) ? Replace(text, estimate) : text;

    /// <summary>
    /// The address an article will likely have before it exists: the site's blog and the slug of the article's title
    /// (its text's first line, without a heading's "#"), as the blog makes it. The blog may add "-2" to a slug taken.
    /// </summary>
    public static string Estimate(string siteBase, string? articleText)
    {
        var first = (articleText ?? "").Trim().Split('\n')[0].Trim().TrimStart('#').Trim();
        var slug = Slugs.From(first, maxLength: 76);
        return siteBase + "/blog/" + (slug.Length > 0 ? slug : "article");
    }
}
