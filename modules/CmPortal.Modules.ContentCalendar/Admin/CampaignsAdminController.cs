using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Campaigns;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.KeyDates.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>The campaigns: the list, the form (new, edit), deletion, and each campaign's page with its timeline.</summary>
[Route("admin/{workspace}/campaigns")]
[RequirePermission("ContentCalendar.View")]
internal sealed class CampaignsAdminController(
    CampaignService campaigns, WorkspaceContext workspace, PermissionService permissions, IEditorialPlan plans, IKeyDateCalendar keyDates,
    IStringLocalizer<CampaignsAdminController> T) : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/campaigns";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        ViewData["CanManage"] = await CanManageAsync(ct);
        return View(await campaigns.ListAsync(ct));
    }

    /// <summary>The campaign's page: its period, its posts in date order with their state, the key dates inside the period.</summary>
    [HttpGet("{key:guid}")]
    public async Task<IActionResult> Show(Guid key, CancellationToken ct)
    {
        var campaign = await campaigns.FindAsync(key, ct);
        if (campaign is null) return NotFound();
        var posts = await campaigns.PostsAsync(key, ct);
        var dates = await keyDates.BetweenAsync(campaign.Start, campaign.End, ct);
        ViewData["CanManage"] = await CanManageAsync(ct);
        return View(new CampaignPage(campaign, CampaignRules.ParseKpis(campaign.KpiTargets), posts, dates));
    }

    [HttpGet("new")]
    [RequirePermission("ContentCalendar.Manage")]
    public async Task<IActionResult> Create(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        return await FormAsync(new CampaignForm { Start = today, End = today.AddDays(13) }, ct);
    }

    [HttpPost("new")]
    [RequirePermission("ContentCalendar.Manage")]
    public async Task<IActionResult> Create(CampaignForm form, CancellationToken ct)
    {
        var outcome = await campaigns.CreateAsync(form.ToInput(), ct);
        if (!outcome.Succeeded) return await RefusedAsync(form, outcome, ct);
        TempData["Message"] = T["Campaign “{0}” added.", outcome.Campaign!.Name].Value;
        return Redirect($"{Base}/{outcome.Campaign.Id}");
    }

    [HttpGet("{key:guid}/edit")]
    [RequirePermission("ContentCalendar.Manage")]
    public async Task<IActionResult> Edit(Guid key, CancellationToken ct)
    {
        var campaign = await campaigns.FindAsync(key, ct);
        if (campaign is null) return NotFound();
        return await FormAsync(CampaignForm.From(campaign), ct);
    }

    [HttpPost("{key:guid}/edit")]
    [RequirePermission("ContentCalendar.Manage")]
    public async Task<IActionResult> Edit(Guid key, CampaignForm form, CancellationToken ct)
    {
        form.Key = key;
        var outcome = await campaigns.UpdateAsync(key, form.Version, form.ToInput(), ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsConflict) form.Version = outcome.Campaign!.Version;
        if (!outcome.Succeeded || outcome.IsConflict) return await RefusedAsync(form, outcome, ct);
        TempData["Message"] = T["Campaign “{0}” saved.", outcome.Campaign!.Name].Value;
        return Redirect($"{Base}/{key}");
    }

    /// <summary>Deletes the campaign; its posts stay, without a campaign.</summary>
    [HttpPost("{key:guid}/delete")]
    [RequirePermission("ContentCalendar.Manage")]
    public async Task<IActionResult> Delete(Guid key, int? version, CancellationToken ct)
    {
        var campaign = await campaigns.FindAsync(key, ct);
        if (campaign is null) return NotFound();
        var outcome = await campaigns.DeleteAsync(key, version ?? campaign.Version, ct);
        if (outcome.IsNotFound) return NotFound();
        TempData["Message"] = outcome.IsConflict
            ? T["Someone saved this campaign after you opened it: it was not deleted. Check it, then delete it again."].Value
            : T["Campaign “{0}” deleted; its posts stay, without a campaign.", campaign.Name].Value;
        return Redirect(outcome.IsConflict ? $"{Base}/{key}" : Base);
    }

    private Task<bool> CanManageAsync(CancellationToken ct) => permissions.HasAsync(User, workspace.Required, CalendarPermissions.Manage.Name, ct);

    private async Task<IActionResult> RefusedAsync(CampaignForm form, CampaignOutcome outcome, CancellationToken ct)
    {
        foreach (var problem in outcome.Problems)
            ModelState.AddModelError(CampaignForm.FieldOf(problem.Field), T.Problem(problem).Value);
        Response.StatusCode = outcome.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return await FormAsync(form, ct);
    }

    private async Task<IActionResult> FormAsync(CampaignForm form, CancellationToken ct)
    {
        ViewData["Personas"] = (await plans.CurrentAsync(ct)).Personas.Select(p => p.Name).ToList();
        form.PadKpis();
        return View("Edit", form);
    }
}

/// <summary>What the campaign page shows.</summary>
internal sealed record CampaignPage(Campaign Campaign, IReadOnlyList<KpiTarget> Kpis, IReadOnlyList<Post> Posts, IReadOnlyList<KeyDateOccurrence> KeyDates);

/// <summary>The campaign form; KPI targets as rows of a name and a target (empty rows are dropped).</summary>
internal sealed class CampaignForm
{
    public const int KpiRows = CampaignRules.MaxKpis;

    public Guid? Key { get; set; }
    public int Version { get; set; }
    public string? Slug { get; set; }
    public string? Name { get; set; }
    public string? Objective { get; set; }
    public string? Persona { get; set; }
    public CampaignKind Kind { get; set; } = CampaignKind.Other;
    public DateOnly? Start { get; set; }
    public DateOnly? End { get; set; }
    public string Colour { get; set; } = "#6f42c1";
    public List<string?> KpiNames { get; set; } = [];
    public List<string?> KpiTargets { get; set; } = [];
    public string? Notes { get; set; }

    public static CampaignForm From(Campaign c)
    {
        var kpis = CampaignRules.ParseKpis(c.KpiTargets);
        return new()
        {
            Key = c.Id, Version = c.Version, Slug = c.Slug, Name = c.Name, Objective = c.Objective, Persona = c.Persona, Kind = c.Kind,
            Start = c.Start, End = c.End, Colour = c.Colour, Notes = c.Notes,
            KpiNames = kpis.Select(k => (string?)k.Name).ToList(),
            KpiTargets = kpis.Select(k => (string?)k.Target.ToString(System.Globalization.CultureInfo.CurrentCulture)).ToList(),
        };
    }

    /// <summary>Rows for the form: the targets given, then empty ones up to the most a campaign has (at least two empty).</summary>
    public void PadKpis()
    {
        var rows = Math.Min(KpiRows, Math.Max(3, KpiNames.Count + 2));
        while (KpiNames.Count < rows) KpiNames.Add(null);
        while (KpiTargets.Count < KpiNames.Count) KpiTargets.Add(null);
    }

    public CampaignInput ToInput()
    {
        // Empty rows go, so that the n-th target the rules name ("kpis[1].target") is the n-th row the form shows again.
        var rows = Enumerable.Range(0, Math.Max(KpiNames.Count, KpiTargets.Count))
            .Select(i => (Name: KpiNames.ElementAtOrDefault(i), Target: KpiTargets.ElementAtOrDefault(i)))
            .Where(r => !string.IsNullOrWhiteSpace(r.Name) || !string.IsNullOrWhiteSpace(r.Target)).ToList();
        KpiNames = rows.Select(r => r.Name).ToList();
        KpiTargets = rows.Select(r => r.Target).ToList();
        // An unreadable number becomes 0, which the rules refuse with the row's field.
        var kpis = rows.Select(r => new KpiTarget(r.Name ?? "", CampaignRules.ParseTarget(r.Target) ?? 0)).ToList();
        return new()
        {
            Slug = Slug?.Trim() ?? "", Name = Name ?? "", Objective = Objective, Persona = Persona, Kind = Kind, Start = Start, End = End,
            Colour = Colour, Kpis = kpis, Notes = Notes,
        };
    }

    /// <summary>The form field a problem's field names ("kpis[1].target" → "KpiTargets[1]").</summary>
    public static string FieldOf(string? field) => field switch
    {
        null => "",
        _ when field.StartsWith("kpis[", StringComparison.Ordinal) && field.EndsWith(".name", StringComparison.Ordinal) => "KpiNames" + field[4..^5],
        _ when field.StartsWith("kpis[", StringComparison.Ordinal) && field.EndsWith(".target", StringComparison.Ordinal) => "KpiTargets" + field[4..^7],
        "kpis" => "KpiNames",
        _ => char.ToUpperInvariant(field[0]) + field[1..],
    };
}
