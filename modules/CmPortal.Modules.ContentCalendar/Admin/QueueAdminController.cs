using System.Globalization;
using CmPortal.Core.Localization;
using CmPortal.Core.Networks;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Queue;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>The publishing queue: its slots per network, the next free ones, "add to queue" and "plan my week".</summary>
[Route("admin/{workspace}/queue")]
[RequirePermission("ContentCalendar.View")]
internal sealed class QueueAdminController(
    QueueService queue, WorkspaceContext workspace, PermissionService permissions, IStringLocalizer<QueueAdminController> T) : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/queue";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        return View(new QueuePageModel
        {
            Slots = await queue.SlotsAsync(ct),
            Upcoming = await queue.UpcomingFreeAsync(3, ct),
            CanManage = actor.Holds(CalendarPermissions.Manage.Name),
            CanWrite = actor.Holds(CalendarPermissions.Write.Name),
        });
    }

    [HttpPost("slots")]
    [RequirePermission("ContentCalendar.Manage")]
    public async Task<IActionResult> AddSlot(string? network, int weekday, string? time, CancellationToken ct)
    {
        var problems = await queue.AddSlotAsync(network, weekday, time, await ActorAsync(ct), ct);
        if (problems.Count > 0) TempData["Error"] = string.Join(" ", problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = T["Slot added: {0}, {1} at {2}.", SocialNetworks.Find(network!)!.Name, DayName(weekday), time!.Trim()].Value;
        return Redirect(Base);
    }

    [HttpPost("slots/{id:guid}/delete")]
    [RequirePermission("ContentCalendar.Manage")]
    public async Task<IActionResult> DeleteSlot(Guid id, CancellationToken ct)
    {
        if (!await queue.DeleteSlotAsync(id, await ActorAsync(ct), ct)) return NotFound();
        TempData["Message"] = T["Slot removed."].Value;
        return Redirect(Base);
    }

    /// <summary>"Add to queue" from the post editor or the backlog list; goes back where it was asked.</summary>
    [HttpPost("add/{postId:guid}")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Add(Guid postId, int version, string? from, CancellationToken ct)
    {
        var outcome = await queue.AddToQueueAsync(postId, version, await ActorAsync(ct), ct);
        if (outcome.IsNotFound) return NotFound();
        var back = from == "backlog" ? $"/admin/{workspace.Required.Key}/posts?view=backlog" : $"/admin/{workspace.Required.Key}/posts/{postId}";
        if (!outcome.Succeeded)
        {
            TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
            return Redirect(back);
        }
        var at = PostRules.ParseStart(outcome.Post!.StartsLocal)!.Value;
        TempData["Message"] = T["Added to the queue: {0}.", PortalValues.DateTime(at.ToDateTimeUnspecified())].Value;
        return Redirect(back);
    }

    /// <summary>"Plan my week": the proposal for the week of <paramref name="week"/> (next Monday by default), to review.</summary>
    [HttpGet("plan")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Plan(string? week, CancellationToken ct)
    {
        var monday = QueueService.ParseDay(week) ?? NextMonday();
        return View(await queue.ProposeWeekAsync(monday, ct));
    }

    /// <summary>Accepts the ticked lines of a proposal, all or none.</summary>
    [HttpPost("plan")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Accept(string? week, List<string> accept, CancellationToken ct)
    {
        var placed = accept.Select(ParsePlaced).OfType<PlacedPost>().ToList();
        var weekParam = QueueService.ParseDay(week) is { } w ? "?week=" + QueueService.FormatDay(w) : "";
        if (placed.Count == 0)
        {
            TempData["Error"] = T["Tick at least one post to plan."].Value;
            return Redirect($"{Base}/plan{weekParam}");
        }
        var refused = await queue.AcceptAsync(placed, await ActorAsync(ct), ct);
        if (refused.Count > 0)
        {
            TempData["Error"] = T["Nothing was planned: {0}", string.Join(" ", refused.Select(r => T.Problem(r.Problem).Value))].Value;
            return Redirect($"{Base}/plan{weekParam}");
        }
        TempData["Message"] = T["Posts planned: {0}.", placed.Count].Value;
        return Redirect($"/admin/{workspace.Required.Key}/posts");
    }

    private static PlacedPost? ParsePlaced(string? value) =>
        value?.Split('|') is [var id, var version, var start] && Guid.TryParse(id, out var postId)
            && int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? new PlacedPost(postId, v, start) : null;

    private LocalDate NextMonday() => QueuePlanner.MondayOf(queue.Now.Date).PlusWeeks(1);

    private static string DayName(int weekday) => CultureInfo.CurrentCulture.DateTimeFormat.GetDayName((DayOfWeek)(weekday % 7));

    private Task<PostActor> ActorAsync(CancellationToken ct) => PostActor.ForAsync(User, permissions, workspace.Required, ct);
}

internal sealed class QueuePageModel
{
    public required IReadOnlyList<QueueSlot> Slots { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<LocalDateTime>> Upcoming { get; init; }
    public bool CanManage { get; init; }
    public bool CanWrite { get; init; }
}
