using System.Globalization;
using System.Xml.Linq;
using CmPortal.Core.Text;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Data;

namespace CmPortal.Modules.Blog.Public;

/// <summary>
/// The blog's feeds: RSS 2.0 (<c>rss.xml</c>) and Atom 1.0 (<c>atom.xml</c>), the latest <see cref="Size"/> published
/// articles, newest first, with absolute addresses on the site's public base.
/// </summary>
internal static class BlogFeeds
{
    public const int Size = 20;
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    /// <summary>RSS's own &lt;author&gt; takes an e-mail address; a name goes in Dublin Core's creator.</summary>
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    /// <summary>What both feeds say of the blog; <paramref name="Url"/> makes a site-relative path absolute.</summary>
    public sealed record Channel(Workspace Workspace, string Title, string Description, Func<string, string> Url, IReadOnlyList<Article> Articles);

    public static string Rss(Channel channel)
    {
        var self = channel.Url("/blog/rss.xml");
        var built = channel.Articles.Count == 0 ? DateTime.UtcNow : channel.Articles.Max(a => a.UpdatedUtc);
        var rss = new XElement("rss", new XAttribute("version", "2.0"), new XAttribute(XNamespace.Xmlns + "atom", Atom.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "dc", Dc.NamespaceName),
            new XElement("channel",
                new XElement("title", channel.Title),
                new XElement("link", channel.Url("/blog")),
                new XElement("description", channel.Description),
                new XElement("language", channel.Workspace.Culture),
                new XElement("lastBuildDate", Rfc822(built)),
                new XElement(Atom + "link", new XAttribute("href", self), new XAttribute("rel", "self"), new XAttribute("type", "application/rss+xml")),
                channel.Articles.Select(a => new XElement("item",
                    new XElement("title", a.Title),
                    new XElement("link", channel.Url("/blog/" + a.Slug)),
                    new XElement("guid", new XAttribute("isPermaLink", "true"), channel.Url("/blog/" + a.Slug)),
                    new XElement("pubDate", Rfc822(a.PublishedUtc ?? a.UpdatedUtc)),
                    a.AuthorName is null ? null : new XElement(Dc + "creator", a.AuthorName),
                    a.TagList.Select(t => new XElement("category", t)),
                    new XElement("description", Summary(a))))));
        return Write(rss);
    }

    public static string AtomFeed(Channel channel)
    {
        var updated = channel.Articles.Count == 0 ? DateTime.UtcNow : channel.Articles.Max(a => a.UpdatedUtc);
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", channel.Url("/blog")),
            new XElement(Atom + "title", channel.Title),
            new XElement(Atom + "subtitle", channel.Description),
            new XElement(Atom + "updated", Rfc3339(updated)),
            new XElement(Atom + "link", new XAttribute("rel", "self"), new XAttribute("type", "application/atom+xml"), new XAttribute("href", channel.Url("/blog/atom.xml"))),
            new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", channel.Url("/blog"))),
            new XElement(Atom + "author", new XElement(Atom + "name", channel.Workspace.Name)),
            channel.Articles.Select(a => new XElement(Atom + "entry",
                // The article's id, not its address: the entry stays the same when its slug is edited.
                new XElement(Atom + "id", $"urn:uuid:{a.Id}"),
                new XElement(Atom + "title", a.Title),
                new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", "text/html"), new XAttribute("href", channel.Url("/blog/" + a.Slug))),
                new XElement(Atom + "published", Rfc3339(a.PublishedUtc ?? a.UpdatedUtc)),
                new XElement(Atom + "updated", Rfc3339(a.UpdatedUtc)),
                a.AuthorName is null ? null : new XElement(Atom + "author", new XElement(Atom + "name", a.AuthorName)),
                a.TagList.Select(t => new XElement(Atom + "category", new XAttribute("term", t))),
                new XElement(Atom + "summary", Summary(a)),
                new XElement(Atom + "content", new XAttribute("type", "html"), SafeMarkdown.ToHtml(a.BodyMarkdown, topHeading: 2)))));
        return Write(feed);
    }

    /// <summary>The summary, or the start of the text without its Markdown marks.</summary>
    public static string Summary(Article article)
    {
        if (article.Summary is { } summary) return summary;
        var plain = SafeMarkdown.ToPlainText(article.BodyMarkdown).ReplaceLineEndings(" ");
        return plain.Length <= 280 ? plain : plain[..280].TrimEnd() + "…";
    }

    private static string Rfc822(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("r", CultureInfo.InvariantCulture);

    private static string Rfc3339(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Write(XElement root) => new XDeclaration("1.0", "utf-8", null) + "\n" + root;
}
