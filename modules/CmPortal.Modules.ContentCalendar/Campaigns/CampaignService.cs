using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CmPortal.Core;
using CmPortal.Core.Validation;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.ContentCalendar.Campaigns;

/// <summary>A KPI the campaign aims at, for later reporting ("Participations", 500).</summary>
internal sealed record KpiTarget(string Name, decimal Target);

/// <summary>A campaign as the admin form or a recipe gives it.</summary>
internal sealed record CampaignInput
{
    public string Slug { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Objective { get; init; }

    /// <summary>A persona of the editorial line, by name.</summary>
    public string? Persona { get; init; }
    public CampaignKind Kind { get; init; } = CampaignKind.Other;
    public DateOnly? Start { get; init; }
    public DateOnly? End { get; init; }
    public string Colour { get; init; } = "#6f42c1";
    public IReadOnlyList<KpiTarget> Kpis { get; init; } = [];
    public string? Notes { get; init; }
}

/// <summary>What a campaign operation gave: the saved campaign, or the problems (nothing saved), a conflict, or not found.</summary>
internal sealed record CampaignOutcome(Campaign? Campaign, IReadOnlyList<Problem> Problems)
{
    public bool Succeeded => Campaign is not null && Problems.Count == 0;
    public bool IsConflict { get; init; }
    public bool IsNotFound { get; init; }

    public static readonly CampaignOutcome NotFound = new(null, [new Problem(null, "This campaign no longer exists.")]) { IsNotFound = true };

    public static CampaignOutcome Conflict(Campaign current) =>
        new(current, [new Problem(null, "Someone saved this campaign after you opened it. Nothing of yours was saved: check their version, then save again.")])
        { IsConflict = true };
}

/// <summary>The checks of a campaign's fields that need nothing stored, each failure a <see cref="Problem"/> naming its field as recipes do.</summary>
internal static partial class CampaignRules
{
    public const int MaxSlug = 80, MaxName = 100, MaxObjective = 500, MaxNotes = 4000, MaxKpis = 10, MaxKpiName = 60;

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColourPattern();

    public static bool IsSlug(string? slug) => slug is { Length: > 0 and <= MaxSlug } && SlugPattern().IsMatch(slug);

    public static IEnumerable<Problem> Check(CampaignInput input)
    {
        if (!IsSlug(input.Slug))
            yield return new Problem("slug", "\"{0}\" is not a valid slug. Use lowercase letters, digits and hyphens, e.g. \"concours-printemps\" ({1} characters at most).", input.Slug, MaxSlug);
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > MaxName)
            yield return new Problem("name", "The name must have 1 to {0} characters.", MaxName);
        else if (!TextRules.IsSafeSingleLine(input.Name))
            yield return new Problem("name", "The name must be one line of visible text: remove line breaks, tabs, control characters and direction marks.");
        if (input.Objective is { Length: > MaxObjective })
            yield return new Problem("objective", "The objective is {0} characters long; the most is {1}.", input.Objective.Length, MaxObjective);
        else if (!TextRules.IsSafeMultiLine(input.Objective))
            yield return new Problem("objective", "The objective contains a control character or a direction override. Remove it (line breaks and tabs are fine).");
        if (input.Start is null) yield return new Problem("start", "Give the first day of the campaign.");
        if (input.End is null) yield return new Problem("end", "Give the last day of the campaign.");
        else if (input.Start is { } start && input.End < start)
            yield return new Problem("end", "The end ({0}) is before the start ({1}). Give an end on or after the start.", input.End, start);
        else if (input.Start is { } from && input.End.Value.DayNumber - from.DayNumber > 366)
            yield return new Problem("end", "A campaign lasts one year at most. Split longer periods.");
        if (!ColourPattern().IsMatch(input.Colour ?? ""))
            yield return new Problem("colour", "“{0}” is not a colour. Write it as #RRGGBB, e.g. #7a2e3a.", input.Colour);
        if (input.Kpis.Count > MaxKpis) yield return new Problem("kpis", "A campaign has at most {0} KPI targets.", MaxKpis);
        for (var i = 0; i < input.Kpis.Count; i++)
        {
            var kpi = input.Kpis[i];
            if (string.IsNullOrWhiteSpace(kpi.Name) || kpi.Name.Trim().Length > MaxKpiName || !TextRules.IsSafeSingleLine(kpi.Name))
                yield return new Problem($"kpis[{i}].name", "Name the KPI in one line of 1 to {0} characters.", MaxKpiName);
            if (kpi.Target <= 0) yield return new Problem($"kpis[{i}].target", "A KPI target is a number above zero, not {0}.", kpi.Target);
        }
        foreach (var name in input.Kpis.Select(k => k.Name.Trim()).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1 && g.Key.Length > 0))
            yield return new Problem("kpis", "The KPI “{0}” is given twice.", name.Key);
        if (input.Notes is { Length: > MaxNotes }) yield return new Problem("notes", "The notes are {0} characters long; the most is {1}.", input.Notes.Length, MaxNotes);
        else if (!TextRules.IsSafeMultiLine(input.Notes))
            yield return new Problem("notes", "The notes contain a control character or a direction override. Remove them (line breaks and tabs are fine).");
    }

    public static string? SerializeKpis(IReadOnlyList<KpiTarget> kpis) =>
        kpis.Count == 0 ? null : JsonSerializer.Serialize(kpis.Select(k => new { name = k.Name.Trim(), target = k.Target }));

    public static IReadOnlyList<KpiTarget> ParseKpis(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray()
            .Select(e => new KpiTarget(e.GetProperty("name").GetString() ?? "", e.GetProperty("target").GetDecimal())).ToList();
    }

    /// <summary>"1500" or "0.5" as the reader writes it (comma or dot).</summary>
    public static decimal? ParseTarget(string? text) =>
        decimal.TryParse(text?.Trim().Replace(',', '.').Replace("\u00a0", "").Replace("\u202f", "").Replace(" ", ""), NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>
/// The one place the rules of a campaign live: create, edit, delete; validates (every failure a <see cref="Problem"/>),
/// refuses stale edits. The admin pages and the recipe step call it.
/// </summary>
internal sealed class CampaignService(CalendarDbContext db, IEditorialPlan plans)
{
    public async Task<IReadOnlyList<Campaign>> ListAsync(CancellationToken ct = default) =>
        await db.Campaigns.AsNoTracking().OrderByDescending(c => c.Start).ThenBy(c => c.Name).ToListAsync(ct);

    public Task<Campaign?> FindAsync(Guid id, CancellationToken ct = default) => db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    public Task<Campaign?> FindAsync(string slug, CancellationToken ct = default) => db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Slug == slug, ct);

    public async Task<CampaignOutcome> CreateAsync(CampaignInput input, CancellationToken ct = default)
    {
        var campaign = new Campaign { Id = Guid.NewGuid(), Version = 1 };
        var problems = await ApplyAsync(campaign, input, ct);
        if (problems.Count > 0) return new CampaignOutcome(null, problems);
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        return new CampaignOutcome(campaign, []);
    }

    /// <summary>Saves an edit made on <paramref name="basedOn"/> (the version the form loaded).</summary>
    public async Task<CampaignOutcome> UpdateAsync(Guid id, int basedOn, CampaignInput input, CancellationToken ct = default)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return CampaignOutcome.NotFound;
        if (campaign.Version != basedOn) return CampaignOutcome.Conflict(campaign);
        var before = InputOf(campaign);
        var problems = await ApplyAsync(campaign, input, ct);
        if (problems.Count > 0) return new CampaignOutcome(null, problems);
        if (Same(before, InputOf(campaign))) return new CampaignOutcome(campaign, []);
        campaign.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return CampaignOutcome.Conflict((await FindAsync(id, ct))!);
        }
        return new CampaignOutcome(campaign, []);
    }

    /// <summary>Deletes a campaign; its posts stay, without a campaign.</summary>
    public async Task<CampaignOutcome> DeleteAsync(Guid id, int basedOn, CancellationToken ct = default)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (campaign is null) return CampaignOutcome.NotFound;
        if (campaign.Version != basedOn) return CampaignOutcome.Conflict(campaign);
        await db.Posts.Where(p => p.CampaignId == id).ExecuteUpdateAsync(s => s.SetProperty(p => p.CampaignId, (Guid?)null), ct);
        db.Campaigns.Remove(campaign);
        await db.SaveChangesAsync(ct);
        return new CampaignOutcome(campaign, []);
    }

    /// <summary>The campaign as the input that would save it unchanged: edit forms and recipe exports start from it.</summary>
    public static CampaignInput InputOf(Campaign campaign) => new()
    {
        Slug = campaign.Slug, Name = campaign.Name, Objective = campaign.Objective, Persona = campaign.Persona, Kind = campaign.Kind,
        Start = campaign.Start, End = campaign.End, Colour = campaign.Colour, Kpis = CampaignRules.ParseKpis(campaign.KpiTargets), Notes = campaign.Notes,
    };

    /// <summary>The posts of a campaign, dated ones in date order then the undated ones.</summary>
    public async Task<IReadOnlyList<Post>> PostsAsync(Guid id, CancellationToken ct = default) =>
        await db.Posts.AsNoTracking().Include(p => p.Variants).Where(p => p.CampaignId == id)
            .OrderBy(p => p.StartsLocal == null).ThenBy(p => p.StartsLocal).ThenBy(p => p.CreatedUtc).ToListAsync(ct);

    private async Task<List<Problem>> ApplyAsync(Campaign campaign, CampaignInput input, CancellationToken ct)
    {
        var problems = CampaignRules.Check(input).ToList();
        var slug = input.Slug?.Trim() ?? "";
        if (CampaignRules.IsSlug(slug) && await db.Campaigns.AnyAsync(c => c.Slug == slug && c.Id != campaign.Id, ct))
            problems.Add(new Problem("slug", "Another campaign already has the slug “{0}”. Choose another one.", slug));
        var plan = await plans.CurrentAsync(ct);
        var persona = input.Persona is { Length: > 0 } name ? plan.Personas.FirstOrDefault(p => string.Equals(p.Name, name.Trim(), StringComparison.OrdinalIgnoreCase)) : null;
        if (input.Persona is { Length: > 0 } unknown && persona is null)
            problems.Add(new Problem("persona", "The persona “{0}” is not in the editorial line.", unknown));
        if (problems.Count > 0) return problems;

        campaign.Slug = slug;
        campaign.Name = input.Name.Trim();
        campaign.Objective = Blank(input.Objective?.Trim());
        campaign.Persona = persona?.Name;
        campaign.Kind = input.Kind;
        campaign.Start = input.Start!.Value;
        campaign.End = input.End!.Value;
        campaign.Colour = input.Colour.ToLowerInvariant();
        campaign.KpiTargets = CampaignRules.SerializeKpis(input.Kpis);
        campaign.Notes = Blank(input.Notes?.Trim());
        return problems;
    }

    private static bool Same(CampaignInput a, CampaignInput b) => JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
