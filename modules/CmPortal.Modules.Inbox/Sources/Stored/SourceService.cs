using System.Text.Json;
using System.Text.RegularExpressions;
using CmPortal.Core.Validation;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.Sources.Stored;

/// <summary>What a member (the page, the API, a recipe) gives to add a source; fields a kind does not use are ignored.</summary>
/// <param name="Url">rss: the feed's address; mastodon-tag without a channel: the public instance (https://mastodon.social).</param>
/// <param name="Query">mastodon-tag: the hashtag; bluesky-search: the search.</param>
/// <param name="AnyTags">mastodon-tag: other tags, any of which is enough (comma-separated).</param>
/// <param name="AllTags">mastodon-tag: tags a post must also have.</param>
/// <param name="NoneTags">mastodon-tag: tags that leave a post out.</param>
/// <param name="ChannelId">The connected channel to read through (required for mentions and Bluesky search).</param>
/// <param name="IntervalMinutes">Minutes between reads, at least 5; 15 when not given.</param>
internal sealed record SourceInput(
    string? Kind, string? Name = null, string? Url = null, string? Query = null, string? AnyTags = null, string? AllTags = null,
    string? NoneTags = null, Guid? ChannelId = null, int? IntervalMinutes = null);

/// <summary>The result of a change: the source as saved, or not found, a version conflict, or problems (nothing saved).</summary>
internal sealed record SourceOutcome(ListeningSource? Source, IReadOnlyList<Problem> Problems, bool IsNotFound = false, bool IsConflict = false)
{
    public bool Succeeded => Source is not null && Problems.Count == 0;
    public static readonly SourceOutcome NotFound = new(null, [new Problem(null, "This source no longer exists.")], IsNotFound: true);
    public static readonly SourceOutcome Conflict = new(null,
        [new Problem("version", "Someone changed this source meanwhile. Its current state is shown: check it, then try again.")], IsConflict: true);
}

/// <summary>
/// The rules of a workspace's sources (docs/inbox-sources.md): each kind's fields checked with a problem per field, feed
/// and instance addresses public (SSRF), channel-based kinds on one of the workspace's connected channels of the right
/// network; pause and resume, delete, and "read now" (through <see cref="SourcePoller"/>). Every change names the version
/// it was made on.
/// </summary>
internal sealed partial class SourceService(InboxDbContext db, IPublishingChannels channels, SourceAddresses addresses, TimeProvider clock)
{
    public const int MinInterval = 5;
    public const int DefaultInterval = 15;
    /// <summary>A day: a source read less often than that is better paused.</summary>
    public const int MaxInterval = 1440;
    public const int MaxTags = 10;

    public Task<List<ListeningSource>> ListAsync(CancellationToken ct = default) =>
        db.Sources.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);

    public Task<ListeningSource?> FindAsync(Guid id, CancellationToken ct = default) =>
        db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);

    /// <summary>The workspace's channels a kind can read through (Mastodon ones for mastodon-*, Bluesky ones for bluesky-*).</summary>
    public async Task<IReadOnlyList<ChannelSummary>> ChannelsForAsync(string network, CancellationToken ct = default) =>
        await channels.ChannelsOfKindAsync(network, ct);

    public async Task<SourceOutcome> CreateAsync(SourceInput input, CancellationToken ct = default)
    {
        var (source, problems) = await CheckAsync(input, ct);
        if (problems.Count > 0) return new SourceOutcome(null, problems);
        db.Sources.Add(source!);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return new SourceOutcome(source, []);
    }

    /// <summary>
    /// Checks <paramref name="input"/> as <see cref="CreateAsync"/> would, without saving: the source it would make, or
    /// every problem (the recipe step checks all its sources before adding any).
    /// </summary>
    public async Task<(ListeningSource? Source, List<Problem> Problems)> CheckAsync(SourceInput input, CancellationToken ct = default) =>
        await CheckAsync(input, renaming: null, ct);

    /// <summary><paramref name="renaming"/>: the source being edited, whose own name is not "another source's".</summary>
    private async Task<(ListeningSource? Source, List<Problem> Problems)> CheckAsync(SourceInput input, Guid? renaming, CancellationToken ct)
    {
        var problems = new List<Problem>();
        var kind = input.Kind?.Trim().ToLowerInvariant() ?? "";
        if (!SourceKinds.All.Contains(kind))
        {
            problems.Add(new Problem("kind", "Choose the kind of source: {0}.", string.Join(", ", SourceKinds.All)));
            return (null, problems);
        }
        var source = new ListeningSource
        {
            Id = Guid.NewGuid(), Kind = kind, Name = "", CreatedUtc = clock.GetUtcNow().UtcDateTime,
            NextTryUtc = clock.GetUtcNow().UtcDateTime, IntervalMinutes = input.IntervalMinutes ?? DefaultInterval,
        };
        if (source.IntervalMinutes < MinInterval)
            problems.Add(new Problem("intervalMinutes", "A source is read at most every {0} minutes: give {0} or more.", MinInterval));
        else if (source.IntervalMinutes > MaxInterval)
            problems.Add(new Problem("intervalMinutes", "Read a source at least once a day ({0} minutes); pause it rather than reading it less often.", MaxInterval));

        ChannelSummary? channel = null;
        var network = SourceKinds.Network(kind);
        if (network is not null && input.ChannelId is { } channelId && channelId != Guid.Empty)
        {
            channel = (await channels.ChannelsOfKindAsync(network, ct)).FirstOrDefault(c => c.Id == channelId);
            if (channel is null)
                problems.Add(new Problem("channelId", network == "mastodon"
                    ? "Choose one of the workspace's Mastodon channels." : "Choose one of the workspace's Bluesky channels."));
            else source.ChannelId = channel.Id;
        }
        switch (kind)
        {
            case SourceKinds.Feed:
                if (string.IsNullOrWhiteSpace(input.Url)) problems.Add(new Problem("url", "Give the feed's address (it usually ends in /feed, .rss or .xml)."));
                else if (await addresses.CheckAsync("url", input.Url, ct) is { } urlProblem) problems.Add(urlProblem);
                else source.Url = input.Url.Trim();
                break;
            case SourceKinds.MastodonTag:
                source.Query = Tag("query", input.Query, problems, required: true);
                source.AnyTags = Tags("anyTags", input.AnyTags, problems);
                source.AllTags = Tags("allTags", input.AllTags, problems);
                source.NoneTags = Tags("noneTags", input.NoneTags, problems);
                if (source.ChannelId is null && (input.ChannelId is null || input.ChannelId == Guid.Empty))
                {
                    if (string.IsNullOrWhiteSpace(input.Url))
                        problems.Add(new Problem("url", "Choose a Mastodon channel to read through, or give a public instance's address (https://mastodon.social)."));
                    else if (await addresses.CheckAsync("url", input.Url, ct) is { } instanceProblem) problems.Add(instanceProblem);
                    else source.Url = new Uri(input.Url.Trim()).GetLeftPart(UriPartial.Authority) + "/";
                }
                break;
            case SourceKinds.BlueskySearch:
                var query = input.Query?.Trim() ?? "";
                if (query.Length == 0) problems.Add(new Problem("query", "Give the words to search on Bluesky."));
                else if (query.Length > 300) problems.Add(new Problem("query", "The search is longer than {0} characters.", 300));
                else source.Query = query;
                RequireChannel(input, network!, problems);
                break;
            default: // the accounts' mentions
                RequireChannel(input, network!, problems);
                break;
        }

        var name = input.Name?.Trim() is { Length: > 0 } given ? given : DefaultName(source, channel);
        if (name.Length > 100) problems.Add(new Problem("name", "The name is longer than {0} characters.", 100));
        else if (await db.Sources.AnyAsync(s => s.Name == name && s.Id != renaming, ct))
            problems.Add(new Problem("name", "Another source is already called “{0}”.", name));
        source.Name = name;
        return (problems.Count == 0 ? source : null, problems);
    }

    /// <summary>
    /// Changes what a source reads, its name or its interval, checked as a new source would be; its kind stays (another
    /// kind is another source). When what it reads changes (address, hashtag, tags, search, channel), what the reader
    /// kept from the old one (validators, cursor, last error) is forgotten and it is read within a minute; a new
    /// interval counts from the last read.
    /// </summary>
    public async Task<SourceOutcome> UpdateAsync(Guid id, int version, SourceInput input, CancellationToken ct = default)
    {
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null) return SourceOutcome.NotFound;
        if (source.Version != version) return SourceOutcome.Conflict;
        var (wanted, problems) = await CheckAsync(input with { Kind = source.Kind }, renaming: id, ct);
        if (problems.Count > 0) return new SourceOutcome(null, problems);

        var now = clock.GetUtcNow().UtcDateTime;
        var readsElsewhere = source.Url != wanted!.Url || source.Query != wanted.Query || source.AnyTags != wanted.AnyTags ||
                             source.AllTags != wanted.AllTags || source.NoneTags != wanted.NoneTags || source.ChannelId != wanted.ChannelId;
        var unchanged = !readsElsewhere && source.Name == wanted.Name && source.IntervalMinutes == wanted.IntervalMinutes;
        if (unchanged) return new SourceOutcome(source, []);
        if (readsElsewhere)
        {
            (source.ETag, source.LastModified, source.Cursor) = (null, null, null);
            (source.LastError, source.LastErrorUtc, source.ConsecutiveFailures) = (null, null, 0);
            source.NextTryUtc = now;
        }
        else if (source.IntervalMinutes != wanted.IntervalMinutes && source.ConsecutiveFailures == 0)
        {
            // A failing source keeps its backoff; a healthy one is next read an interval after its last read.
            var next = (source.LastFetchUtc ?? now).AddMinutes(wanted.IntervalMinutes);
            source.NextTryUtc = next < now ? now : next;
        }
        (source.Name, source.Url, source.Query) = (wanted.Name, wanted.Url, wanted.Query);
        (source.AnyTags, source.AllTags, source.NoneTags) = (wanted.AnyTags, wanted.AllTags, wanted.NoneTags);
        (source.ChannelId, source.IntervalMinutes) = (wanted.ChannelId, wanted.IntervalMinutes);
        source.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return SourceOutcome.Conflict; }
        catch (DbUpdateException) // the unique name, taken by another member since the check
        {
            return new SourceOutcome(null, [new Problem("name", "Another source is already called “{0}”.", wanted.Name)]);
        }
        finally { db.ChangeTracker.Clear(); }
        return new SourceOutcome(source, []);
    }

    public Task<SourceOutcome> PauseAsync(Guid id, int version, CancellationToken ct = default) => SetPausedAsync(id, version, true, ct);

    /// <summary>Resumes a source, read at once: a paused source has nothing to wait for (its failures in a row are forgotten).</summary>
    public Task<SourceOutcome> ResumeAsync(Guid id, int version, CancellationToken ct = default) => SetPausedAsync(id, version, false, ct);

    private async Task<SourceOutcome> SetPausedAsync(Guid id, int version, bool paused, CancellationToken ct)
    {
        var source = await db.Sources.FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null) return SourceOutcome.NotFound;
        if (source.Version != version) return SourceOutcome.Conflict;
        source.Paused = paused;
        if (!paused)
        {
            source.NextTryUtc = clock.GetUtcNow().UtcDateTime;
            source.ConsecutiveFailures = 0;
        }
        source.Version++;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return SourceOutcome.Conflict; }
        db.ChangeTracker.Clear();
        return new SourceOutcome(source, []);
    }

    /// <summary>Deletes the source; the mentions it found stay in the inbox.</summary>
    public async Task<SourceOutcome> DeleteAsync(Guid id, int version, CancellationToken ct = default)
    {
        var source = await db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (source is null) return SourceOutcome.NotFound;
        if (source.Version != version) return SourceOutcome.Conflict;
        // Conditional on the version: a read that finished meanwhile moved it on, and the member sees its result first.
        var deleted = await db.Sources.Where(s => s.Id == id && s.Version == version).ExecuteDeleteAsync(ct);
        return deleted == 1 ? new SourceOutcome(source, []) : SourceOutcome.Conflict;
    }

    /// <summary>The last error of a source as a problem to show in the reader's language (stored as JSON).</summary>
    public static Problem? LastErrorOf(ListeningSource source) => SourceError.Read(source.LastError);

    private void RequireChannel(SourceInput input, string network, List<Problem> problems)
    {
        if (input.ChannelId is null || input.ChannelId == Guid.Empty)
            problems.Add(new Problem("channelId", network == "mastodon"
                ? "Choose the Mastodon channel to read through (connect one on the channels page first)."
                : "Choose the Bluesky channel to read through (connect one on the channels page first)."));
    }

    private static string DefaultName(ListeningSource source, ChannelSummary? channel) => CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(source.Kind switch
    {
        SourceKinds.Feed => Uri.TryCreate(source.Url, UriKind.Absolute, out var uri) ? uri.Host : "Feed",
        SourceKinds.MastodonTag => "#" + source.Query,
        SourceKinds.BlueskySearch => "Bluesky: " + source.Query,
        SourceKinds.MastodonMentions => "Mastodon: " + (channel?.Name ?? "mentions"),
        _ => "Bluesky: " + (channel?.Name ?? "mentions"),
    }, 100);

    private static string? Tag(string field, string? value, List<Problem> problems, bool required)
    {
        var tag = value?.Trim().TrimStart('#') ?? "";
        if (tag.Length == 0)
        {
            if (required) problems.Add(new Problem(field, "Give the hashtag to follow, without spaces (e.g. MaisonLumen)."));
            return null;
        }
        if (!TagPattern().IsMatch(tag))
        {
            problems.Add(new Problem(field, "“{0}” is not a hashtag: letters, digits and _ only, at most 100.", tag));
            return null;
        }
        return tag;
    }

    private static string? Tags(string field, string? value, List<Problem> problems)
    {
        var tags = (value ?? "").Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.TrimStart('#')).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (tags.Count == 0) return null;
        if (tags.Count > MaxTags)
        {
            problems.Add(new Problem(field, "Give at most {0} tags.", MaxTags));
            return null;
        }
        var before = problems.Count;
        foreach (var tag in tags) Tag(field, tag, problems, required: false);
        return problems.Count == before ? string.Join(",", tags) : null;
    }

    /// <summary>Splits stored tags ("a,b") for the reader.</summary>
    public static IReadOnlyList<string> SplitTags(string? tags) => tags is null ? [] : tags.Split(',', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^[\p{L}\p{Nd}_]{1,100}$")]
    private static partial Regex TagPattern();
}

/// <summary>A source's last error kept as its problem (template and values as text), translated when shown.</summary>
internal static class SourceError
{
    private sealed record Stored(string? F, string T, string?[] V);

    public static string Write(Problem problem)
    {
        var json = JsonSerializer.Serialize(new Stored(problem.Field, problem.Template,
            problem.Values.Select(v => v is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : v?.ToString()).ToArray()));
        return json.Length <= 2000 ? json : JsonSerializer.Serialize(new Stored(problem.Field, problem.Template,
            problem.Values.Select(v => v?.ToString() is { Length: > 300 } s ? CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(s, 300) + "…" : v?.ToString()).ToArray()));
    }

    public static Problem? Read(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(json);
            return stored is null ? null : new Problem(stored.F, stored.T, [.. stored.V.Cast<object?>()]);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
