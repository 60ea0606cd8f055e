using System.Globalization;
using CmPortal.Core.Localization;
using CmPortal.Core.Networks;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Calendar;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.KeyDates.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>
/// The content calendar: month, week and list views (FullCalendar, fed by <see cref="Events"/>), drag and drop
/// (<see cref="Move"/>), the 80/20 gauge of the visible period, and the keyboard list that moves posts with date fields.
/// </summary>
[Route("admin/{workspace}/calendar")]
[RequirePermission("ContentCalendar.View")]
internal sealed class CalendarAdminController(
    CalendarWindow window, CalendarMoves moves, PostLists lists, WorkspaceContext workspace, PermissionService permissions,
    MembershipService members, IEditorialPlan plans, IKeyDateCalendar keyDates, IClock clock, IStringLocalizer<CalendarAdminController> T) : Controller
{
    /// <summary>The longest window the feed answers (a month view shows six weeks).</summary>
    private const int MaxWindowDays = 100;

    private string Base => $"/admin/{workspace.Required.Key}/calendar";

    private LocalDate Today => clock.GetCurrentInstant().InZone(window.Zone).Date;

    [HttpGet("")]
    public async Task<IActionResult> Index(CalendarQuery query, string? date, string? view, CancellationToken ct)
    {
        var day = PostRules.ParseDay(date) ?? Today;
        var month = new LocalDate(day.Year, day.Month, 1);
        var model = await PageAsync(query, month, ct);
        model.Date = PostRules.Format(day);
        model.ListMonth = date is null ? null : month.ToString("yyyy-MM", CultureInfo.InvariantCulture); // none: the list opens on this month
        model.View = view is "dayGridMonth" or "timeGridWeek" or "listWeek" ? view : null;
        model.Now = PostRules.Format(clock.GetCurrentInstant().InZone(window.Zone).LocalDateTime);
        model.Gauge = MixGauge.Of(await window.BetweenAsync(month, month.PlusMonths(1), query.Filter(model.CampaignIds), ct), model.Plan);
        return View(model);
    }

    /// <summary>The calendar's events in FullCalendar's shape: posts at their local wall-clock time (no offset), key dates as all-day background events.</summary>
    [HttpGet("events")]
    public async Task<IActionResult> Events(CalendarQuery query, string? start, string? end, CancellationToken ct)
    {
        if (Window(start, end) is not var (from, to)) return BadRequest();
        var plan = await plans.CurrentAsync(ct);
        var campaigns = await CampaignIdsAsync(ct);
        var occurrences = await window.BetweenAsync(from, to, query.Filter(campaigns), ct);
        var canWrite = (await ActorAsync(ct)).Holds(CalendarPermissions.Write.Name);
        var key = workspace.Required.Key;
        var events = new List<object>(occurrences.Count + 8);
        foreach (var o in occurrences)
        {
            var failed = o.State == PostState.Failed;
            var colour = failed ? PillarPalette.Failed : PillarPalette.Of(MixGauge.PillarIndex(plan, o.Pillar));
            events.Add(new
            {
                id = o.OccurrenceDate is null ? o.PostId.ToString() : $"{o.PostId}/{o.OccurrenceDate}",
                title = o.Excerpt.ReplaceLineEndings(" "),
                start = o.Start.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
                allDay = false,
                url = $"/admin/{key}/posts/{o.PostId}",
                backgroundColor = colour,
                borderColor = colour,
                textColor = "#ffffff",
                classNames = failed ? new[] { "cc-post", "cc-failed" } : ["cc-post"],
                // A published post stays where it went out; the service refuses the rest it must.
                startEditable = canWrite && o.State != PostState.Published,
                extendedProps = new
                {
                    postId = o.PostId,
                    version = o.Version,
                    occurrenceDate = o.OccurrenceDate,
                    recurring = o.IsRecurring,
                    state = o.State.ToString(),
                    stateLabel = T.Declared(StateNames.Of(o.State)).Value,
                    pillar = o.Pillar,
                    networks = o.Networks.Select(SocialNetworks.Find).OfType<SocialNetwork>().Select(n => new { id = n.Id, name = n.Name, icon = n.IconUrl }),
                },
            });
        }
        var days = await keyDates.BetweenAsync(from.ToDateOnly(), to.PlusDays(-1).ToDateOnly(), ct);
        foreach (var k in days)
            events.Add(new
            {
                id = "key-date/" + k.Id,
                title = k.Title,
                start = k.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                end = k.End.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), // FullCalendar's end is exclusive
                allDay = true,
                display = "background",
                classNames = new[] { "cc-key-date" },
                extendedProps = new { keyDate = true, category = k.Category },
            });
        return Json(events);
    }

    /// <summary>The 80/20 gauge of a period (the visible week or month), as the part of the page that shows it.</summary>
    [HttpGet("gauge")]
    public async Task<IActionResult> Gauge(CalendarQuery query, string? start, string? end, CancellationToken ct)
    {
        if (Window(start, end) is not var (from, to)) return BadRequest();
        var occurrences = await window.BetweenAsync(from, to, query.Filter(await CampaignIdsAsync(ct)), ct);
        return PartialView("_Gauge", MixGauge.Of(occurrences, await plans.CurrentAsync(ct)));
    }

    /// <summary>Drag and drop: moves a post to a new local start; answers the new version, or the reason of a refusal.</summary>
    [HttpPost("move")]
    [RequirePermission("ContentCalendar.Write")] // the service checks what this post's move takes (scheduling, for an approved post)
    public async Task<IActionResult> Move([FromBody] CalendarMoveRequest request, CancellationToken ct)
    {
        var outcome = await moves.MoveAsync(request.PostId, request.Version, request.OccurrenceDate, request.Start ?? "", await ActorAsync(ct), ct);
        if (outcome.Succeeded)
            return Json(new { version = outcome.Post!.Version, start = outcome.Post.StartsLocal, message = Moved(outcome.Post) });
        var status = outcome.IsNotFound ? StatusCodes.Status404NotFound
            : outcome.IsConflict ? StatusCodes.Status409Conflict
            : outcome.IsForbidden ? StatusCodes.Status403Forbidden
            : StatusCodes.Status422UnprocessableEntity;
        var message = outcome.IsConflict
            ? T["Someone changed this post after the calendar showed it. The calendar is reloaded: try again."].Value
            : string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return StatusCode(status, new { message });
    }

    /// <summary>The keyboard path: the month's posts with a date and a time field each, moved without drag and drop.</summary>
    [HttpGet("list")]
    public async Task<IActionResult> List(CalendarQuery query, string? month, CancellationToken ct)
    {
        var first = ParseMonth(month) ?? new LocalDate(Today.Year, Today.Month, 1);
        var model = await PageAsync(query, first, ct);
        model.Occurrences = await window.BetweenAsync(first, first.PlusMonths(1), query.Filter(model.CampaignIds), ct);
        return View(model);
    }

    [HttpPost("list")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> List(CalendarQuery query, string? month, Guid postId, int version, string? date, string? time, CancellationToken ct)
    {
        var outcome = await moves.MoveAsync(postId, version, null, $"{date?.Trim()}T{time?.Trim()}", await ActorAsync(ct), ct);
        if (outcome.Succeeded) TempData["Message"] = Moved(outcome.Post!);
        else TempData["Error"] = outcome.IsConflict
            ? T["Someone changed this post after the list showed it. Check its date and try again."].Value
            : string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        var target = PostRules.ParseStart(outcome.Post?.StartsLocal)?.Date ?? ParseMonth(month) ?? Today;
        return Redirect($"{Base}/list{query.ToQueryString(target.ToString("yyyy-MM", CultureInfo.InvariantCulture))}#post-{postId}");
    }

    private string Moved(Post post) => T["Post moved to {0}.", PostRules.ParseStart(post.StartsLocal)!.Value.ToDateTimeUnspecified()].Value;

    private Task<PostActor> ActorAsync(CancellationToken ct) => PostActor.ForAsync(User, permissions, workspace.Required, ct);

    private Task<IReadOnlyDictionary<string, Guid>> CampaignIdsAsync(CancellationToken ct) => lists.CampaignIdsAsync(ct);

    private async Task<CalendarPageModel> PageAsync(CalendarQuery query, LocalDate month, CancellationToken ct)
    {
        var plan = await plans.CurrentAsync(ct);
        var campaigns = await lists.CampaignsAsync(ct);
        return new CalendarPageModel
        {
            Query = query,
            Month = month,
            Plan = plan,
            Campaigns = campaigns,
            CampaignIds = campaigns.ToDictionary(c => c.Slug, c => c.Id, StringComparer.Ordinal),
            Members = (await members.ListAsync(workspace.Required.Id, ct)).Select(m => new MemberChoice(m.UserId, m.User!.DisplayName)).ToList(),
            CanWrite = (await ActorAsync(ct)).Holds(CalendarPermissions.Write.Name),
            Zone = workspace.Required.TimeZone,
        };
    }

    /// <summary>
    /// The local days of a window as FullCalendar asks it ("2027-03-01T00:00:00Z": the calendar runs in UTC so that wall-clock
    /// times show as sent; only the date counts) or as plain dates; null when missing, reversed or too long.
    /// </summary>
    /// <summary>The days asked for; without any, the workspace's current month (a bare link or a script); null when malformed or too long.</summary>
    private (LocalDate From, LocalDate To)? Window(string? start, string? end)
    {
        if (string.IsNullOrEmpty(start) && string.IsNullOrEmpty(end))
        {
            var first = LocalDate.FromDateTime(CmPortal.Core.Workspaces.WorkspaceTime.Local(DateTime.UtcNow, workspace.Required.TimeZone)).With(DateAdjusters.StartOfMonth);
            return (first, first.PlusMonths(1));
        }
        if (PostRules.ParseDay(start is { Length: >= 10 } ? start[..10] : start) is not { } from
            || PostRules.ParseDay(end is { Length: >= 10 } ? end[..10] : end) is not { } to
            || to <= from || Period.Between(from, to, PeriodUnits.Days).Days > MaxWindowDays) return null;
        return (from, to);
    }

    private static LocalDate? ParseMonth(string? month) =>
        PostRules.ParseDay(month is { Length: 7 } ? month + "-01" : null);
}

/// <summary>A drag and drop: the post, the version the calendar showed, the occurrence dragged if it is one of a series, the new local start.</summary>
internal sealed record CalendarMoveRequest(Guid PostId, int Version, string? OccurrenceDate, string? Start);

/// <summary>The calendar's filters, from the query string (a form that works without JavaScript).</summary>
internal sealed class CalendarQuery
{
    public string? Network { get; set; }

    /// <summary>The campaign's slug.</summary>
    public string? Campaign { get; set; }
    public string? Pillar { get; set; }
    public PostState? State { get; set; }
    public Guid? Author { get; set; }

    public bool Any => Network is { Length: > 0 } || Campaign is { Length: > 0 } || Pillar is { Length: > 0 } || State is not null || Author is not null;

    /// <summary>The filter of the window; an unknown campaign shows nothing rather than everything.</summary>
    public CalendarFilter Filter(IReadOnlyDictionary<string, Guid> campaigns) => new(
        Blank(Network), Campaign is { Length: > 0 } slug ? campaigns.GetValueOrDefault(slug, Guid.NewGuid()) : null, Blank(Pillar), State, Author);

    /// <summary>The filters as a query string ("?month=2027-03&amp;network=instagram"), for links that keep them.</summary>
    public string ToQueryString(string? month = null)
    {
        var parts = new List<KeyValuePair<string, string?>>();
        if (month is not null) parts.Add(new("month", month));
        if (Blank(Network) is { } n) parts.Add(new("network", n));
        if (Blank(Campaign) is { } c) parts.Add(new("campaign", c));
        if (Blank(Pillar) is { } p) parts.Add(new("pillar", p));
        if (State is { } s) parts.Add(new("state", s.ToString()));
        if (Author is { } a) parts.Add(new("author", a.ToString()));
        return QueryString.Create(parts).ToUriComponent();
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

internal sealed class CalendarPageModel
{
    public required CalendarQuery Query { get; init; }
    public required LocalDate Month { get; init; }
    public required EditorialPlan Plan { get; init; }
    public required IReadOnlyList<Campaign> Campaigns { get; init; }
    public required IReadOnlyDictionary<string, Guid> CampaignIds { get; init; }
    public required IReadOnlyList<MemberChoice> Members { get; init; }
    public bool CanWrite { get; init; }
    public required string Zone { get; init; }
    public string? Date { get; set; }
    public string? View { get; set; }
    public string? Now { get; set; }

    /// <summary>The month the keyboard list link opens on, when the calendar was opened on another date than today.</summary>
    public string? ListMonth { get; set; }
    public MixGauge? Gauge { get; set; }
    public IReadOnlyList<CalendarOccurrence> Occurrences { get; set; } = [];
}
