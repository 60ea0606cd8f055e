using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Publishing.Admin;

/// <summary>The log filters and one delivery's page.</summary>
internal sealed record PublishingLogPage(IReadOnlyList<DeliveryView> Deliveries, IReadOnlyList<Channel> Channels, Guid? Channel, DeliveryState? State, DateOnly? Day,
    IReadOnlyDictionary<Guid, string> Posts, IReadOnlyDictionary<Guid, Reply> Replies);

/// <summary>One delivery: its attempts, and for a manual channel the text and images to post by hand.</summary>
/// <param name="Reply">For a reply sent from the inbox: its text and the post it answers.</param>
internal sealed record DeliveryPage(DeliveryView View, ScheduledContent? Content, string? ArticleUrl = null, Reply? Reply = null);

/// <summary>A post's deliveries, per channel with their attempts; <paramref name="Excerpt"/> is the start of its text (null once it no longer goes out).</summary>
internal sealed record PostDeliveriesPage(Guid PostId, string? Excerpt, IReadOnlyList<DeliveryView> Deliveries, bool CanPublish);

/// <summary>The publishing log (« Journal de publication »): every delivery with its attempts; publish now, cancel, retry, mark published.</summary>
[Route("admin/{workspace}/publishing")]
[RequirePermission("Publishing.View")]
internal sealed class PublishingLogController(DeliveryService deliveries, ChannelService channels, IPublishingSchedule schedule, ArticleTeasers teasers, WorkspaceContext workspace,
    PermissionService permissions, IStringLocalizer<PublishingLogController> T) : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/publishing";

    [HttpGet("")]
    public async Task<IActionResult> Index(Guid? channel, DeliveryState? state, DateOnly? day, CancellationToken ct)
    {
        // The day is one of the workspace's calendar, as the log's times are (23 or 25 hours across a clock change).
        var zone = WorkspaceTime.ZoneOf(workspace.Required.TimeZone);
        DateTime? StartOf(DateOnly? d) => d is { } date ? zone.AtStartOfDay(NodaTime.LocalDate.FromDateOnly(date)).ToInstant().ToDateTimeUtc() : null;
        var list = await deliveries.LogAsync(channel, state, StartOf(day), StartOf(day?.AddDays(1)), 200, ct);
        var posts = await schedule.ExcerptsAsync(list.Select(v => v.Delivery.PostId).Distinct().ToList(), ct);
        return View(new PublishingLogPage(list, await channels.ListAsync(ct), channel, state, day, posts, await deliveries.RepliesAsync(list, ct)));
    }

    [HttpGet("deliveries/{id:guid}")]
    public async Task<IActionResult> Delivery(Guid id, CancellationToken ct)
    {
        if (await deliveries.FindAsync(id, ct) is not { } view) return NotFound();
        if (view.Delivery.ReplyId is not null)
            return View(new DeliveryPage(view, null, Reply: (await deliveries.RepliesAsync([view], ct)).Values.FirstOrDefault()));
        var content = await schedule.ContentAsync(view.Delivery.PostId, view.Delivery.OccurrenceUtc, ct);
        return View(new DeliveryPage(view, content, await teasers.ArticleUrlAsync(view.Delivery, ct)));
    }

    /// <summary>
    /// The deliveries of one post, linked from the post editor's "Publishing" panel: per channel its state, attempts
    /// with their times and the network's answers, the published post's link, and publish now, cancel, retry.
    /// </summary>
    [HttpGet("posts/{postId:guid}")]
    public async Task<IActionResult> Post(Guid postId, CancellationToken ct)
    {
        var list = await deliveries.ForPostAsync(postId, ct);
        // No delivery of this post here: another workspace's post (or none) — as unknown as any missing page.
        if (list.Count == 0) return NotFound();
        var ordered = list.OrderByDescending(v => v.Delivery.OccurrenceUtc).ThenBy(v => v.ChannelName, StringComparer.CurrentCulture).ToList();
        var content = await schedule.ContentAsync(postId, ordered[0].Delivery.OccurrenceUtc, ct);
        var canPublish = await permissions.HasAsync(User, workspace.Required, PublishingPermissions.Publish.Name, ct);
        return View(new PostDeliveriesPage(postId, content?.Excerpt, ordered, canPublish));
    }

    [HttpPost("posts/{postId:guid}/publish-now")]
    [RequirePermission("Publishing.Publish")]
    public async Task<IActionResult> PublishNow(Guid postId, CancellationToken ct) =>
        Done(await deliveries.PublishNowAsync(postId, ct), $"{Base}/posts/{postId}");

    [HttpPost("deliveries/{id:guid}/cancel")]
    [RequirePermission("Publishing.Publish")]
    public async Task<IActionResult> Cancel(Guid id, Guid? postId, CancellationToken ct) =>
        Done(await deliveries.CancelAsync(id, "Canceled by a member of the team.", ct), Back(id, postId));

    [HttpPost("deliveries/{id:guid}/retry")]
    [RequirePermission("Publishing.Publish")]
    public async Task<IActionResult> Retry(Guid id, Guid? postId, CancellationToken ct) =>
        Done(await deliveries.RetryAsync(id, ct), Back(id, postId));

    [HttpPost("deliveries/{id:guid}/published")]
    [RequirePermission("Publishing.Publish")]
    public async Task<IActionResult> MarkPublished(Guid id, string? url, CancellationToken ct) =>
        Done(await deliveries.MarkPublishedAsync(id, url, ct), $"{Base}/deliveries/{id}");

    /// <summary>Back to the post's page when the action came from there (a path built here: never an address from the form).</summary>
    private string Back(Guid delivery, Guid? postId) => postId is { } post ? $"{Base}/posts/{post}" : $"{Base}/deliveries/{delivery}";

    private IActionResult Done(DeliveryOutcome outcome, string back)
    {
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Succeeded) TempData["Message"] = T["Done."].Value;
        else TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect(back);
    }
}
