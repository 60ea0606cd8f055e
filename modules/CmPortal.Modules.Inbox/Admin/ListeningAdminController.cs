using System.Globalization;
using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Listening;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Inbox.Admin;

/// <summary>The query form as typed (kept when a save is refused), and its problems per field, translated.</summary>
internal sealed record ListeningForm(long? Id, int Version, ListeningQueryInput Input, IReadOnlyDictionary<string, string> Problems);

/// <summary>What the listening page shows: the queries, the figures, the forms.</summary>
internal sealed record ListeningView(IReadOnlyList<ListeningQuery> Queries, ListeningFigures Figures, bool CanManage, ListeningForm Form,
    string? AlertWebhookUrl, string? WebhookProblem, string? NewSecret = null);

/// <summary>
/// The listening page (/admin/{ws}/inbox/listening): share of voice of the brand against its competitors, sentiment,
/// top authors, and the queries with their spike thresholds. Rules are <see cref="ListeningQueryService"/>'s.
/// </summary>
[Route("admin/{workspace}/inbox/listening")]
[RequirePermission("Inbox.View")]
internal sealed class ListeningAdminController(ListeningQueryService queries, ListeningReport report, WorkspaceContext workspace,
    PermissionService permissions, SpikeWebhookSecret secrets, IStringLocalizer<ListeningAdminController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(int? days, string? by, long? edit, CancellationToken ct)
    {
        ListeningForm form = new(null, 0, new ListeningQueryInput("", "competitor", ""), new Dictionary<string, string>());
        if (edit is { } id && await queries.FindAsync(id, ct) is { } query)
            form = new ListeningForm(query.Id, query.Version, Input(query), new Dictionary<string, string>());
        return await PageAsync(days, by, form, null, null, ct);
    }

    [HttpPost("queries")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Create(string? name, string? kind, string? expression, string? languages, string? color, string? spikeFactor, int? spikeMinimum, int? negativeRise, CancellationToken ct)
    {
        var input = Input(name, kind, expression, languages, color, spikeFactor, spikeMinimum, negativeRise);
        var outcome = await queries.CreateAsync(input, ct);
        if (outcome.Problems.Count > 0) return await PageAsync(null, null, Refused(null, 0, input, outcome.Problems), null, null, ct, failed: true);
        TempData["Message"] = T["Query saved. The mentions already in the inbox are being tagged."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox/listening");
    }

    [HttpPost("queries/{id:long}")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Update(long id, int version, string? name, string? kind, string? expression, string? languages, string? color, string? spikeFactor, int? spikeMinimum, int? negativeRise, CancellationToken ct)
    {
        var input = Input(name, kind, expression, languages, color, spikeFactor, spikeMinimum, negativeRise);
        var outcome = await queries.UpdateAsync(id, version, input, ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Problems.Count > 0)
        {
            var current = await queries.FindAsync(id, ct);
            return await PageAsync(null, null, Refused(id, current?.Version ?? version, input, outcome.Problems), null, null, ct, failed: true);
        }
        TempData["Message"] = outcome.Query!.RetagPending ? T["Query saved. The mentions already in the inbox are being tagged."].Value : T["Query saved."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox/listening");
    }

    [HttpPost("queries/{id:long}/delete")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Delete(long id, CancellationToken ct)
    {
        if (!await queries.DeleteAsync(id, ct)) return NotFound();
        TempData["Message"] = T["Query deleted. Its mentions stay in the inbox."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox/listening");
    }

    [HttpPost("settings")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> Settings(string? alertWebhookUrl, CancellationToken ct)
    {
        var problems = await queries.SaveSettingsAsync(alertWebhookUrl, ct);
        if (problems.Count > 0)
            return await PageAsync(null, null, new ListeningForm(null, 0, new ListeningQueryInput("", "competitor", ""), new Dictionary<string, string>()),
                alertWebhookUrl, T.Problem(problems[0]).Value, ct, failed: true);
        TempData["Message"] = T["Alert settings saved."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox/listening");
    }

    /// <summary>
    /// Makes a new signing secret for the spike alerts; the old one no longer signs anything. The new secret is shown
    /// on this answer only (not in a redirect, a cookie or a log); the page's antiforgery token makes it no-store.
    /// </summary>
    [HttpPost("webhook-secret")]
    [RequirePermission("Inbox.Manage")]
    public async Task<IActionResult> RegenerateSecret(CancellationToken ct)
    {
        var secret = await secrets.RegenerateAsync(ct);
        return await PageAsync(null, null, new ListeningForm(null, 0, new ListeningQueryInput("", "competitor", ""), new Dictionary<string, string>()),
            null, null, ct, newSecret: secret);
    }

    private async Task<IActionResult> PageAsync(int? days, string? by, ListeningForm form, string? webhook, string? webhookProblem, CancellationToken ct,
        bool failed = false, string? newSecret = null)
    {
        var list = await queries.ListAsync(ct);
        var period = ListeningReport.Periods.Contains(days ?? 30) ? days ?? 30 : 30;
        var figures = await report.ComputeAsync(list, period, by == "week" || (by is null && period > 30), ct);
        var canManage = await permissions.HasAsync(User, workspace.Required, InboxPermissions.Manage.Name, ct);
        var settings = await queries.SettingsAsync(ct);
        if (failed) Response.StatusCode = StatusCodes422;
        return View("Index", new ListeningView(list, figures, canManage, form, webhook ?? settings.AlertWebhookUrl, webhookProblem, newSecret));
    }

    private const int StatusCodes422 = 422;

    private ListeningForm Refused(long? id, int version, ListeningQueryInput input, IReadOnlyList<Problem> problems) =>
        new(id, version, input, problems.GroupBy(p => p.Field ?? "").ToDictionary(g => g.Key, g => string.Join(" ", g.Select(p => T.Problem(p).Value))));

    /// <summary>The factor as a number field sends it ("3.5", whatever the page's language); a typed "3,5" is read too.</summary>
    private static ListeningQueryInput Input(string? name, string? kind, string? expression, string? languages, string? color, string? spikeFactor,
        int? spikeMinimum, int? negativeRise) =>
        new(name, kind, expression, languages, color,
            double.TryParse(spikeFactor?.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) ? factor : null,
            spikeMinimum, negativeRise);

    private static ListeningQueryInput Input(ListeningQuery q) =>
        new(q.Name, q.Kind, q.Expression, q.Languages, q.Color, q.SpikeFactor, q.SpikeMinimum, q.NegativeRise);
}
