using CmPortal.Modules.Publishing.Contracts;
using System.Text.Json;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Publishing.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Channels;

/// <summary>The result of a change to a channel: the channel, or problems (nothing saved).</summary>
internal sealed record ChannelOutcome(Channel? Channel, IReadOnlyList<Problem> Problems)
{
    public bool Succeeded => Channel is not null && Problems.Count == 0;
    public bool IsNotFound { get; init; }

    /// <summary>Someone changed the channel after the caller read it; nothing was saved.</summary>
    public bool IsConflict { get; init; }

    /// <summary>When a removal was refused: the deliveries still to send.</summary>
    public IReadOnlyList<Delivery> PendingDeliveries { get; init; } = [];

    /// <summary>The secret made for the member (a webhook secret left empty): shown once, never again.</summary>
    public string? GeneratedSecret { get; init; }

    public static ChannelOutcome Saved(Channel channel) => new(channel, []);
    public static ChannelOutcome Refused(params Problem[] problems) => new(null, problems);
    public static readonly ChannelOutcome NotFound = new(null, [new Problem(null, "This channel no longer exists.")]) { IsNotFound = true };
    public static readonly ChannelOutcome Conflict =
        new(null, [new Problem(null, "Someone changed this channel in the meantime. Reload the page and try again.")]) { IsConflict = true };
}

/// <summary>
/// The rules of a workspace's channels: connect (the network checks what was typed), rename, pause and resume,
/// the manual channel's assignee, and remove (refused while deliveries wait, unless they move to another channel of
/// the same network). Secrets are encrypted with Data Protection and never logged.
/// </summary>
internal sealed partial class ChannelService(
    PublishingDbContext db, CoreDbContext core, IEnumerable<IChannelNetwork> networks, IDataProtectionProvider protection,
    WorkspaceContext workspace, TimeProvider clock, ILookupNormalizer normalizer) : IPublishingChannels
{
    /// <summary>The Data Protection purpose of channel secrets: a secret protected for anything else does not open.</summary>
    public const string SecretPurpose = "CmPortal.Publishing.ChannelSecrets";

    public const int NameMaxLength = 100;

    /// <summary>Deliveries that still go somewhere: a channel with any of them cannot simply go.</summary>
    public static readonly DeliveryState[] OpenStates = [DeliveryState.Pending, DeliveryState.Sending, DeliveryState.AwaitingPerson];

    private IDataProtector Protector => protection.CreateProtector(SecretPurpose);

    public IReadOnlyList<string> Kinds => networks.Select(n => n.Kind).Distinct().Order(StringComparer.Ordinal).ToList();

    public IChannelNetwork? NetworkOf(string kind) => networks.FirstOrDefault(n => n.Kind == kind);

    public Task<List<Channel>> ListAsync(CancellationToken ct) =>
        db.Channels.AsNoTracking().OrderBy(c => c.Name).ThenBy(c => c.CreatedUtc).ToListAsync(ct);

    public Task<string?> NameOfKindAsync(string kind, CancellationToken ct) =>
        db.Channels.AsNoTracking().Where(c => c.Kind == kind).OrderBy(c => c.CreatedUtc).Select(c => c.Name).FirstOrDefaultAsync(ct);

    public async Task<IReadOnlyList<ChannelSummary>> ChannelsOfKindAsync(string kind, CancellationToken ct) =>
        await db.Channels.AsNoTracking().Where(c => c.Kind == kind).OrderBy(c => c.Name)
            .Select(c => new ChannelSummary(c.Id, c.Kind, c.Name, c.AccountName, c.State == ChannelState.Active)).ToListAsync(ct);

    public Task<Channel?> FindAsync(Guid id, CancellationToken ct) => db.Channels.FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>
    /// Connects a channel: the network checks <paramref name="fields"/> against itself (a token, an app password, a
    /// URL) and says what to keep; the secret is stored encrypted. <paramref name="fields"/> are the form's and the
    /// API's names ("instanceUrl", "accessToken", "handle", "appPassword", "url", "secret", "network"…).
    /// </summary>
    public async Task<ChannelOutcome> ConnectAsync(string kind, string name, IReadOnlyDictionary<string, string> fields,
        Guid? assigneeUserId, CancellationToken ct)
    {
        var network = NetworkOf(kind);
        if (network is null) return ChannelOutcome.Refused(new Problem("network", "Choose the kind of channel to connect."));
        name = (name ?? "").Trim();
        var problems = new List<Problem>();
        if (name.Length == 0) problems.Add(new Problem("name", "Give the channel a name."));
        else if (name.Length > NameMaxLength) problems.Add(new Problem("name", "The name is longer than {0} characters.", NameMaxLength));
        else if (await db.Channels.AnyAsync(c => c.Name == name, ct))
            problems.Add(new Problem("name", "Another channel is already called “{0}”.", name));
        if (assigneeUserId is { } assignee && !await IsMemberAsync(assignee, ct))
            problems.Add(new Problem("assignee", "The person who posts by hand must be a member of this workspace."));
        if (problems.Count > 0) return new ChannelOutcome(null, problems);

        var connected = await network.ConnectAsync(new ConnectRequest(fields, Culture), ct);
        if (!connected.Succeeded) return new ChannelOutcome(null, connected.Problems);

        var channel = new Channel
        {
            Id = Guid.NewGuid(), Kind = kind, Name = name, AccountName = connected.AccountName, AccountUrl = connected.AccountUrl,
            SettingsJson = JsonSerializer.Serialize(connected.Settings ?? new Dictionary<string, string>()),
            ProtectedSecret = connected.Secret is null ? null : Protector.Protect(connected.Secret),
            LimitsJson = connected.Limits is null ? null : JsonSerializer.Serialize(connected.Limits),
            LimitsReadUtc = connected.Limits is null ? null : clock.GetUtcNow().UtcDateTime,
            State = ChannelState.Active, AssigneeUserId = assigneeUserId, CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        // A secret the member left empty and the network made up (a webhook's) is shown to them once.
        var typed = fields.TryGetValue("secret", out var s) && !string.IsNullOrWhiteSpace(s);
        return ChannelOutcome.Saved(channel) with { GeneratedSecret = !typed && kind == "webhook" ? connected.Secret : null };
    }

    /// <summary>
    /// Gives a channel its secret again (imported from a recipe, or the network asked to reconnect): the network
    /// checks the fields as at connect; the channel becomes active with what it says.
    /// </summary>
    public async Task<ChannelOutcome> ReconnectAsync(Guid id, int basedOnVersion, IReadOnlyDictionary<string, string> fields, CancellationToken ct)
    {
        var channel = await FindAsync(id, ct);
        if (channel is null) return ChannelOutcome.NotFound;
        if (channel.Version != basedOnVersion) return ChannelOutcome.Conflict;
        var network = NetworkOf(channel.Kind);
        if (network is null) return ChannelOutcome.Refused(new Problem("network", "Choose the kind of channel to connect."));
        var connected = await network.ConnectAsync(new ConnectRequest(fields, Culture), ct);
        if (!connected.Succeeded) return new ChannelOutcome(null, connected.Problems);
        channel.AccountName = connected.AccountName;
        channel.AccountUrl = connected.AccountUrl;
        channel.SettingsJson = JsonSerializer.Serialize(KeepCarriedNetwork(channel, connected.Settings));
        channel.ProtectedSecret = connected.Secret is null ? null : Protector.Protect(connected.Secret);
        if (connected.Limits is not null)
        {
            // Reconnecting reads the instance's limits again: an administrator may have changed them.
            channel.LimitsJson = JsonSerializer.Serialize(connected.Limits);
            channel.LimitsReadUtc = clock.GetUtcNow().UtcDateTime;
        }
        channel.State = ChannelState.Active;
        return await SaveAsync(channel, ct);
    }

    public async Task<ChannelOutcome> RenameAsync(Guid id, int basedOnVersion, string name, CancellationToken ct)
    {
        var channel = await FindAsync(id, ct);
        if (channel is null) return ChannelOutcome.NotFound;
        if (channel.Version != basedOnVersion) return ChannelOutcome.Conflict;
        name = (name ?? "").Trim();
        if (name.Length == 0) return ChannelOutcome.Refused(new Problem("name", "Give the channel a name."));
        if (name.Length > NameMaxLength) return ChannelOutcome.Refused(new Problem("name", "The name is longer than {0} characters.", NameMaxLength));
        if (await db.Channels.AnyAsync(c => c.Name == name && c.Id != id, ct))
            return ChannelOutcome.Refused(new Problem("name", "Another channel is already called “{0}”.", name));
        channel.Name = name;
        return await SaveAsync(channel, ct);
    }

    /// <summary>A paused channel sends nothing: its deliveries wait (and go, late, when it resumes).</summary>
    public Task<ChannelOutcome> PauseAsync(Guid id, int basedOnVersion, CancellationToken ct) =>
        ChangeStateAsync(id, basedOnVersion, ChannelState.Paused, ct);

    public Task<ChannelOutcome> ResumeAsync(Guid id, int basedOnVersion, CancellationToken ct) =>
        ChangeStateAsync(id, basedOnVersion, ChannelState.Active, ct);

    private async Task<ChannelOutcome> ChangeStateAsync(Guid id, int basedOnVersion, ChannelState to, CancellationToken ct)
    {
        var channel = await FindAsync(id, ct);
        if (channel is null) return ChannelOutcome.NotFound;
        if (channel.Version != basedOnVersion) return ChannelOutcome.Conflict;
        if (to == ChannelState.Active && channel.State is ChannelState.NeedsSecret or ChannelState.NeedsReconnect)
            return ChannelOutcome.Refused(new Problem(null, "This channel needs its secret again before it can send: reconnect it."));
        channel.State = to;
        return await SaveAsync(channel, ct);
    }

    /// <summary>The member who posts a manual channel's posts by hand (told at the due time).</summary>
    public async Task<ChannelOutcome> SetAssigneeAsync(Guid id, int basedOnVersion, Guid? userId, CancellationToken ct)
    {
        var channel = await FindAsync(id, ct);
        if (channel is null) return ChannelOutcome.NotFound;
        if (channel.Version != basedOnVersion) return ChannelOutcome.Conflict;
        if (channel.Kind != "manual") return ChannelOutcome.Refused(new Problem("assignee", "Only a manual channel has someone who posts by hand."));
        if (userId is { } user && !await IsMemberAsync(user, ct))
            return ChannelOutcome.Refused(new Problem("assignee", "The person who posts by hand must be a member of this workspace."));
        channel.AssigneeUserId = userId;
        return await SaveAsync(channel, ct);
    }

    /// <summary>
    /// Removes a channel. Refused, with the list, while deliveries still wait for it, unless
    /// <paramref name="moveTo"/> names another channel of the same network: they move there (one already planned
    /// there for the same post and time is canceled instead, never sent twice). Its past deliveries and their log go
    /// with it.
    /// </summary>
    public async Task<ChannelOutcome> RemoveAsync(Guid id, int basedOnVersion, Guid? moveTo, CancellationToken ct)
    {
        var channel = await FindAsync(id, ct);
        if (channel is null) return ChannelOutcome.NotFound;
        if (channel.Version != basedOnVersion) return ChannelOutcome.Conflict;
        var open = await db.Deliveries.AsNoTracking().Where(d => d.ChannelId == id && OpenStates.Contains(d.State)).OrderBy(d => d.DueUtc).ToListAsync(ct);
        if (open.Count > 0 && moveTo is null)
            return new ChannelOutcome(null, [new Problem(null,
                "This channel still has {0} deliveries to send. Move them to another channel of the same network, or cancel them, before removing it.",
                open.Count)]) { PendingDeliveries = open };
        if (open.Any(d => d.State == DeliveryState.Sending))
            return new ChannelOutcome(null, [new Problem(null, "A delivery of this channel is being sent right now. Try again in a minute.")])
                { PendingDeliveries = open };
        if (open.Count > 0)
        {
            var target = await FindAsync(moveTo!.Value, ct);
            if (target is null || target.Id == id || target.Kind != channel.Kind)
                return ChannelOutcome.Refused(new Problem("moveTo", "Choose another channel of the same network to move the deliveries to."));
            var taken = (await db.Deliveries.Where(d => d.ChannelId == target.Id).Select(d => new { d.PostId, d.OccurrenceUtc }).ToListAsync(ct))
                .Select(d => (d.PostId, d.OccurrenceUtc)).ToHashSet();
            var moved = new List<Delivery>();
            foreach (var delivery in open)
            {
                if (taken.Contains((delivery.PostId, delivery.OccurrenceUtc))) continue;
                // A new delivery on the target channel: its network chooses its own key.
                moved.Add(new Delivery
                {
                    Id = Guid.NewGuid(), ChannelId = target.Id, PostId = delivery.PostId, OccurrenceUtc = delivery.OccurrenceUtc,
                    DueUtc = delivery.DueUtc, Network = delivery.Network, State = DeliveryState.Pending, ReplyId = delivery.ReplyId,
                    DeliveryKey = NetworkOf(target.Kind)!.NewDeliveryKey(clock.GetUtcNow().UtcDateTime),
                });
            }
            db.Deliveries.AddRange(moved);
        }
        await db.Attempts.Where(a => db.Deliveries.Any(d => d.Id == a.DeliveryId && d.ChannelId == id)).ExecuteDeleteAsync(ct);
        await db.Deliveries.Where(d => d.ChannelId == id).ExecuteDeleteAsync(ct);
        db.Channels.Remove(channel);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return ChannelOutcome.Conflict; }
        return ChannelOutcome.Saved(channel);
    }

    /// <summary>
    /// Reads again the limits of the workspace's active channels whose limits are older than
    /// <see cref="LimitsRefreshAfter"/> (the planning job calls it each minute: one query, and one call per such channel
    /// a day). A network that cannot say now is asked again after <see cref="LimitsRetryAfter"/>; its limits stay.
    /// </summary>
    public async Task RefreshLimitsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var before = now - LimitsRefreshAfter;
        var stale = await db.Channels.AsNoTracking().Where(c => c.LimitsJson != null && c.State == ChannelState.Active
            && (c.LimitsReadUtc == null || c.LimitsReadUtc < before)).ToListAsync(ct);
        foreach (var channel in stale)
        {
            if (NetworkOf(channel.Kind) is not { } network) continue;
            NetworkLimits? limits;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                wait.CancelAfter(LimitsReadTimeout); // a slow instance must not hold the planning job
                try { limits = await network.ReadLimitsAsync(AccountOf(channel, (_, _) => Task.CompletedTask), wait.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { limits = null; }
            }
            var json = limits is null ? channel.LimitsJson : JsonSerializer.Serialize(limits);
            var read = limits is null ? now - LimitsRefreshAfter + LimitsRetryAfter : now;
            // Only these two columns, without the version: a member renaming the channel meanwhile is not refused for it.
            await db.Channels.Where(c => c.Id == channel.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.LimitsJson, json).SetProperty(c => c.LimitsReadUtc, read), ct);
        }
    }

    /// <summary>A channel's limits are read again once this old.</summary>
    public static readonly TimeSpan LimitsRefreshAfter = TimeSpan.FromDays(1);

    /// <summary>After a failed read, the next try.</summary>
    public static readonly TimeSpan LimitsRetryAfter = TimeSpan.FromHours(1);

    private static readonly TimeSpan LimitsReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The channel as its network sees it: settings, the decrypted secret (null when it has none) and its limits.</summary>
    public ChannelAccount AccountOf(Channel channel, Func<string, CancellationToken, Task> saveSecretAsync) =>
        new(channel.Id, channel.Kind, channel.Name, SettingsOf(channel), SecretOf(channel), saveSecretAsync, LimitsOf(channel));

    /// <summary>What the network accepts, as last read from it; null when it said nothing.</summary>
    public static NetworkLimits? LimitsOf(Channel channel) =>
        channel.LimitsJson is { Length: > 0 } json ? JsonSerializer.Deserialize<NetworkLimits>(json) : null;

    public static IReadOnlyDictionary<string, string> SettingsOf(Channel channel) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(channel.SettingsJson) ?? [];

    public string? SecretOf(Channel channel) => channel.ProtectedSecret is null ? null : Protector.Unprotect(channel.ProtectedSecret);

    public string ProtectSecret(string secret) => Protector.Protect(secret);

    private string Culture => workspace.Current?.Culture ?? "fr-FR";

    private Task<bool> IsMemberAsync(Guid userId, CancellationToken ct)
    {
        var workspaceId = workspace.Current?.Id ?? Guid.Empty;
        return core.Memberships.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, ct);
    }

    private async Task<ChannelOutcome> SaveAsync(Channel channel, CancellationToken ct)
    {
        channel.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return ChannelOutcome.Conflict; }
        return ChannelOutcome.Saved(channel);
    }
}
