using CmPortal.Core.Modules;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Contracts;
using CmPortal.Modules.Publishing.Contracts;

namespace CmPortal.Modules.Blog.Channel;

/// <summary>
/// The brand's blog as a publishing channel: a post's blog variant becomes one article, at the scheduled instant,
/// through the same outbox as the networks. The article's title is the variant's first line (a Markdown heading
/// "# …" is taken off the body; another first line stays in it); its cover is the variant's first image. One delivery
/// writes one article (<see cref="IBlogArticles.PublishAsync"/> is idempotent on the delivery key), so a retry after a
/// crash finds the article instead of writing a second one.
/// </summary>
internal sealed class BlogNetwork(IBlogArticles articles, WorkspaceContext workspace, ModuleFeatures features, PublicUrls urls) : IChannelNetwork
{
    public const int MaxTitleLength = 150;

    public string Kind => "blog";

    public async Task<ConnectOutcome> ConnectAsync(ConnectRequest request, CancellationToken ct)
    {
        var current = workspace.Required;
        if (!await features.IsEnabledAsync(current.Id, "Blog", ct))
            return ConnectOutcome.Refused(new Problem(null, "The blog module is off in this workspace. Turn it on in the modules page first."));
        return new ConnectOutcome([], AccountName: current.Name, AccountUrl: urls.Site(current, "/blog"));
    }

    public string NewDeliveryKey(DateTime utcNow) => "blog-" + Guid.NewGuid().ToString("N");

    public async Task<SendOutcome> SendAsync(SendRequest request, CancellationToken ct)
    {
        if (await FoundAsync(request.DeliveryKey, ct) is { } sent) return SendOutcome.Published(ForEachPart(sent, request));
        var (title, markdown) = Article(request.Parts);
        if (title.Length == 0) return SendOutcome.Refused([], new Problem(null, "The blog variant is empty: write the article's title on its first line, then its text."));
        var cover = request.Parts.SelectMany(p => p.Media).FirstOrDefault();
        try
        {
            var receipt = await articles.PublishAsync(new BlogArticleDraft(title, null, markdown, cover?.MediaId, cover?.AltText), request.DeliveryKey, ct);
            return SendOutcome.Published(ForEachPart(Proof(receipt), request));
        }
        catch (BlogArticleRejectedException refused)
        {
            return SendOutcome.Refused([], [.. refused.Problems]);
        }
    }

    public async Task<ReconcileOutcome> ReconcileAsync(SendRequest request, CancellationToken ct) =>
        await FoundAsync(request.DeliveryKey, ct) is { } sent
            ? new ReconcileOutcome(ReconcileStatus.Found, ForEachPart(sent, request))
            : new ReconcileOutcome(ReconcileStatus.NotFound, []);

    /// <summary>The title (first line, without a heading's "#") and the Markdown body of a variant's parts.</summary>
    internal static (string Title, string Markdown) Article(IReadOnlyList<DeliveryPart> parts)
    {
        var text = string.Join("\n\n", parts.Select(p => p.Text.Trim()).Where(t => t.Length > 0));
        var explicitTitle = parts.Select(p => p.Title).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));
        if (explicitTitle is not null) return (Cut(explicitTitle.Trim()), text);
        var lines = text.Split('\n');
        var first = lines[0].Trim();
        if (first.StartsWith('#'))
            return (Cut(first.TrimStart('#').Trim()), string.Join('\n', lines.Skip(1)).Trim());
        return (Cut(first), text);
    }

    private static string Cut(string title)
    {
        if (title.Length <= MaxTitleLength) return title;
        var cut = title[..MaxTitleLength];
        var space = cut.LastIndexOf(' ');
        return (space > MaxTitleLength / 2 ? cut[..space] : cut).TrimEnd() + "…";
    }

    private async Task<SentPart?> FoundAsync(string deliveryKey, CancellationToken ct) =>
        await articles.FindByDeliveryKeyAsync(deliveryKey, ct) is { } receipt ? Proof(receipt) : null;

    /// <summary>A thread becomes one article, its parts joined: the article is the proof of every part.</summary>
    private static IReadOnlyList<SentPart> ForEachPart(SentPart article, SendRequest request) =>
        Enumerable.Range(0, Math.Max(1, request.Parts.Count)).Select(i => article with { Index = i }).ToList();

    private SentPart Proof(ArticleReceipt receipt) =>
        new(0, receipt.ArticleId.ToString(), urls.Site(workspace.Required, "/blog/" + receipt.Slug));
}
