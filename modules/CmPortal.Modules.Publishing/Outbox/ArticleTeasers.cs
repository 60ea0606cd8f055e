using CmPortal.Core.Networks;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>What a teaser does now: go (with the article's address, if any), wait for the article, fail or be canceled.</summary>
internal enum ArticleGateStatus { Go, Wait, Fail, Cancel }

/// <param name="Url">The published article's address, for the teaser; null when the post has no article.</param>
/// <param name="Tell">A failure the author and approvers were not told of already (the article's own failure was).</param>
internal sealed record ArticleGate(ArticleGateStatus Status, string? Url = null, string? Reason = null, bool Tell = false)
{
    public static readonly ArticleGate Alone = new(ArticleGateStatus.Go);
}

/// <summary>
/// An occurrence of a post with an article (its "blog" variant, delivered to the blog) and social deliveries (the
/// teasers): the teasers wait until the article's delivery is Published, then go at once with its address. They never
/// go out before it, so never with a dead link: while it is due or retried they wait ("waiting for the article" in
/// the log); when it fails they fail too, without a second notification, and sending the article again puts them back
/// to wait; when it is canceled they are canceled. A dependency between deliveries of one occurrence, read when a
/// teaser is claimed: no column, and a post that no longer has a blog variant sends its teasers alone.
/// </summary>
internal sealed class ArticleTeasers(PublishingDbContext db, TimeProvider clock)
{
    public const string Waiting = "Waiting for the article: this teaser goes as soon as the article is published on the blog, with its address.";
    public const string ArticleFailed = "Not sent: the article did not go out, and a teaser never goes without it. Send the article again: its teasers follow it.";
    public const string ArticleCanceled = "The article was canceled: its teasers are not sent (their link would lead nowhere).";
    public const string NoArticle = "The text holds {article}, the article's address, but no article goes out with this post: add the blog to its networks and channels, or take {article} out.";

    /// <summary>A teaser waiting for an article looks again after this, in case its release was missed (a node stopped).</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    /// <summary>Whether a delivery's last message is one of these reasons (the portal's words, not the network's).</summary>
    public static bool IsReason(string? message) => message is Waiting or ArticleFailed or ArticleCanceled or NoArticle;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Whether <paramref name="delivery"/> may go now, and with which address, given its occurrence's article.</summary>
    public async Task<ArticleGate> GateAsync(Delivery delivery, IReadOnlyList<DeliveryPart> parts, ScheduledContent content, CancellationToken ct)
    {
        if (delivery.Network == ArticleLink.Network) return ArticleGate.Alone;
        var placeholder = parts.Any(p => ArticleLink.In(p.Text));
        var article = content.For(ArticleLink.Network) is null ? null : await ArticleOfAsync(delivery, ct);
        if (article is null)
            return placeholder ? new ArticleGate(ArticleGateStatus.Fail, Reason: NoArticle, Tell: true) : ArticleGate.Alone;
        return article.State switch
        {
            DeliveryState.Published when article.RemoteUrl is { Length: > 0 } url => new ArticleGate(ArticleGateStatus.Go, url),
            DeliveryState.Published => placeholder ? new ArticleGate(ArticleGateStatus.Fail, Reason: NoArticle, Tell: true) : ArticleGate.Alone,
            DeliveryState.Failed => new ArticleGate(ArticleGateStatus.Fail, Reason: ArticleFailed),
            DeliveryState.Canceled => new ArticleGate(ArticleGateStatus.Cancel, Reason: ArticleCanceled),
            _ => new ArticleGate(ArticleGateStatus.Wait, Reason: Waiting),
        };
    }

    /// <summary>
    /// The teaser's parts with the article's address: in place of every {article}; or, when no part names it, as the
    /// first part's link if it has none (networks add a link after the text, counted as they count links).
    /// </summary>
    public static SendRequest WithArticle(SendRequest request, string? url)
    {
        if (url is null || request.Parts.Count == 0) return request;
        var named = request.Parts.Any(p => ArticleLink.In(p.Text));
        var parts = request.Parts.Select(p => p with { Text = ArticleLink.Replace(p.Text, url) }).ToList();
        if (!named && string.IsNullOrWhiteSpace(parts[0].Link)) parts[0] = parts[0] with { Link = url };
        return request with { Parts = parts };
    }

    /// <summary>
    /// The text a person copies for a teaser posted by hand: the article's address in place of {article}, or after the
    /// text when it does not name it and has no link of its own (as networks add a link).
    /// </summary>
    public static string TextToCopy(string text, string? link, string? url) =>
        url is null ? text
        : ArticleLink.In(text) ? ArticleLink.Replace(text, url)
        : string.IsNullOrWhiteSpace(link) ? text.TrimEnd() + "\n\n" + url : text;

    /// <summary>The published article's address for a teaser of its occurrence, or null (none, or not published yet).</summary>
    public async Task<string?> ArticleUrlAsync(Delivery teaser, CancellationToken ct) =>
        teaser.Network != ArticleLink.Network && await ArticleOfAsync(teaser, ct) is { State: DeliveryState.Published } article ? article.RemoteUrl : null;

    /// <summary>The article was published: its waiting teasers become due at once.</summary>
    public async Task ArticlePublishedAsync(Delivery article, CancellationToken ct)
    {
        if (article.Network != ArticleLink.Network) return;
        var now = Now;
        await WaitingTeasers(article).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.NextAttemptUtc, now).SetProperty(d => d.Version, d => d.Version + 1), ct);
    }

    /// <summary>The article failed for good: its waiting teasers fail with the reason (the article's failure was told).</summary>
    public async Task ArticleFailedAsync(Delivery article, CancellationToken ct)
    {
        if (article.Network != ArticleLink.Network) return;
        await WaitingTeasers(article).ExecuteUpdateAsync(s => s
            .SetProperty(d => d.State, DeliveryState.Failed).SetProperty(d => d.LastError, ArticleFailed)
            .SetProperty(d => d.NextAttemptUtc, (DateTime?)null).SetProperty(d => d.Version, d => d.Version + 1), ct);
    }

    /// <summary>A person canceled the article: its teasers still waiting, or failed because of it, are canceled with the reason.</summary>
    public async Task ArticleCanceledAsync(Delivery article, CancellationToken ct)
    {
        if (article.Network != ArticleLink.Network) return;
        await Teasers(article).Where(d => (d.State == DeliveryState.Pending && d.LastError == Waiting) || (d.State == DeliveryState.Failed && d.LastError == ArticleFailed))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, DeliveryState.Canceled).SetProperty(d => d.CanceledReason, ArticleCanceled)
                .SetProperty(d => d.Version, d => d.Version + 1), ct);
    }

    /// <summary>The article is sent again: the teasers that failed because of it wait for it again.</summary>
    public async Task ArticleRetriedAsync(Delivery article, CancellationToken ct)
    {
        if (article.Network != ArticleLink.Network) return;
        await Teasers(article).Where(d => d.State == DeliveryState.Failed && d.LastError == ArticleFailed)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.State, DeliveryState.Pending).SetProperty(d => d.LastError, Waiting)
                .SetProperty(d => d.NextAttemptUtc, (DateTime?)null).SetProperty(d => d.Version, d => d.Version + 1), ct);
    }

    /// <summary>
    /// After a teaser was put back to wait: if the article was published meanwhile (its release did not see this
    /// teaser, which was being sent), the teaser is due at once. Both sides write, then read: one of them sees the other.
    /// </summary>
    public async Task RecheckAsync(Delivery teaser, CancellationToken ct)
    {
        var article = await ArticleOfAsync(teaser, ct);
        if (article?.State == DeliveryState.Published) await ArticlePublishedAsync(article, ct);
    }

    /// <summary>The occurrence's article: its delivery to the blog (a channel of kind "blog" first, then any channel carrying the blog variant).</summary>
    private async Task<Delivery?> ArticleOfAsync(Delivery teaser, CancellationToken ct) =>
        await (from d in db.Deliveries.AsNoTracking()
               join c in db.Channels.AsNoTracking() on d.ChannelId equals c.Id
               where d.PostId == teaser.PostId && d.OccurrenceUtc == teaser.OccurrenceUtc && d.Network == ArticleLink.Network
               orderby c.Kind == ArticleLink.Network descending, d.Id
               select d).FirstOrDefaultAsync(ct);

    private IQueryable<Delivery> Teasers(Delivery article) =>
        db.Deliveries.Where(d => d.PostId == article.PostId && d.OccurrenceUtc == article.OccurrenceUtc && d.Network != ArticleLink.Network);

    private IQueryable<Delivery> WaitingTeasers(Delivery article) =>
        Teasers(article).Where(d => d.State == DeliveryState.Pending && d.LastError == Waiting);
}
