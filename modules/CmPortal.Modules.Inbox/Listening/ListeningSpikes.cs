using System.Globalization;
using System.Net.Http.Json;
using CmPortal.Core.Jobs;
using CmPortal.Core.Notifications;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Search;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CmPortal.Modules.Inbox.Listening;

/// <summary>A query's last hour against the 12 hours before (figures of an alert).</summary>
internal sealed record SpikeFigures(int LastHour, double HourlyAverage, int NegativeShare, int BaselineNegativeShare)
{
    public bool IsVolumeSpike(ListeningQuery q) => LastHour >= q.SpikeMinimum && LastHour >= q.SpikeFactor * HourlyAverage;
    public bool IsNegativeSpike(ListeningQuery q) => LastHour >= q.SpikeMinimum && NegativeShare - BaselineNegativeShare >= q.NegativeRise;
}

/// <summary>The alert webhook's body (JSON): what a chat relay or an on-call tool reads.</summary>
internal sealed record SpikeAlert(string Event, string Workspace, string Query, string Kind, int LastHour, double HourlyAverage,
    int NegativeShare, int BaselineNegativeShare, DateTime At, string Url);

/// <summary>
/// Every five minutes, per workspace: each query's volume in the last hour against the hourly average of the 12 hours
/// before, and its negative share against that baseline. An alert is raised when a condition starts to hold and not
/// again while it holds (the query remembers since when); it goes to the members who triage (in-portal notification)
/// and to the workspace's alert webhook when one is set. Queries whose re-tagging was lost (a restart) are re-tagged here.
/// </summary>
internal sealed class ListeningSpikeJob(InboxDbContext db, MentionSearch search, WorkspaceContext workspace, INotifier notifier,
    MembershipService members, IHttpClientFactory http, TimeProvider clock, SpikeWebhookSecret secrets, ILogger<ListeningSpikeJob> logger) : IWorkspaceJob
{
    public const string HttpClientName = "Inbox.ListeningAlerts";
    public const string Cron = "0 */5 * * * ?";

    public async Task RunAsync(Workspace ws, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var pending in await db.ListeningQueries.Where(q => q.RetagPending && q.CreatedUtc < now.AddMinutes(-10)).Select(q => q.Id).ToListAsync(ct))
            await ListeningTagger.RetagAsync(db, search, pending, ct);
        foreach (var query in await db.ListeningQueries.AsNoTracking().ToListAsync(ct))
        {
            var figures = await FiguresAsync(query.Id, now, ct);
            // "Since when" is set by a conditional update: of two runs at once (a slow run and the next one), one raises the alert.
            var mine = db.ListeningQueries.Where(q => q.Id == query.Id);
            if (figures.IsVolumeSpike(query))
            {
                if (query.VolumeAlertSinceUtc is null && await mine.Where(q => q.VolumeAlertSinceUtc == null)
                        .ExecuteUpdateAsync(u => u.SetProperty(q => q.VolumeAlertSinceUtc, now), ct) == 1)
                    await RaiseAsync(query, figures, "volume", now, ct);
            }
            else if (query.VolumeAlertSinceUtc is not null)
                await mine.ExecuteUpdateAsync(u => u.SetProperty(q => q.VolumeAlertSinceUtc, (DateTime?)null), ct);
            if (figures.IsNegativeSpike(query))
            {
                if (query.NegativeAlertSinceUtc is null && await mine.Where(q => q.NegativeAlertSinceUtc == null)
                        .ExecuteUpdateAsync(u => u.SetProperty(q => q.NegativeAlertSinceUtc, now), ct) == 1)
                    await RaiseAsync(query, figures, "negative", now, ct);
            }
            else if (query.NegativeAlertSinceUtc is not null)
                await mine.ExecuteUpdateAsync(u => u.SetProperty(q => q.NegativeAlertSinceUtc, (DateTime?)null), ct);
        }
    }

    public Task<SpikeFigures> FiguresAsync(long queryId, DateTime now, CancellationToken ct = default) => FiguresAsync(db, queryId, now, ct);

    /// <summary>A query's figures now; the crisis page reads them too for its suggestion (Crisis/CrisisSuggestion.cs).</summary>
    public static async Task<SpikeFigures> FiguresAsync(InboxDbContext db, long queryId, DateTime now, CancellationToken ct = default)
    {
        var hourAgo = now.AddHours(-1);
        var rows = await (from t in db.MentionQueryTags
                          join m in db.Mentions on t.MentionId equals m.Id
                          where t.QueryId == queryId && t.PublishedUtc >= now.AddHours(-13) && t.PublishedUtc < now
                          group t by new { Recent = t.PublishedUtc >= hourAgo, Negative = m.Sentiment == "negative" } into g
                          select new { g.Key.Recent, g.Key.Negative, Count = g.Count() }).ToListAsync(ct);
        int Count(bool recent, bool? negative = null) => rows.Where(r => r.Recent == recent && (negative is null || r.Negative == negative)).Sum(r => r.Count);
        var last = Count(true);
        var before = Count(false);
        static int Share(int part, int all) => all == 0 ? 0 : (int)Math.Round(100.0 * part / all);
        return new SpikeFigures(last, Math.Round(before / 12.0, 1), Share(Count(true, true), last), Share(Count(false, true), before));
    }

    private async Task RaiseAsync(ListeningQuery query, SpikeFigures f, string kind, DateTime now, CancellationToken ct)
    {
        var url = $"/admin/{workspace.Required.Key}/inbox?query={query.Id.ToString(CultureInfo.InvariantCulture)}";
        var triagers = (await members.ListAsync(workspace.Required.Id, ct))
            .Where(m => m.Role is { } role && (role.Name == DefaultRoles.Administrator || role.Permissions.Any(p => p.Permission == InboxPermissions.Triage.Name)))
            .Select(m => m.UserId).ToList();
        var notification = kind == "volume"
            ? new Notification("Inbox", "listening-spike", "Spike on “{0}”: {1} mentions in the last hour, against {2} an hour on average before.",
                [query.Name, f.LastHour, (long)Math.Round(f.HourlyAverage)], url)
            : new Notification("Inbox", "listening-negative", "Negative spike on “{0}”: {1}% negative in the last hour, against {2}% before.",
                [query.Name, f.NegativeShare, f.BaselineNegativeShare], url);
        await notifier.NotifyAsync(triagers, notification, ct);
        if (kind == "negative") await SuggestCrisisAsync(query, f, ct);

        if (await db.ListeningSettings.AsNoTracking().Select(s => s.AlertWebhookUrl).FirstOrDefaultAsync(ct) is not { } hook
            || !ListeningQueryService.IsAllowedWebhook(hook)) return;
        try
        {
            // Signed like Publishing's webhook (Standard Webhooks, Core's WebhookSignature): the receiver checks it came from here.
            var body = new SpikeAlert(kind == "volume" ? "listening.spike" : "listening.negative", workspace.Required.Key, query.Name, query.Kind,
                f.LastHour, f.HourlyAverage, f.NegativeShare, f.BaselineNegativeShare, now, url);
            var json = System.Text.Json.JsonSerializer.Serialize(body, System.Text.Json.JsonSerializerOptions.Web);
            var key = WebhookSignature.KeyOf(await secrets.GetOrCreateAsync(ct))!;
            var id = $"spike_{query.Id.ToString(CultureInfo.InvariantCulture)}_{kind}_{new DateTimeOffset(now).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            using var message = new HttpRequestMessage(HttpMethod.Post, hook) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            message.Headers.Add("webhook-id", id);
            message.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
            message.Headers.Add("webhook-signature", WebhookSignature.Sign(key, id, timestamp, json));
            using var response = await http.CreateClient(HttpClientName).SendAsync(message, ct);
            if (!response.IsSuccessStatusCode)
                logger.LogWarning("The listening alert webhook answered {Status} for the query {Query}.", (int)response.StatusCode, query.Id);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // The in-portal notification is the alert of record; a webhook down is logged, not retried.
            logger.LogWarning("The listening alert webhook could not be reached for the query {Query}: {Error}", query.Id, e.Message);
        }
    }

    /// <summary>
    /// A negative spike: the members who may declare a crisis are told it may be one (the crisis page then offers a
    /// reason naming the query and its figures). Declaring stays their act.
    /// </summary>
    private async Task SuggestCrisisAsync(ListeningQuery query, SpikeFigures f, CancellationToken ct)
    {
        var deciders = (await members.ListAsync(workspace.Required.Id, ct))
            .Where(m => m.Role is { } role && (role.Name == DefaultRoles.Administrator || role.Permissions.Any(p => p.Permission == InboxPermissions.Crisis.Name)))
            .Select(m => m.UserId).ToList();
        if (deciders.Count == 0) return;
        await notifier.NotifyAsync(deciders, new Notification("Inbox", "crisis-suggested",
            "Negative spike on “{0}” ({1}% negative in the last hour): is it a crisis? The crisis page has a reason ready to declare it.",
            [query.Name, f.NegativeShare], $"/admin/{workspace.Required.Key}/inbox/crisis"), ct);
    }
}

/// <summary>
/// The secret spike alerts are signed with: made the first time an alert goes out (or the listening page shows it),
/// kept encrypted with Data Protection like the ingest hooks' secrets, and made anew on demand — the old one stops
/// signing at once (docs/inbox-listening.md, "Checking the signature"). The page shows it in full only when it is made.
/// </summary>
internal sealed class SpikeWebhookSecret(InboxDbContext db, WorkspaceContext workspace, Microsoft.AspNetCore.DataProtection.IDataProtectionProvider protection)
{
    /// <summary>The Data Protection purpose: a secret protected for anything else does not open.</summary>
    public const string Purpose = "CmPortal.Inbox.ListeningWebhookSecret";

    public async Task<string> GetOrCreateAsync(CancellationToken ct = default) => (await GetOrMakeAsync(renew: false, ct)).Secret;

    /// <summary>A new secret in place of the old one, which signs nothing from now on.</summary>
    public async Task<string> RegenerateAsync(CancellationToken ct = default) => (await GetOrMakeAsync(renew: true, ct)).Secret;

    /// <summary>
    /// The secret as the page shows it: in full the one time it is made (copy it then), else only its last four
    /// characters (<c>whsec_…a1b2</c>) — a lost secret is regenerated, never shown again.
    /// </summary>
    public async Task<(string Shown, bool InFull)> ShowAsync(CancellationToken ct = default)
    {
        var (secret, made) = await GetOrMakeAsync(renew: false, ct);
        return made ? (secret, true) : (Masked(secret), false);
    }

    public static string Masked(string secret) => "whsec_…" + secret[^4..];

    private async Task<(string Secret, bool Made)> GetOrMakeAsync(bool renew, CancellationToken ct)
    {
        var protector = protection.CreateProtector(Purpose);
        var settings = await db.ListeningSettings.FirstOrDefaultAsync(ct);
        if (!renew && settings?.ProtectedWebhookSecret is { } stored)
        {
            try { return (protector.Unprotect(stored), false); }
            catch (System.Security.Cryptography.CryptographicException) { } // keys lost (a new data folder): make a new secret
        }
        if (settings is null) db.ListeningSettings.Add(settings = new ListeningSettings { WorkspaceId = workspace.Required.Id });
        var secret = WebhookSignature.NewSecret();
        settings.ProtectedWebhookSecret = protector.Protect(secret);
        settings.Version++;
        await db.SaveChangesAsync(ct);
        return (secret, true);
    }
}
