using System.Globalization;
using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Sources.Stored;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Inbox.Admin;

/// <summary>The sources page: each source with its state in words, the add forms (one per kind), and what a member typed when refused.</summary>
internal sealed record SourcesView(
    IReadOnlyList<ListeningSource> Sources, bool CanManage, IReadOnlyList<ChannelSummary> Mastodon, IReadOnlyList<ChannelSummary> Bluesky,
    DateTime NowUtc, string? OpenKind = null, SourceInput? Input = null, IReadOnlyList<Problem>? Problems = null)
{
    public Problem? ProblemOf(string kind, string field) => OpenKind == kind ? Problems?.FirstOrDefault(p => p.Field == field) : null;

    public IEnumerable<Problem> OtherProblems(string kind, params string[] fields) =>
        OpenKind == kind ? (Problems ?? []).Where(p => p.Field is null || !fields.Contains(p.Field)) : [];

    public string? Typed(string kind, Func<SourceInput, string?> field) => OpenKind == kind && Input is not null ? field(Input) : null;
}

/// <summary>
/// /admin/{ws}/inbox/sources (menu Écoute → Sources): what the inbox listens to and how each source's reading goes.
/// Seeing takes Inbox.View; adding, pausing, reading now and deleting take Inbox.Manage. Rules are <see cref="SourceService"/>'s.
/// </summary>
[Route("admin/{workspace}/inbox/sources")]
[RequirePermission("Inbox.View")]
internal sealed class SourcesAdminController(SourceService sources, SourcePoller poller, WorkspaceContext workspace, PermissionService permissions,
    TimeProvider clock, IStringLocalizer<SourcesAdminController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await ViewOfAsync(ct));

    [HttpPost("")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Create(string? kind, string? name, string? url, string? query, string? anyTags, string? allTags, string? noneTags,
        Guid? channelId, string? intervalMinutes, CancellationToken ct)
    {
        var (interval, problems) = IntervalOf(intervalMinutes);
        var input = new SourceInput(kind, name, url, query, anyTags, allTags, noneTags, channelId, interval);
        if (problems.Count == 0)
        {
            var outcome = await sources.CreateAsync(input, ct);
            if (outcome.Succeeded)
            {
                TempData["Message"] = T["Source “{0}” added: it is read within a minute.", outcome.Source!.Name].Value;
                return Redirect(Here);
            }
            problems.AddRange(outcome.Problems);
        }
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return View("Index", await ViewOfAsync(ct) with { OpenKind = kind, Input = input, Problems = problems });
    }

    [HttpGet("{id:guid}/edit")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct)
    {
        if (await sources.FindAsync(id, ct) is not { } source) return NotFound();
        return View(await EditViewOfAsync(source, InputOf(source), [], ct));
    }

    /// <summary>Saves a source's new settings; refused, the form comes back with what was typed and each problem by its field.</summary>
    [HttpPost("{id:guid}/edit")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Edit(Guid id, int version, string? name, string? url, string? query, string? anyTags, string? allTags,
        string? noneTags, Guid? channelId, string? intervalMinutes, CancellationToken ct)
    {
        if (await sources.FindAsync(id, ct) is not { } current) return NotFound();
        var (interval, problems) = IntervalOf(intervalMinutes);
        var input = new SourceInput(current.Kind, name, url, query, anyTags, allTags, noneTags, channelId, interval);
        if (problems.Count == 0)
        {
            var outcome = await sources.UpdateAsync(id, version, input, ct);
            if (outcome.IsNotFound) return NotFound();
            if (outcome.Succeeded)
            {
                TempData["Message"] = T["Source “{0}” saved.", outcome.Source!.Name].Value;
                return Redirect(Here);
            }
            // A conflict shows the source as it is now (what the other member saved), with the message.
            if (outcome.IsConflict && await sources.FindAsync(id, ct) is { } fresh) (current, input) = (fresh, InputOf(fresh));
            problems.AddRange(outcome.Problems);
        }
        Response.StatusCode = problems.Any(p => p.Field == "version") ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return View(await EditViewOfAsync(current, input, problems, ct));
    }

    [HttpPost("{id:guid}/pause")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Pause(Guid id, int version, CancellationToken ct) =>
        Done(await sources.PauseAsync(id, version, ct), T["Source paused: it is not read until you resume it."].Value);

    [HttpPost("{id:guid}/resume")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Resume(Guid id, int version, CancellationToken ct) =>
        Done(await sources.ResumeAsync(id, version, ct), T["Source resumed: it is read within a minute."].Value);

    [HttpPost("{id:guid}/delete")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Delete(Guid id, int version, CancellationToken ct) =>
        Done(await sources.DeleteAsync(id, version, ct), T["Source deleted. The mentions it found stay in the inbox."].Value);

    /// <summary>Reads the source now, whatever its next try; the member sees what it found or why it failed.</summary>
    [HttpPost("{id:guid}/read")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Read(Guid id, CancellationToken ct)
    {
        if (await sources.FindAsync(id, ct) is null) return NotFound();
        var read = await poller.ReadNowAsync(id, ct);
        if (read.State == SourceReadState.Gone) return NotFound();
        if (read.State == SourceReadState.Paused) TempData["Error"] = T["This source is paused: resume it to read it."].Value;
        else if (read.State == SourceReadState.Busy) TempData["Error"] = T["This source is being read right now: its mentions reach the inbox as soon as the read ends."].Value;
        else if (read.Error is { } error) TempData["Error"] = T["The source could not be read: {0}", T.Problem(error).Value].Value;
        else TempData["Message"] = T["Source read: {0} new {0|mention|mentions}.", read.Stored].Value;
        return Redirect(Here);
    }

    private string Here => $"/admin/{workspace.Required.Key}/inbox/sources";

    private static (int? Minutes, List<Problem> Problems) IntervalOf(string? typed)
    {
        if (string.IsNullOrWhiteSpace(typed)) return (null, []);
        return int.TryParse(typed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minutes)
            ? (minutes, [])
            : (null, [new Problem("intervalMinutes", "Give the minutes between reads as a whole number.")]);
    }

    private static SourceInput InputOf(ListeningSource s) => new(s.Kind, s.Name, s.Url, s.Query, Typed(s.AnyTags), Typed(s.AllTags),
        Typed(s.NoneTags), s.ChannelId, s.IntervalMinutes);

    private static string? Typed(string? tags) => tags is null ? null : string.Join(", ", SourceService.SplitTags(tags));

    private async Task<SourceForm> EditViewOfAsync(ListeningSource source, SourceInput input, IReadOnlyList<Problem> problems, CancellationToken ct) =>
        new(await ViewOfAsync(ct) with { OpenKind = source.Kind, Input = input, Problems = problems }, source.Kind, source);

    private IActionResult Done(SourceOutcome outcome, string message)
    {
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Problems.Count > 0) TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        else TempData["Message"] = message;
        return Redirect(Here);
    }

    private async Task<SourcesView> ViewOfAsync(CancellationToken ct)
    {
        var canManage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct);
        return new SourcesView(await sources.ListAsync(ct), canManage,
            canManage ? await sources.ChannelsForAsync("mastodon", ct) : [], canManage ? await sources.ChannelsForAsync("bluesky", ct) : [],
            clock.GetUtcNow().UtcDateTime);
    }
}

/// <summary>One kind's form: to add a source on the sources page (the partial _AddForm), or to edit <paramref name="Editing"/>.</summary>
internal sealed record SourceForm(SourcesView View, string Kind, ListeningSource? Editing = null)
{
    public string Id(string field) => $"{Kind}-{field}";
    public Problem? ProblemOf(string field) => View.ProblemOf(Kind, field);
    public string? Typed(Func<SourceInput, string?> field) => View.Typed(Kind, field);
    public bool Open => View.OpenKind == Kind;
}
