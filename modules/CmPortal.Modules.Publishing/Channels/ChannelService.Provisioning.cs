using System.Text.Json;
using CmPortal.Core.Networks;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Networks.Bluesky;
using CmPortal.Modules.Publishing.Networks.Mastodon;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Publishing.Channels;

/// <summary>
/// A channel as a recipe writes it: its kind, its name and what is not secret. It never holds a token, an app
/// password or a webhook secret: a channel that needs one is created waiting for it (<see cref="ChannelState.NeedsSecret"/>).
/// </summary>
/// <param name="InstanceUrl">Mastodon: the instance's address.</param>
/// <param name="Handle">Bluesky: the account's handle (or DID).</param>
/// <param name="PdsUrl">Bluesky: the account's server, https://bsky.social when left out.</param>
/// <param name="Url">Webhook: the receiver's address.</param>
/// <param name="Network">Manual: the network posted to by hand (required); webhook: the network whose variant it carries.</param>
/// <param name="Assignee">Manual: the e-mail of the member who posts by hand.</param>
internal sealed record ChannelDescription(
    string? Kind, string? Name, string? InstanceUrl = null, string? Handle = null, string? PdsUrl = null, string? Url = null,
    string? Network = null, string? Assignee = null);

internal sealed partial class ChannelService
{
    /// <summary>The kinds a recipe may describe. Mastodon, Bluesky and webhooks wait for their secret; the others are active at once.</summary>
    public static readonly IReadOnlyList<string> DescribedKinds = ["mastodon", "bluesky", "webhook", "manual", "blog"];

    private static bool NeedsSecret(string kind) => kind is "mastodon" or "bluesky" or "webhook";

    /// <summary>
    /// Every problem of a description that can be seen without the database, fields named as the recipe names them
    /// ("kind", "name", "instanceUrl", "handle", "pdsUrl", "url", "network", "assignee").
    /// </summary>
    public static IEnumerable<Problem> Check(ChannelDescription channel)
    {
        var kind = channel.Kind?.Trim() ?? "";
        if (kind.Length == 0)
            yield return new Problem("kind", "Give the kind of channel: one of {0}.", ProblemValue.List(DescribedKinds));
        else if (!DescribedKinds.Contains(kind))
            yield return new Problem("kind", "“{0}” is not a kind of channel. Use one of {1}.", kind, ProblemValue.List(DescribedKinds));
        var name = channel.Name?.Trim() ?? "";
        if (name.Length == 0) yield return new Problem("name", "Give the channel a name.");
        else if (name.Length > NameMaxLength) yield return new Problem("name", "The name is longer than {0} characters.", NameMaxLength);
        if (!DescribedKinds.Contains(kind)) yield break;

        // A field another kind of channel uses is refused rather than ignored: it would be lost on the way.
        foreach (var (field, value) in FieldsOf(channel))
            if (value is not null && !UsedBy(kind, field))
                yield return new Problem(field, "A channel of kind “{0}” has no field “{1}”: remove it.", kind, field);

        switch (kind)
        {
            case "mastodon":
                if (MastodonNetwork.ParseInstanceUrl(channel.InstanceUrl).Problem is { } instance) yield return instance;
                break;
            case "bluesky":
                var handle = channel.Handle?.Trim().TrimStart('@') ?? "";
                if (handle.Length == 0)
                    yield return new Problem("handle", "Enter the account's handle, such as maison-lumen.bsky.social.");
                else if (!RichText.IsHandle(handle.ToLowerInvariant()) && !handle.StartsWith("did:", StringComparison.Ordinal))
                    yield return new Problem("handle", "\"{0}\" is not a Bluesky handle: it looks like maison-lumen.bsky.social.", handle);
                if (channel.PdsUrl is not null && !IsHttpAddress(channel.PdsUrl, out _))
                    yield return new Problem("pdsUrl", "The server address must be an http(s) address, such as https://bsky.social.");
                break;
            case "webhook":
                if (!IsHttpAddress(channel.Url, out _))
                    yield return new Problem("url", "The webhook address must start with http:// or https://.");
                if (channel.Network is not null && SocialNetworks.Find(channel.Network.Trim()) is null)
                    yield return new Problem("network", "“{0}” is not a network the portal knows. Use one of: {1}.", channel.Network, SocialNetworks.Ids);
                break;
            case "manual":
                if (string.IsNullOrWhiteSpace(channel.Network))
                    yield return new Problem("network", "Choose the network this channel posts to by hand.");
                else if (SocialNetworks.Find(channel.Network.Trim()) is null)
                    yield return new Problem("network", "“{0}” is not a network the portal knows. Use one of: {1}.", channel.Network, SocialNetworks.Ids);
                if (channel.Assignee is not null && !System.Net.Mail.MailAddress.TryCreate(channel.Assignee.Trim(), out _))
                    yield return new Problem("assignee", "“{0}” is not an e-mail address. Give the e-mail of the member who posts by hand.", channel.Assignee);
                break;
        }
    }

    private static IEnumerable<(string Field, string? Value)> FieldsOf(ChannelDescription c) =>
        [("instanceUrl", c.InstanceUrl), ("handle", c.Handle), ("pdsUrl", c.PdsUrl), ("url", c.Url), ("network", c.Network), ("assignee", c.Assignee)];

    private static bool UsedBy(string kind, string field) => (kind, field) switch
    {
        ("mastodon", "instanceUrl") or ("bluesky", "handle" or "pdsUrl") or ("webhook", "url" or "network") or ("manual", "network" or "assignee") => true,
        _ => false,
    };

    private static bool IsHttpAddress(string? text, out Uri? uri) =>
        Uri.TryCreate(text?.Trim(), UriKind.Absolute, out uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    /// <summary>
    /// Creates the channel a recipe describes, without calling any network: Mastodon, Bluesky and webhook channels wait
    /// for their secret (<see cref="ChannelState.NeedsSecret"/>, completed by <see cref="ReconnectAsync"/>), the blog and
    /// manual channels are active at once. A channel of the same kind and name is not doubled: it keeps its secret and
    /// state, and a manual channel takes the network and assignee described.
    /// </summary>
    public async Task<ChannelOutcome> ProvisionAsync(ChannelDescription description, CancellationToken ct)
    {
        var problems = Check(description).ToList();
        if (problems.Count > 0) return new ChannelOutcome(null, problems);
        var kind = description.Kind!.Trim();
        var name = description.Name!.Trim();
        var network = NetworkOf(kind);
        if (network is null)
            return ChannelOutcome.Refused(new Problem("kind", "Channels of kind “{0}” are not available on this portal.", kind));

        Guid? assignee = null;
        if (description.Assignee is { } email)
        {
            assignee = await MemberByEmailAsync(email.Trim(), ct);
            if (assignee is null)
                return ChannelOutcome.Refused(new Problem("assignee",
                    "{0} is not a member of this workspace: the person who posts by hand must be one. Invite them first, or leave the assignee out.", email.Trim()));
        }

        var existing = await db.Channels.FirstOrDefaultAsync(c => c.Name == name, ct);
        if (existing is not null && existing.Kind != kind)
            return ChannelOutcome.Refused(new Problem("name", "Another channel is already called “{0}”.", name));
        if (existing is not null) return await KeepAsync(existing, description, assignee, ct);

        var channel = new Channel
        {
            Id = Guid.NewGuid(), Kind = kind, Name = name, AssigneeUserId = assignee, CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        if (NeedsSecret(kind))
        {
            // No call to the network: its secret is not known yet. The settings are what reconnecting will start from.
            var (settings, accountName) = Unconnected(kind, description);
            channel.SettingsJson = JsonSerializer.Serialize(settings);
            channel.AccountName = accountName;
            channel.State = ChannelState.NeedsSecret;
        }
        else
        {
            // The blog and manual networks only read what they are given (no request leaves the portal).
            var connected = await network.ConnectAsync(new ConnectRequest(ManualFields(description), Culture), ct);
            if (!connected.Succeeded)
                return new ChannelOutcome(null, connected.Problems.Select(p => p with { Field = p.Field ?? "kind" }).ToList());
            channel.SettingsJson = JsonSerializer.Serialize(connected.Settings ?? new Dictionary<string, string>());
            channel.AccountName = connected.AccountName;
            channel.AccountUrl = connected.AccountUrl;
            channel.State = ChannelState.Active;
        }
        db.Channels.Add(channel);
        await db.SaveChangesAsync(ct);
        return ChannelOutcome.Saved(channel);
    }

    /// <summary>A channel already there: unchanged, except the network and assignee of a manual channel (never its secret).</summary>
    private async Task<ChannelOutcome> KeepAsync(Channel channel, ChannelDescription description, Guid? assignee, CancellationToken ct)
    {
        if (channel.Kind != "manual") return ChannelOutcome.Saved(channel);
        var settings = SettingsOf(channel).ToDictionary();
        var network = description.Network!.Trim();
        if (settings.GetValueOrDefault("network") == network && channel.AssigneeUserId == assignee) return ChannelOutcome.Saved(channel);
        settings["network"] = network;
        channel.SettingsJson = JsonSerializer.Serialize(settings);
        channel.AccountName = SocialNetworks.Find(network)!.Name;
        channel.AssigneeUserId = assignee;
        return await SaveAsync(channel, ct);
    }

    private static Dictionary<string, string> ManualFields(ChannelDescription description) =>
        description.Network is { } network ? new() { ["network"] = network.Trim() } : [];

    /// <summary>What a channel waiting for its secret keeps: the settings its network's connect form starts from, and a name to show.</summary>
    private static (Dictionary<string, string> Settings, string AccountName) Unconnected(string kind, ChannelDescription d)
    {
        switch (kind)
        {
            case "mastodon":
                var instance = MastodonNetwork.ParseInstanceUrl(d.InstanceUrl).Instance!;
                return (new() { [MastodonNetwork.Settings.InstanceUrl] = instance.ToString() }, instance.Authority);
            case "bluesky":
                var handle = d.Handle!.Trim().TrimStart('@').ToLowerInvariant();
                var pds = d.PdsUrl?.Trim().TrimEnd('/') is { Length: > 0 } given ? given : BlueskyNetwork.DefaultPdsUrl;
                return (new() { [BlueskyNetwork.Fields.Handle] = handle, [BlueskyNetwork.Fields.PdsUrl] = pds }, "@" + handle);
            default:
                IsHttpAddress(d.Url, out var url);
                var settings = new Dictionary<string, string> { ["url"] = url!.ToString() };
                if (d.Network is { } network) settings["network"] = network.Trim();
                return (settings, url.Host);
        }
    }

    /// <summary>
    /// The workspace's channels as a recipe writes them: names and what is not secret, never a token nor the
    /// encrypted blob. A manual channel's assignee is written by e-mail while they are still a member.
    /// </summary>
    public async Task<IReadOnlyList<ChannelDescription>> DescribeAllAsync(CancellationToken ct)
    {
        var described = new List<ChannelDescription>();
        foreach (var channel in await ListAsync(ct))
        {
            if (!DescribedKinds.Contains(channel.Kind)) continue; // a network a recipe cannot name (added by a test or a later module)
            var settings = SettingsOf(channel);
            var description = channel.Kind switch
            {
                "mastodon" => new ChannelDescription("mastodon", channel.Name, InstanceUrl: settings.GetValueOrDefault(MastodonNetwork.Settings.InstanceUrl)),
                "bluesky" => new ChannelDescription("bluesky", channel.Name, Handle: settings.GetValueOrDefault(BlueskyNetwork.Fields.Handle),
                    PdsUrl: settings.GetValueOrDefault(BlueskyNetwork.Fields.PdsUrl) is { } pds && pds != BlueskyNetwork.DefaultPdsUrl ? pds : null),
                "webhook" => new ChannelDescription("webhook", channel.Name, Url: settings.GetValueOrDefault("url"), Network: settings.GetValueOrDefault("network")),
                "manual" => new ChannelDescription("manual", channel.Name, Network: settings.GetValueOrDefault("network"),
                    Assignee: channel.AssigneeUserId is { } user ? await MemberEmailAsync(user, ct) : null),
                _ => new ChannelDescription(channel.Kind, channel.Name),
            };
            // A channel whose stored settings a recipe could not take back (written by hand) is left out rather than
            // making the whole export impossible to apply.
            if (!Check(description).Any()) described.Add(description);
        }
        return described;
    }

    /// <summary>The network a webhook carries is the portal's, not the receiver's: reconnecting keeps it.</summary>
    private static IReadOnlyDictionary<string, string> KeepCarriedNetwork(Channel channel, IReadOnlyDictionary<string, string>? connected)
    {
        var settings = (connected ?? new Dictionary<string, string>()).ToDictionary();
        if (!settings.ContainsKey("network") && SettingsOf(channel).GetValueOrDefault("network") is { Length: > 0 } network)
            settings["network"] = network;
        return settings;
    }

    private async Task<Guid?> MemberByEmailAsync(string email, CancellationToken ct)
    {
        var normalized = normalizer.NormalizeEmail(email);
        var workspaceId = workspace.Current?.Id ?? Guid.Empty;
        return await core.Users.Where(u => u.NormalizedEmail == normalized
                && core.Memberships.Any(m => m.WorkspaceId == workspaceId && m.UserId == u.Id))
            .Select(u => (Guid?)u.Id).FirstOrDefaultAsync(ct);
    }

    private async Task<string?> MemberEmailAsync(Guid userId, CancellationToken ct) =>
        await IsMemberAsync(userId, ct) ? await core.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct) : null;
}
