using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using CmPortal.Core.Networks;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Contracts;

namespace CmPortal.Modules.Publishing.Networks.Mastodon;

/// <summary>
/// A Mastodon account as a channel. Connect: instance URL + access token (pasted, or from <see cref="MastodonOAuth"/>),
/// checked with <c>verify_credentials</c>, limits read from <c>/api/v2/instance</c>. Send: each part of a thread is a
/// status replying to the previous one, posted with <c>Idempotency-Key = {DeliveryKey}-{partIndex}</c>, the same on
/// every attempt, so a retry within Mastodon's hour gets the status already created instead of a new one. Past that
/// hour, <see cref="ReconcileAsync"/> looks for the part among the account's recent statuses before anything is resent.
/// </summary>
internal sealed partial class MastodonNetwork(MastodonClient client, TimeProvider time) : IChannelNetwork
{
    public const string NetworkKind = "mastodon";

    /// <summary>Mastodon keeps an idempotency key 3,600 s after the status is created; 5 minutes of margin for clocks.</summary>
    public static readonly TimeSpan KeyProtection = TimeSpan.FromMinutes(55);

    /// <summary>How far back reconciliation reads the account's statuses (40 per page).</summary>
    private const int ReconcilePages = 10;

    public static class Fields
    {
        public const string InstanceUrl = "instanceUrl";
        public const string AccessToken = "accessToken";
    }

    /// <summary>What the portal keeps about a Mastodon channel besides the token (in <see cref="ChannelAccount.Settings"/>).</summary>
    public static class Settings
    {
        public const string InstanceUrl = "instanceUrl";
        public const string AccountId = "accountId";
        public const string Acct = "acct";
        public const string MaxCharacters = "maxCharacters";
        public const string CharactersReservedPerUrl = "charactersReservedPerUrl";
        public const string MaxMediaAttachments = "maxMediaAttachments";
        public const string ImageSizeLimit = "imageSizeLimit";
        public const string SupportedMimeTypes = "supportedMimeTypes";
        public const string Visibility = "visibility";
    }

    /// <summary>Per-post options a variant may carry (<see cref="SendRequest.Options"/>), else the channel's settings.</summary>
    public static class Options
    {
        public const string Visibility = "visibility";
        public const string SpoilerText = "spoilerText";
        public const string Sensitive = "sensitive";
    }

    public string Kind => NetworkKind;

    public async Task<ConnectOutcome> ConnectAsync(ConnectRequest request, CancellationToken ct)
    {
        var (instance, problem) = ParseInstanceUrl(request.Fields.GetValueOrDefault(Fields.InstanceUrl));
        var token = request.Fields.GetValueOrDefault(Fields.AccessToken)?.Trim();
        var problems = new List<Problem>();
        if (problem is not null) problems.Add(problem);
        if (string.IsNullOrEmpty(token)) problems.Add(new Problem(Fields.AccessToken, "Enter the access token of the Mastodon account."));
        if (problems.Count > 0) return ConnectOutcome.Refused([.. problems]);

        MastodonAccount account;
        MastodonInstance? server;
        try
        {
            account = await client.VerifyCredentialsAsync(instance!, token!, ct);
            server = await InstanceOrNullAsync(instance!, ct);
        }
        catch (MastodonException e)
        {
            return ConnectOutcome.Refused(ConnectProblem(e, instance!));
        }

        var limits = Limits(server);
        var host = instance!.Authority;
        var settings = new Dictionary<string, string>
        {
            [Settings.InstanceUrl] = instance.ToString(),
            [Settings.AccountId] = account.Id,
            [Settings.Acct] = account.Acct,
            [Settings.MaxCharacters] = limits.MaxCharacters.ToString(CultureInfo.InvariantCulture),
        };
        if (limits.CharactersReservedPerUrl is { } reserved) settings[Settings.CharactersReservedPerUrl] = reserved.ToString(CultureInfo.InvariantCulture);
        if (limits.MaxMediaAttachments is { } max) settings[Settings.MaxMediaAttachments] = max.ToString(CultureInfo.InvariantCulture);
        if (limits.ImageSizeLimit is { } size) settings[Settings.ImageSizeLimit] = size.ToString(CultureInfo.InvariantCulture);
        if (limits.SupportedMimeTypes is { Count: > 0 } types) settings[Settings.SupportedMimeTypes] = string.Join(' ', types);
        return new ConnectOutcome([], $"@{account.Username}@{host}", account.Url, settings, token, limits);
    }

    /// <summary>The instance's limits read again (<c>GET /api/v2/instance</c>, public); null when it cannot be reached now.</summary>
    public async Task<NetworkLimits?> ReadLimitsAsync(ChannelAccount channel, CancellationToken ct)
    {
        if (!channel.Settings.TryGetValue(Settings.InstanceUrl, out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var instance)) return null;
        try
        {
            return Limits(await InstanceOrNullAsync(instance, ct));
        }
        catch (MastodonException)
        {
            return null; // unreachable or not answering as Mastodon today: the limits kept stay
        }
    }

    /// <summary>A random GUID: the root of each part's <c>Idempotency-Key</c>, kept for every attempt of the delivery.</summary>
    public string NewDeliveryKey(DateTime utcNow) => Guid.NewGuid().ToString();

    /// <summary>The <c>Idempotency-Key</c> of one part: the same on every attempt, distinct for each part of a thread.</summary>
    public static string IdempotencyKey(string deliveryKey, int partIndex) => $"{deliveryKey}-{partIndex}";

    public async Task<SendOutcome> SendAsync(SendRequest request, CancellationToken ct)
    {
        var sent = request.SentParts.ToList();
        if (Account(request.Channel) is not { } account)
            return SendOutcome.Refused(sent, new Problem(null, "The channel has no instance address or access token: connect it again."));
        var (instance, token, _) = account;

        var pending = Enumerable.Range(0, request.Parts.Count).Where(i => sent.All(p => p.Index != i)).ToList();
        // Checked before anything goes out, so that a thread is never left half published by a part that cannot go.
        if (pending.Select(i => CheckAgainstLimits(request.Channel, request.Parts[i], i, request.Parts.Count)).FirstOrDefault(m => m is not null)
            is { } tooMuch)
            return SendOutcome.Refused(sent, tooMuch);

        var visibility = Option(request, Options.Visibility) ?? request.Channel.Settings.GetValueOrDefault(Settings.Visibility);
        var spoiler = Option(request, Options.SpoilerText);
        var sensitive = bool.TryParse(Option(request, Options.Sensitive), out var s) && s;
        var language = string.IsNullOrWhiteSpace(request.Language) ? null : request.Language.Trim().ToLowerInvariant();
        // A reply from the inbox: the status it answers, as this channel's instance knows it.
        string? answered = null;
        if (pending.Contains(0) && Option(request, ReplyTarget.Id) is { } target)
        {
            try { answered = await StatusToAnswerAsync(request, instance, token, target, ct); }
            catch (MastodonException e) { return Outcome(e, sent); }
            if (answered is null)
                return SendOutcome.Refused(sent, new Problem(null, "The post to answer cannot be found from this channel's instance."));
        }
        foreach (var index in pending)
        {
            var part = request.Parts[index];
            try
            {
                var mediaIds = new List<string>();
                foreach (var media in part.Media)
                {
                    var bytes = await media.ReadAsync(ct);
                    var uploaded = await client.UploadMediaAsync(instance, token, bytes, media.FileName, media.ContentType, media.AltText, ct);
                    mediaIds.Add(uploaded.Id);
                }
                var replyTo = index == 0 ? answered : sent.FirstOrDefault(p => p.Index == index - 1)?.RemoteId;
                var status = await client.PostStatusAsync(instance, token,
                    new NewStatus(StatusText(part), mediaIds, replyTo, visibility, language, spoiler, sensitive),
                    IdempotencyKey(request.DeliveryKey, index), ct);
                if (string.IsNullOrEmpty(status.Id))
                    // An answer without the proof is never a success; the status may exist, so it is reconciled.
                    return new SendOutcome(SendStatus.Unknown, Ordered(sent), "The instance answered without the status's id.");
                sent.Add(new SentPart(index, status.Id, status.Url ?? status.Uri));
            }
            catch (MastodonException e)
            {
                return Outcome(e, sent);
            }
        }
        return SendOutcome.Published(Ordered(sent));
    }

    public async Task<ReconcileOutcome> ReconcileAsync(SendRequest request, CancellationToken ct)
    {
        var sent = request.SentParts.ToList();
        var pending = Enumerable.Range(0, request.Parts.Count).Where(i => sent.All(p => p.Index != i)).ToList();
        if (pending.Count == 0) return new ReconcileOutcome(ReconcileStatus.Found, Ordered(sent));
        if (request.FirstAttemptUtc is not { } first)
            return ReconcileOutcome.NotSent(Ordered(sent), new Problem(null, "No attempt was made yet."));
        var firstUtc = new DateTimeOffset(DateTime.SpecifyKind(first, DateTimeKind.Utc));
        // Within the hour the idempotency key still protects a resend: a status already created comes back as is.
        if (time.GetUtcNow() - firstUtc < KeyProtection)
            return ReconcileOutcome.NotSent(Ordered(sent),
                new Problem(null, "The idempotency key still protects a resend: the instance answers the status already created, if any."));
        if (Account(request.Channel) is not { } account)
            return ReconcileOutcome.CannotAsk(Ordered(sent), new Problem(null, "The channel has no instance address or access token: connect it again."));
        var (instance, token, accountId) = account;

        try
        {
            accountId ??= (await client.VerifyCredentialsAsync(instance, token, ct)).Id;
            var recent = await RecentStatusesAsync(instance, token, accountId, firstUtc.AddMinutes(-5), ct);
            foreach (var index in pending)
            {
                var wanted = NormalizeText(StatusText(request.Parts[index]));
                var previous = index == 0 ? null : sent.FirstOrDefault(p => p.Index == index - 1)?.RemoteId;
                var match = recent
                    .Where(st => NormalizeText(HtmlToText(st.Content)) == wanted && (previous is null || st.InReplyToId == previous))
                    .OrderBy(st => st.CreatedAt)
                    .FirstOrDefault();
                // Parts go out in order: a part not found means the ones after it were not sent either.
                if (match is null)
                    return ReconcileOutcome.NotSent(Ordered(sent),
                        new Problem(null, "Not among the account's statuses since the first attempt: sending it again is safe."));
                sent.Add(new SentPart(index, match.Id, match.Url ?? match.Uri));
            }
            return new ReconcileOutcome(ReconcileStatus.Found, Ordered(sent));
        }
        catch (MastodonException e)
        {
            return new ReconcileOutcome(ReconcileStatus.CannotTell, Ordered(sent), e.Message);
        }
    }

    /// <summary>
    /// The id, on the channel's instance, of the status a reply answers. A status id is the instance's own: the inbox's
    /// id is used as is only when it was read through this channel or from this instance; otherwise the status is looked
    /// up by its address (<c>GET /api/v2/search?resolve=true&amp;type=statuses</c>), which fetches it from its home
    /// instance when needed. Null when the instance does not find it.
    /// </summary>
    private async Task<string?> StatusToAnswerAsync(SendRequest request, Uri instance, string token, string target, CancellationToken ct)
    {
        var sameInstance = Option(request, ReplyTarget.ReadThroughChannel) == request.Channel.ChannelId.ToString()
            || (Option(request, ReplyTarget.ReadFromInstance) is { } from && Uri.TryCreate(from, UriKind.Absolute, out var origin)
                && string.Equals(origin.Authority, instance.Authority, StringComparison.OrdinalIgnoreCase));
        if (sameInstance && !target.Contains("://", StringComparison.Ordinal)) return target;
        var address = Option(request, ReplyTarget.Url) ?? (target.Contains("://", StringComparison.Ordinal) ? target : null);
        if (address is null) return null;
        var found = await client.SearchStatusesAsync(instance, token, address, ct);
        return found.FirstOrDefault(st => !string.IsNullOrEmpty(st.Id))?.Id;
    }

    /// <summary>The account's statuses newer than <paramref name="since"/>, newest first, at most <see cref="ReconcilePages"/> pages.</summary>
    private async Task<List<MastodonStatus>> RecentStatusesAsync(Uri instance, string token, string accountId, DateTimeOffset since, CancellationToken ct)
    {
        var all = new List<MastodonStatus>();
        string? maxId = null;
        for (var page = 0; page < ReconcilePages; page++)
        {
            var statuses = await client.AccountStatusesAsync(instance, token, accountId, maxId, 40, ct);
            all.AddRange(statuses.Where(st => st.CreatedAt >= since));
            if (statuses.Length == 0 || statuses.Min(st => st.CreatedAt) < since) break;
            maxId = statuses[^1].Id;
        }
        return all;
    }

    /// <summary>The status as posted: the part's text, and its link after a blank line when the text does not hold it.</summary>
    internal static string StatusText(DeliveryPart part) =>
        string.IsNullOrWhiteSpace(part.Link) || part.Text.Contains(part.Link, StringComparison.Ordinal)
            ? part.Text
            : part.Text.TrimEnd() + "\n\n" + part.Link;

    /// <summary>
    /// Why a part cannot go to this instance (too long, too many images, an image too large or of a refused type), or
    /// null. The limits last read (<see cref="ChannelAccount.Limits"/>), else those kept in the settings at connect.
    /// </summary>
    private static Problem? CheckAgainstLimits(ChannelAccount channel, DeliveryPart part, int index, int count)
    {
        var thread = count > 1;
        var network = SocialNetworks.Find(NetworkKind)!;
        var limits = channel.Limits;
        var max = limits?.MaxCharacters ?? Int(channel, Settings.MaxCharacters) ?? network.MaxLength!.Value;
        network = network with { UrlLength = limits?.CharactersReservedPerUrl ?? Int(channel, Settings.CharactersReservedPerUrl) ?? network.UrlLength };
        var length = NetworkTextLength.Count(network, StatusText(part));
        if (length > max)
            return thread
                ? new Problem(null, "Part {0} of the thread is {1} characters long; this Mastodon instance accepts {2}.", index + 1, length, max)
                : new Problem(null, "The post is {0} characters long; this Mastodon instance accepts {1}.", length, max);
        if ((limits?.MaxMediaAttachments ?? Int(channel, Settings.MaxMediaAttachments)) is { } maxMedia && part.Media.Count > maxMedia)
            return thread
                ? new Problem(null, "Part {0} of the thread has {1} images; this Mastodon instance accepts {2}.", index + 1, part.Media.Count, maxMedia)
                : new Problem(null, "The post has {0} images; this Mastodon instance accepts {1}.", part.Media.Count, maxMedia);
        var sizeLimit = limits?.ImageSizeLimit ?? (channel.Settings.TryGetValue(Settings.ImageSizeLimit, out var raw)
            && long.TryParse(raw, CultureInfo.InvariantCulture, out var l) ? l : (long?)null);
        var types = limits?.SupportedMimeTypes?.ToArray()
            ?? channel.Settings.GetValueOrDefault(Settings.SupportedMimeTypes)?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var media in part.Media)
        {
            if (sizeLimit is { } limit && media.Length > limit)
                return thread
                    ? new Problem(null, "Part {0} of the thread: the image “{1}” weighs {2} bytes; this Mastodon instance accepts {3}.", index + 1, media.FileName, media.Length, limit)
                    : new Problem(null, "The post: the image “{0}” weighs {1} bytes; this Mastodon instance accepts {2}.", media.FileName, media.Length, limit);
            if (types is { Length: > 0 } && !types.Contains(media.ContentType, StringComparer.OrdinalIgnoreCase))
                return thread
                    ? new Problem(null, "Part {0} of the thread: this Mastodon instance does not accept images of type {1}.", index + 1, media.ContentType)
                    : new Problem(null, "The post: this Mastodon instance does not accept images of type {0}.", media.ContentType);
        }
        return null;
    }

    private static int? Int(ChannelAccount channel, string key) =>
        channel.Settings.TryGetValue(key, out var raw) && int.TryParse(raw, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string? Option(SendRequest request, string key) =>
        request.Options.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static (Uri Instance, string Token, string? AccountId)? Account(ChannelAccount channel) =>
        channel.Settings.TryGetValue(Settings.InstanceUrl, out var url) && Uri.TryCreate(url, UriKind.Absolute, out var instance)
        && !string.IsNullOrEmpty(channel.Secret)
            ? (instance, channel.Secret, channel.Settings.GetValueOrDefault(Settings.AccountId))
            : null;

    private static SendOutcome Outcome(MastodonException e, List<SentPart> sent) => e.Failure switch
    {
        MastodonFailure.RateLimited or MastodonFailure.Unavailable =>
            new SendOutcome(SendStatus.RetryLater, Ordered(sent), e.Message, e.HttpStatus, e.RetryAfter),
        MastodonFailure.Unknown => new SendOutcome(SendStatus.Unknown, Ordered(sent), e.Message, e.HttpStatus),
        // The instance's own words: the log explains a 401/403 and says to connect the channel again (NetworkFailures).
        MastodonFailure.TokenRefused => new SendOutcome(SendStatus.Failed, Ordered(sent), e.Message, e.HttpStatus),
        _ => new SendOutcome(SendStatus.Failed, Ordered(sent), e.Message, e.HttpStatus),
    };

    private static List<SentPart> Ordered(List<SentPart> sent) => [.. sent.OrderBy(p => p.Index)];

    /// <summary>
    /// The instance's address from what a member typed ("mastodon.social" or "https://mastodon.social/@lumen"): its
    /// root, https only — the access token goes with every request, so it must never cross a network in clear —
    /// except on this computer (localhost, 127.0.0.1), where tests and local servers run without a certificate.
    /// </summary>
    internal static (Uri? Instance, Problem? Problem) ParseInstanceUrl(string? typed)
    {
        var text = typed?.Trim();
        if (string.IsNullOrEmpty(text))
            return (null, new Problem(Fields.InstanceUrl, "Enter the address of the Mastodon instance, for example https://mastodon.social."));
        if (!text.Contains("://", StringComparison.Ordinal)) text = "https://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || !string.IsNullOrEmpty(uri.UserInfo)
            || uri.Scheme is not ("http" or "https"))
            return (null, new Problem(Fields.InstanceUrl, "“{0}” is not the address of a Mastodon instance, such as https://mastodon.social.", typed!.Trim()));
        if (uri.Scheme == "http" && !IsThisComputer(uri))
            return (null, new Problem(Fields.InstanceUrl,
                "The instance address must start with https://: the access token goes with every request and must not travel unencrypted (http:// is accepted only for localhost and 127.0.0.1)."));
        return (new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"), null);
    }

    private static bool IsThisComputer(Uri uri) =>
        uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase);

    private async Task<MastodonInstance?> InstanceOrNullAsync(Uri instance, CancellationToken ct)
    {
        try
        {
            return await client.InstanceAsync(instance, ct);
        }
        catch (MastodonException e) when (e.Failure is MastodonFailure.NotFound)
        {
            return null; // before Mastodon 4.0 there is no /api/v2/instance: the network's usual limits apply
        }
    }

    internal static NetworkLimits Limits(MastodonInstance? server)
    {
        var network = SocialNetworks.Find(NetworkKind)!;
        var statuses = server?.Configuration?.Statuses;
        var media = server?.Configuration?.MediaAttachments;
        return new NetworkLimits(
            statuses?.MaxCharacters ?? network.MaxLength!.Value,
            statuses?.CharactersReservedPerUrl ?? network.UrlLength,
            statuses?.MaxMediaAttachments ?? 4,
            media?.ImageSizeLimit,
            media?.SupportedMimeTypes?.Where(t => t.StartsWith("image/", StringComparison.Ordinal)).ToList());
    }

    private static Problem ConnectProblem(MastodonException e, Uri instance) => e.Failure switch
    {
        MastodonFailure.TokenRefused => new Problem(Fields.AccessToken,
            "The instance {0} refused this access token: check that it was copied whole and has not been revoked.", instance.Authority),
        MastodonFailure.Unavailable or MastodonFailure.Unknown or MastodonFailure.RateLimited => new Problem(Fields.InstanceUrl,
            "The instance {0} cannot be reached: check its address, or try again later.", instance.Authority),
        _ => new Problem(Fields.InstanceUrl, "{0} did not answer as a Mastodon instance: check its address.", instance.Authority),
    };

    /// <summary>A status's HTML content as text: paragraphs and line breaks kept, tags dropped, entities decoded.</summary>
    internal static string HtmlToText(string? html) => Core.Text.HtmlText.ToPlainText(html);

    /// <summary>
    /// Text compared the way Mastodon renders it back: Unicode NFC, a mention "@lumen@piaille.fr" as "@lumen"
    /// (Mastodon shows local parts), runs of whitespace as one space, no edges.
    /// </summary>
    internal static string NormalizeText(string text)
    {
        var normalized = text.Normalize(NormalizationForm.FormC);
        normalized = MentionDomain().Replace(normalized, "$1");
        return Whitespace().Replace(normalized, " ").Trim();
    }

    [GeneratedRegex(@"(?<![\w@])(@\w+)@[\w.-]+\w")]
    private static partial Regex MentionDomain();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
