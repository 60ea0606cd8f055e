using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using CmPortal.Core.Text;
using CmPortal.Core.Validation;

namespace CmPortal.Modules.Inbox.Sources.Feeds;

/// <summary>
/// A feed's bytes as <see cref="ListenedItem"/>s: RSS 2.0, RSS 1.0 (RDF), Atom 1.0 and JSON Feed 1.x, decoded in the
/// charset the feed declares. A web page, broken XML, a DTD or an unknown charset give a <see cref="Problem"/>.
/// </summary>
internal static partial class FeedParser
{
    private const string Field = "url";
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private static readonly XNamespace Rss1 = "http://purl.org/rss/1.0/";
    private static readonly XNamespace Rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";
    private static readonly XNamespace ContentNs = "http://purl.org/rss/1.0/modules/content/";

    static FeedParser() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // ISO-8859-x, Windows-125x.

    [GeneratedRegex("""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex XmlDeclarationEncoding();

    [GeneratedRegex(@"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex HtmlStart();

    public sealed record Parsed(IReadOnlyList<ListenedItem> Items, string? Title);

    /// <summary>Reads the feed; <paramref name="address"/> resolves relative links, <paramref name="now"/> dates undated items.</summary>
    public static (Parsed? Feed, Problem? Problem) Parse(byte[] body, string? mediaType, string? httpCharset, Uri address, DateTimeOffset now)
    {
        var (encoding, problem) = ChooseEncoding(body, httpCharset);
        if (problem is not null) return (null, problem);
        var text = Decode(body, encoding!);
        var start = text.AsSpan().TrimStart();
        if (start.StartsWith("{"))
            return ReadJsonFeed(text, address, now);
        if (HtmlStart().IsMatch(text))
            return (null, WebPage(text, address));
        var xml = ReadXml(text, address, now);
        // Many servers label their RSS text/html: the label only decides once the body is no feed.
        return xml.Item2 is not null && mediaType is "text/html" or "application/xhtml+xml" ? (null, WebPage(text, address)) : xml;
    }

    // RFC 7303: a byte order mark wins, then the HTTP charset, then the XML declaration; UTF-8 otherwise.
    private static (Encoding? Encoding, Problem? Problem) ChooseEncoding(byte[] body, string? httpCharset)
    {
        if (body.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (Encoding.UTF8, null);
        if (body.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (Encoding.Unicode, null);
        if (body.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (Encoding.BigEndianUnicode, null);
        var declared = httpCharset?.Trim('"', '\'', ' ');
        if (string.IsNullOrEmpty(declared))
        {
            var head = Encoding.ASCII.GetString(body, 0, Math.Min(body.Length, 512));
            var match = XmlDeclarationEncoding().Match(head);
            declared = match.Success ? match.Groups[1].Value : null;
        }
        if (string.IsNullOrEmpty(declared)) return (Encoding.UTF8, null);
        try
        {
            return (Encoding.GetEncoding(declared), null);
        }
        catch (ArgumentException)
        {
            return (null, new Problem(Field, "The feed declares the character set \"{0}\", which the portal does not know. Ask the site to publish its feed in UTF-8.", declared));
        }
    }

    private static string Decode(byte[] body, Encoding encoding)
    {
        var text = encoding.GetString(body);
        return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
    }

    private static Problem WebPage(string html, Uri address)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var link in document.QuerySelectorAll("link[rel~=alternate][href]"))
        {
            var type = link.GetAttribute("type")?.ToLowerInvariant() ?? "";
            if (!type.Contains("rss") && !type.Contains("atom") && !type.Contains("feed+json")) continue;
            var feed = FeedText.RealLink(link.GetAttribute("href"), address);
            if (feed is not null)
                return new Problem(Field, "This address is a web page, not a feed. The page names its feed: use {0}.", feed);
        }
        return new Problem(Field, "This address is a web page, not a feed. Look on the site for an RSS or Atom link (often an orange icon) and use that address.");
    }

    private static (Parsed?, Problem?) ReadXml(string text, Uri address, DateTimeOffset now)
    {
        // No DTD, no resolver: an external entity (XXE) or an entity bomb is refused before anything is expanded.
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal) || text.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase) && e.LineNumber <= LineOfRoot(text))
        {
            return (null, new Problem(Field, "The feed contains a DTD (<!DOCTYPE …>), which the portal refuses for safety. Ask the site to remove it, or use another of its feeds."));
        }
        catch (XmlException e)
        {
            return (null, new Problem(Field, "The feed is not valid XML (line {0}, column {1}). The site publishes a broken feed: try again later or tell the site's owner.", e.LineNumber, e.LinePosition));
        }
        var root = document.Root!;
        if (root.Name == Atom + "feed") return (ReadAtom(root, address, now), null);
        if (root.Name.LocalName == "rss") return (ReadRss(root.Element("channel") ?? root, root.Element("channel") ?? root, address, now), null);
        if (root.Name == Rdf + "RDF") return (ReadRss(root.Element(Rss1 + "channel") ?? root, root, address, now), null);
        if (root.Name.LocalName == "html")
            return (null, WebPage(text, address));
        return (null, new Problem(Field, "This address gives an XML document that is not a feed (its root is <{0}>). Use the address of an RSS, Atom or JSON feed.", root.Name.LocalName));
    }

    private static int LineOfRoot(string text)
    {
        var doctype = text.IndexOf("<!DOCTYPE", StringComparison.OrdinalIgnoreCase);
        return doctype < 0 ? 0 : text.AsSpan(0, doctype).Count('\n') + 1;
    }

    // RSS 2.0 (no namespace) and RSS 1.0 (its namespace, items beside the channel): the same reading.
    private static Parsed ReadRss(XElement channel, XElement itemsParent, Uri address, DateTimeOffset now)
    {
        XNamespace ns = channel.Name.Namespace;
        var language = Value(channel.Element(ns + "language")) ?? Value(channel.Element(Dc + "language"));
        var items = new List<ListenedItem>();
        foreach (var item in itemsParent.Elements(ns + "item"))
        {
            var title = HtmlText.ToOneLine(Value(item.Element(ns + "title")));
            var url = FeedText.RealLink(Value(item.Element(ns + "link")), address)
                ?? FeedText.RealLink(item.Attribute(Rdf + "about")?.Value, address);
            var guid = item.Element(ns + "guid");
            var html = Value(item.Element(ContentNs + "encoded")) ?? Value(item.Element(ns + "description"));
            var author = Value(item.Element(Dc + "creator")) ?? Value(item.Element(ns + "author"));
            var date = Value(item.Element(ns + "pubDate")) ?? Value(item.Element(Dc + "date"));
            var id = Value(guid) ?? item.Attribute(Rdf + "about")?.Value;
            items.Add(Item(id, url, title, HtmlText.ToOneLine(html), author, date, language ?? Value(item.Element(Dc + "language")), now));
        }
        return new Parsed(items, NullIfEmpty(HtmlText.ToOneLine(Value(channel.Element(ns + "title")))));
    }

    private static Parsed ReadAtom(XElement feed, Uri address, DateTimeOffset now)
    {
        var feedLanguage = Lang(feed);
        var items = new List<ListenedItem>();
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            var links = entry.Elements(Atom + "link").ToList();
            var link = links.FirstOrDefault(l => (string?)l.Attribute("rel") is null or "alternate") ?? links.FirstOrDefault();
            var url = FeedText.RealLink(link?.Attribute("href")?.Value, address);
            var title = AtomText(entry.Element(Atom + "title"));
            var text = AtomText(entry.Element(Atom + "content")) is { Length: > 0 } content ? content : AtomText(entry.Element(Atom + "summary"));
            var author = Value(entry.Element(Atom + "author")?.Element(Atom + "name")) ?? Value(feed.Element(Atom + "author")?.Element(Atom + "name"));
            var date = Value(entry.Element(Atom + "published")) ?? Value(entry.Element(Atom + "updated"));
            items.Add(Item(Value(entry.Element(Atom + "id")), url, title, text, author, date, Lang(entry) ?? feedLanguage, now));
        }
        return new Parsed(items, NullIfEmpty(AtomText(feed.Element(Atom + "title"))));
    }

    // Atom text constructs: type="html" is escaped HTML, "xhtml" is markup inline, "text" may still hold entities.
    private static string AtomText(XElement? element)
    {
        if (element is null) return "";
        var type = (string?)element.Attribute("type");
        if (type == "xhtml") return HtmlText.ToOneLine(string.Concat(element.Nodes().Select(n => n.ToString())));
        return HtmlText.ToOneLine(element.Value);
    }

    private static string? Lang(XElement element) => NullIfEmpty(element.Attribute(XNamespace.Xml + "lang")?.Value);

    private static (Parsed?, Problem?) ReadJsonFeed(string text, Uri address, DateTimeOffset now)
    {
        try
        {
            using var json = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 64 });
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || Str(root, "version") is not { } version || !version.StartsWith("https://jsonfeed.org/version/", StringComparison.Ordinal))
                return (null, new Problem(Field, "This address gives JSON that is not a JSON Feed (no \"version\" naming jsonfeed.org). Use the address of an RSS, Atom or JSON feed."));
            var language = Str(root, "language");
            var feedAuthor = AuthorName(root);
            var items = new List<ListenedItem>();
            if (root.TryGetProperty("items", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object) continue;
                    var url = FeedText.RealLink(Str(item, "url"), address) ?? FeedText.RealLink(Str(item, "external_url"), address);
                    var body = Str(item, "content_html") is { } html ? HtmlText.ToOneLine(html)
                        : HtmlText.ToOneLine(Str(item, "content_text") ?? Str(item, "summary"));
                    var id = Str(item, "id") ?? (item.TryGetProperty("id", out var number) && number.ValueKind == JsonValueKind.Number ? number.GetRawText() : null);
                    items.Add(Item(id, url, HtmlText.ToOneLine(Str(item, "title")), body, AuthorName(item) ?? feedAuthor,
                        Str(item, "date_published") ?? Str(item, "date_modified"), Str(item, "language") ?? language, now));
                }
            }
            return (new Parsed(items, NullIfEmpty(HtmlText.ToOneLine(Str(root, "title")))), null);
        }
        catch (JsonException e)
        {
            return (null, new Problem(Field, "The feed is not valid JSON (line {0}). The site publishes a broken feed: try again later or tell the site's owner.", (e.LineNumber ?? 0) + 1));
        }
    }

    // JSON Feed 1.1 has "authors" (a list); 1.0 had "author".
    private static string? AuthorName(JsonElement element)
    {
        if (element.TryGetProperty("authors", out var authors) && authors.ValueKind == JsonValueKind.Array)
            foreach (var author in authors.EnumerateArray())
                if (author.ValueKind == JsonValueKind.Object && Str(author, "name") is { } name) return name;
        return element.TryGetProperty("author", out var single) && single.ValueKind == JsonValueKind.Object ? Str(single, "name") : null;
    }

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? NullIfEmpty(value.GetString()) : null;

    private static ListenedItem Item(string? id, string? url, string title, string text, string? author, string? date, string? language, DateTimeOffset now)
    {
        // An entry with neither id nor link still needs a stable id to be stored once: a hash of what it says.
        var externalId = NullIfEmpty(id?.Trim()) ?? url
            ?? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(title + "\n" + text + "\n" + date)));
        return new ListenedItem(externalId, url, text.Length > 0 ? text : title, NullIfEmpty(title),
            NullIfEmpty(HtmlText.ToOneLine(author)), null, null, FeedDates.Parse(date) ?? now, NullIfEmpty(language), null);
    }

    private static string? Value(XElement? element) => NullIfEmpty(element?.Value.Trim());

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
