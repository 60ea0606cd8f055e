using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CmPortal.Core.Jobs;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Search;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Listening;

/// <summary>A query as a form or a recipe gives it (the thresholds are optional: the defaults are ×3, 10 mentions, +20 points).</summary>
internal sealed record ListeningQueryInput(string? Name, string? Kind, string? Expression, string? Languages = null, string? Color = null,
    double? SpikeFactor = null, int? SpikeMinimum = null, int? NegativeRise = null);

/// <summary>A save's result: the query as saved, or not found, a version conflict, or problems per field.</summary>
internal sealed record ListeningSaveOutcome(ListeningQuery? Query, IReadOnlyList<Problem> Problems, bool IsNotFound = false);

/// <summary>
/// The listening queries' rules: validated (the expression with the search parser's own messages), saved with their
/// version, deleted with their tags; each save re-tags the existing mentions in the background (docs/inbox-listening.md).
/// </summary>
internal sealed partial class ListeningQueryService(InboxDbContext db, WorkspaceContext workspace, WorkspaceJobScheduler scheduler, TimeProvider clock)
{
    public static readonly string[] Kinds = ["brand", "competitor", "campaign"];
    public static readonly string[] KnownLanguages = ["fr", "en"];
    /// <summary>Colours given in turn to queries saved without one (readable on white, distinct for the colour-blind).</summary>
    public static readonly string[] Palette = ["#0d6efd", "#d63384", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#6c757d"];
    public const int MaxQueries = 30;

    public async Task<IReadOnlyList<ListeningQuery>> ListAsync(CancellationToken ct = default) =>
        (await db.ListeningQueries.AsNoTracking().ToListAsync(ct))
            .OrderBy(q => Array.IndexOf(Kinds, q.Kind)).ThenBy(q => q.Name, StringComparer.CurrentCultureIgnoreCase).ToList();

    public Task<ListeningQuery?> FindAsync(long id, CancellationToken ct = default) =>
        db.ListeningQueries.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct);

    public Task<ListeningQuery?> FindByNameAsync(string name, CancellationToken ct = default) =>
        db.ListeningQueries.AsNoTracking().FirstOrDefaultAsync(q => q.Name == name, ct);

    /// <summary>Every problem of the input, each on its field.</summary>
    public static List<Problem> Check(ListeningQueryInput input)
    {
        var problems = new List<Problem>();
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > ListeningQuery.MaxName)
            problems.Add(new Problem("name", "Give the query a name (1 to {0} characters).", ListeningQuery.MaxName));
        if (!Kinds.Contains(input.Kind))
            problems.Add(new Problem("kind", "Choose what the query follows: the brand, a competitor or a campaign."));
        if (string.IsNullOrWhiteSpace(input.Expression))
            problems.Add(new Problem("expression", "Write what to look for, e.g. \"Maison Lumen\" OR lumen -promo."));
        else if (MentionQuery.Parse(input.Expression, out var parse) is null)
            problems.Add(parse! with { Field = "expression" });
        else if (MentionQuery.Parse(input.Expression, out _) is { Required.Count: 0 })
            problems.Add(new Problem("expression", "Write what to look for, e.g. \"Maison Lumen\" OR lumen -promo."));
        foreach (var language in SplitLanguages(input.Languages))
            if (!KnownLanguages.Contains(language))
                problems.Add(new Problem("languages", "“{0}” is not a language the inbox reads. Use fr, en, or leave empty for every language.", language));
        if (input.Color is { Length: > 0 } color && !ColorPattern().IsMatch(color))
            problems.Add(new Problem("color", "Give the colour as #rrggbb, e.g. #0d6efd."));
        if (input.SpikeFactor is { } factor && (double.IsNaN(factor) || factor < 1.5 || factor > 100))
            problems.Add(new Problem("spikeFactor", "The volume factor is a number from 1.5 to 100."));
        if (input.SpikeMinimum is < 1 or > 100000)
            problems.Add(new Problem("spikeMinimum", "The minimum is a whole number from 1 to 100,000."));
        if (input.NegativeRise is < 1 or > 100)
            problems.Add(new Problem("negativeRise", "The rise of the negative share is a number of points from 1 to 100."));
        return problems;
    }

    /// <param name="background">False when the caller tags the mentions itself, in its own transaction (a recipe).</param>
    public async Task<ListeningSaveOutcome> CreateAsync(ListeningQueryInput input, CancellationToken ct = default, bool background = true)
    {
        var problems = Check(input);
        var count = await db.ListeningQueries.CountAsync(ct);
        if (count >= MaxQueries) problems.Add(new Problem("name", "A workspace follows at most {0} queries. Delete one first.", MaxQueries));
        if (problems.Count == 0 && await NameTakenAsync(input.Name!.Trim(), null, ct))
            problems.Add(new Problem("name", "Another query is already named “{0}”.", input.Name.Trim()));
        if (problems.Count > 0) return new ListeningSaveOutcome(null, problems);
        var query = new ListeningQuery
        {
            Name = input.Name!.Trim(), Kind = input.Kind!, Expression = input.Expression!.Trim(),
            Color = input.Color is { Length: > 0 } c ? c.ToLowerInvariant() : Palette[count % Palette.Length],
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        Apply(query, input);
        db.ListeningQueries.Add(query);
        await db.SaveChangesAsync(ct);
        if (background) await ScheduleRetagAsync(query, ct);
        return new ListeningSaveOutcome(query, []);
    }

    public async Task<ListeningSaveOutcome> UpdateAsync(long id, int version, ListeningQueryInput input, CancellationToken ct = default, bool background = true)
    {
        var query = await db.ListeningQueries.FirstOrDefaultAsync(q => q.Id == id, ct);
        if (query is null) return new ListeningSaveOutcome(null, [], IsNotFound: true);
        var problems = Check(input);
        if (query.Version != version)
            problems.Insert(0, new Problem("version", "Someone changed this query meanwhile. Its current state is shown: check it, then try again."));
        if (problems.Count == 0 && await NameTakenAsync(input.Name!.Trim(), id, ct))
            problems.Add(new Problem("name", "Another query is already named “{0}”.", input.Name.Trim()));
        if (problems.Count > 0) { db.ChangeTracker.Clear(); return new ListeningSaveOutcome(null, problems); }
        var retag = query.Expression != input.Expression!.Trim() || query.Languages != JoinLanguages(input.Languages);
        query.Name = input.Name!.Trim();
        query.Kind = input.Kind!;
        query.Expression = input.Expression!.Trim();
        if (input.Color is { Length: > 0 } color) query.Color = color.ToLowerInvariant();
        Apply(query, input);
        // Saving what is already there changes nothing (a recipe applied twice leaves the query as it was).
        db.ChangeTracker.DetectChanges();
        if (db.Entry(query).State == EntityState.Unchanged) return new ListeningSaveOutcome(query, []);
        query.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new ListeningSaveOutcome(null, [new Problem("version", "Someone changed this query meanwhile. Its current state is shown: check it, then try again.")]);
        }
        if (retag && background) await ScheduleRetagAsync(query, ct);
        return new ListeningSaveOutcome(query, []);
    }

    /// <summary>Deletes the query and its tags (mentions stay).</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct = default)
    {
        var query = await db.ListeningQueries.FirstOrDefaultAsync(q => q.Id == id, ct);
        if (query is null) return false;
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.MentionQueryTags.Where(t => t.QueryId == id).ExecuteDeleteAsync(ct);
        db.ListeningQueries.Remove(query);
        await db.SaveChangesAsync(ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<ListeningSettings> SettingsAsync(CancellationToken ct = default) =>
        await db.ListeningSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new ListeningSettings();

    /// <summary>
    /// The alert webhook: HTTPS only (the alert leaves the portal), plain HTTP allowed for this machine alone (a local
    /// relay, tests). Empty removes it.
    /// </summary>
    public async Task<IReadOnlyList<Problem>> SaveSettingsAsync(string? alertWebhookUrl, CancellationToken ct = default)
    {
        var url = string.IsNullOrWhiteSpace(alertWebhookUrl) ? null : alertWebhookUrl.Trim();
        if (url is not null && !IsAllowedWebhook(url))
            return [new Problem("alertWebhookUrl", "The alert webhook address must start with https:// (up to {0} characters).", 500)];
        var settings = await db.ListeningSettings.FirstOrDefaultAsync(ct);
        if (settings is null) db.ListeningSettings.Add(settings = new ListeningSettings { WorkspaceId = workspace.Required.Id }); // the key: set, not generated
        settings.AlertWebhookUrl = url;
        settings.Version++;
        await db.SaveChangesAsync(ct);
        return [];
    }

    public static bool IsAllowedWebhook(string url) =>
        url.Length <= 500 && Uri.TryCreate(url, UriKind.Absolute, out var uri) && string.IsNullOrEmpty(uri.UserInfo)
        && (uri.Scheme == Uri.UriSchemeHttps
            || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)))));

    public static IEnumerable<string> SplitLanguages(string? languages) =>
        (languages ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.ToLowerInvariant()).Distinct();

    private static string? JoinLanguages(string? languages) =>
        SplitLanguages(languages).ToList() is { Count: > 0 } list ? string.Join(',', list) : null;

    private static void Apply(ListeningQuery query, ListeningQueryInput input)
    {
        query.Languages = JoinLanguages(input.Languages);
        query.SpikeFactor = input.SpikeFactor ?? query.SpikeFactor;
        query.SpikeMinimum = input.SpikeMinimum ?? query.SpikeMinimum;
        query.NegativeRise = input.NegativeRise ?? query.NegativeRise;
    }

    private Task<bool> NameTakenAsync(string name, long? except, CancellationToken ct) =>
        db.ListeningQueries.AnyAsync(q => q.Name == name && q.Id != except, ct);

    /// <summary>Marks the query and asks for a background run now (the request does not wait for a million mentions).</summary>
    private async Task ScheduleRetagAsync(ListeningQuery query, CancellationToken ct)
    {
        await db.ListeningQueries.Where(q => q.Id == query.Id).ExecuteUpdateAsync(s => s.SetProperty(q => q.RetagPending, true), ct);
        query.RetagPending = true;
        var id = query.Id.ToString(CultureInfo.InvariantCulture);
        await scheduler.ScheduleAsync<RetagQueryJob>(workspace.Required, "retag-" + id, clock.GetUtcNow(), id, ct);
    }

    [GeneratedRegex("^#[0-9a-fA-F]{6}$")]
    private static partial Regex ColorPattern();
}
