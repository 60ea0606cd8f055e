using System.Globalization;
using System.Text.Json.Nodes;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Modules.Publishing.Networks.Bluesky;

/// <summary>
/// Bluesky channels: an account on a PDS (bsky.social by default) reached with a handle and an app password.
/// <list type="bullet">
/// <item>Connecting logs in once (<c>createSession</c>); the session (JWTs, DID, PDS URL) and the app password are the
/// channel's encrypted secret. Later calls refresh the session and log in again only if the refresh token is refused.</item>
/// <item>Exactly once: a delivery's key is a TID chosen once; part <c>i</c> of a thread is written at the TID <c>i</c>
/// microseconds later (<see cref="Tid.ForPart"/>). After a 500 or no answer to <c>createRecord</c> the record is read at
/// its key: there, it is published (the PDS answers 500 to a second write at a taken key); absent, it is retried.</item>
/// <item>Posts: ≤ 300 graphemes, facets for links, mentions (handle → DID) and hashtags in UTF-8 byte offsets,
/// <c>langs</c>, up to 4 images with alt text through <c>uploadBlob</c>, threads through <c>reply</c> {root, parent}.</item>
/// </list>
/// </summary>
internal sealed class BlueskyNetwork(
    IHttpClientFactory httpClients, BlueskySessions sessions, TimeProvider time, ILogger<BlueskyNetwork> logger) : IChannelNetwork
{
    public const string NetworkKind = "bluesky";
    public const string DefaultPdsUrl = "https://bsky.social";
    public const int MaxImages = 4;

    /// <summary>The lexicon's limit for an image blob of <c>app.bsky.embed.images</c>.</summary>
    public const long MaxImageBytes = 2_000_000;

    /// <summary>What a member fills in to connect a channel (the form's and the API's names).</summary>
    public static class Fields
    {
        public const string Handle = "handle";
        public const string AppPassword = "appPassword";
        public const string PdsUrl = "pdsUrl";
    }

    public string Kind => NetworkKind;

    /// <summary>The network, its HttpClient "bluesky" (30 s, no automatic retry, no header values in logs) and its sessions.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddScoped<IChannelNetwork, BlueskyNetwork>();
        services.AddSingleton<BlueskySessions>();
        services.AddHttpClient(BlueskyClient.HttpClientName, http => http.Timeout = RequestTimeout).RedactLoggedHeaders(_ => true);
    }

    /// <summary>How long one XRPC call may take; past it the call counts as unanswered (see <see cref="SendAsync"/>).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public async Task<ConnectOutcome> ConnectAsync(ConnectRequest request, CancellationToken ct)
    {
        var handle = Field(request, Fields.Handle).TrimStart('@').ToLowerInvariant();
        var appPassword = Field(request, Fields.AppPassword);
        var pdsUrl = Field(request, Fields.PdsUrl) is { Length: > 0 } given ? given.TrimEnd('/') : DefaultPdsUrl;

        var problems = new List<Problem>();
        if (handle.Length == 0)
            problems.Add(new Problem(Fields.Handle, "Enter the account's handle, such as maison-lumen.bsky.social."));
        else if (!RichText.IsHandle(handle) && !handle.StartsWith("did:", StringComparison.Ordinal))
            problems.Add(new Problem(Fields.Handle, "\"{0}\" is not a Bluesky handle: it looks like maison-lumen.bsky.social.", handle));
        if (appPassword.Length == 0)
            problems.Add(new Problem(Fields.AppPassword, "Enter an app password created in Bluesky's settings (Privacy and security, App passwords)."));
        if (!Uri.TryCreate(pdsUrl, UriKind.Absolute, out var pds) || pds.Scheme is not ("https" or "http") || pds.Query.Length > 0)
            problems.Add(new Problem(Fields.PdsUrl, "The server address must be an http(s) address, such as https://bsky.social."));
        if (problems.Count > 0) return new ConnectOutcome(problems);

        BlueskySession session;
        try
        {
            session = await BlueskyClient.CreateSessionAsync(Http(), pdsUrl, handle, appPassword, ct);
        }
        catch (XrpcException e)
        {
            logger.LogInformation("Bluesky at {PdsUrl} refused to log in {Handle}: {Status} {Error}.", pdsUrl, handle, e.Status, e.Error);
            return ConnectOutcome.Refused(e switch
            {
                { Error: "AuthFactorTokenRequired" } => new Problem(Fields.AppPassword,
                    "This account asks for a code sent by e-mail to log in: use an app password, which does not."),
                { Error: "AccountTakedown" } => new Problem(Fields.Handle, "Bluesky has suspended this account."),
                { Status: 429 } => new Problem(null, "Bluesky limits how often an account logs in: try again in {0} {0|minute|minutes}.",
                    (int)Math.Ceiling((e.RetryAfter ?? TimeSpan.FromMinutes(5)).TotalMinutes)),
                { Status: 400 or 401 } => new Problem(Fields.AppPassword,
                    "Bluesky refused this handle and app password. Check the handle, and use an app password created in Bluesky's settings."),
                _ => new Problem(Fields.PdsUrl, "The Bluesky server at {0} answered with an error ({1}).", pdsUrl, e.Status),
            });
        }
        catch (Exception e) when (IsNoAnswer(e, ct))
        {
            logger.LogInformation("Bluesky at {PdsUrl} did not answer: {Reason}.", pdsUrl, e.Message);
            return ConnectOutcome.Refused(new Problem(Fields.PdsUrl, "The Bluesky server at {0} did not answer.", pdsUrl));
        }

        return new ConnectOutcome([],
            AccountName: "@" + session.Handle,
            AccountUrl: "https://bsky.app/profile/" + session.Handle,
            Settings: new Dictionary<string, string>
            {
                [Fields.Handle] = session.Handle, ["did"] = session.Did, [Fields.PdsUrl] = session.PdsUrl,
            },
            Secret: session.ToSecret(),
            Limits: new NetworkLimits(RichText.MaxGraphemes, MaxMediaAttachments: MaxImages, ImageSizeLimit: MaxImageBytes,
                SupportedMimeTypes: ["image/jpeg", "image/png", "image/webp", "image/gif"]));
    }

    public string NewDeliveryKey(DateTime utcNow) => Tid.New(utcNow);

    public async Task<SendOutcome> SendAsync(SendRequest request, CancellationToken ct)
    {
        var sent = request.SentParts.OrderBy(p => p.Index).ToList();
        if (BlueskySession.FromSecret(request.Channel.Secret) is not { } stored)
            return Failed(sent, new Problem(null, "This Bluesky channel has no session: connect it again."));
        if (!Tid.IsValid(request.DeliveryKey))
            return Failed(sent, new Problem(null, "This delivery's key is not a Bluesky record key (TID)."));
        if (request.Parts.Count == 0)
            return Failed(sent, new Problem(null, "This delivery has nothing to send."));

        // Everything Bluesky would refuse is refused before the first part goes out, so a thread is never left half sent.
        var texts = request.Parts.Select(TextOf).ToList();
        for (var i = 0; i < request.Parts.Count; i++)
        {
            if (sent.Any(p => p.Index == i)) continue;
            if (Check(request.Parts[i], texts[i], i) is { } problem) return Failed(sent, problem);
        }

        var client = new BlueskyClient(Http(), sessions, request.Channel, stored);
        var mentions = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            for (var i = 0; i < request.Parts.Count; i++)
            {
                if (sent.Any(p => p.Index == i)) continue;
                var rkey = Tid.ForPart(request.DeliveryKey, i);
                var record = await RecordAsync(client, request, texts[i], i, sent, mentions, ct);
                RecordRef written;
                try
                {
                    written = await client.CreateRecordAsync(BlueskyClient.PostCollection, rkey, record, ct);
                }
                catch (Exception e) when (IsLostAnswer(e, ct))
                {
                    // A 500 may be the PDS refusing a second write at this key, and no answer may hide a write that went
                    // through: the record at the key tells.
                    logger.LogWarning("Bluesky createRecord of delivery {DeliveryId} part {Part} ended without an answer ({Reason}); reading the record at its key.",
                        request.DeliveryId, i + 1, Reason(e));
                    StoredRecord? found;
                    try
                    {
                        found = await client.GetRecordAsync(BlueskyClient.PostCollection, rkey, ct);
                    }
                    catch (Exception again) when (again is XrpcException || IsNoAnswer(again, ct))
                    {
                        return new SendOutcome(SendStatus.Unknown, sent, "Bluesky did not answer: " + Reason(again), (again as XrpcException)?.Status);
                    }
                    if (found is null)
                        return new SendOutcome(SendStatus.RetryLater, sent, "Bluesky did not publish the post: " + Reason(e), (e as XrpcException)?.Status);
                    written = found.Ref;
                }
                sent.Add(PartOf(i, written, client.Session));
            }
            return SendOutcome.Published(sent);
        }
        catch (BlueskyLoginRefusedException e)
        {
            return Failed(sent, new Problem(null, "Bluesky refused the channel's session and its app password: connect the channel again."), e.Refusal.Status);
        }
        catch (XrpcException e) when (e.IsTransient)
        {
            return new SendOutcome(SendStatus.RetryLater, sent, Reason(e), e.Status, e.RetryAfter);
        }
        catch (XrpcException e)
        {
            return new SendOutcome(SendStatus.Failed, sent, Reason(e), e.Status);
        }
        catch (Exception e) when (IsNoAnswer(e, ct))
        {
            // Before createRecord (uploadBlob, resolveHandle, refreshSession): nothing was published.
            return new SendOutcome(SendStatus.RetryLater, sent, "Bluesky did not answer: " + Reason(e));
        }
    }

    public async Task<ReconcileOutcome> ReconcileAsync(SendRequest request, CancellationToken ct)
    {
        var sent = request.SentParts.OrderBy(p => p.Index).ToList();
        if (BlueskySession.FromSecret(request.Channel.Secret) is not { } stored || !Tid.IsValid(request.DeliveryKey))
            return ReconcileOutcome.CannotAsk(sent, new Problem(null, "This Bluesky channel has no session: connect it again."));
        var client = new BlueskyClient(Http(), sessions, request.Channel, stored);
        try
        {
            for (var i = 0; i < request.Parts.Count; i++)
            {
                if (sent.Any(p => p.Index == i)) continue;
                var found = await client.GetRecordAsync(BlueskyClient.PostCollection, Tid.ForPart(request.DeliveryKey, i), ct);
                // Parts go out in order: a missing part means the following ones were not sent either.
                if (found is null) return new ReconcileOutcome(ReconcileStatus.NotFound, sent);
                sent.Add(PartOf(i, found.Ref, client.Session));
            }
            return new ReconcileOutcome(ReconcileStatus.Found, sent);
        }
        catch (Exception e) when (e is XrpcException || IsNoAnswer(e, ct))
        {
            return new ReconcileOutcome(ReconcileStatus.CannotTell, sent, Reason(e));
        }
    }

    /// <summary>The text that goes out: the part's text, and its link on its own line when the text does not already hold it.</summary>
    internal static string TextOf(DeliveryPart part)
    {
        var text = part.Text.Trim();
        if (string.IsNullOrWhiteSpace(part.Link) || text.Contains(part.Link, StringComparison.Ordinal)) return text;
        return text.Length == 0 ? part.Link : text + "\n\n" + part.Link;
    }

    private static Problem? Check(DeliveryPart part, string text, int index)
    {
        var graphemes = RichText.Graphemes(text);
        if (graphemes > RichText.MaxGraphemes)
            return new Problem(null, "Part {0} has {1} characters: Bluesky allows 300 per post.", index + 1, graphemes);
        if (RichText.Utf8Length(text) > RichText.MaxBytes)
            return new Problem(null, "Part {0} is longer than the 3,000 bytes Bluesky allows per post.", index + 1);
        if (text.Length == 0 && part.Media.Count == 0)
            return new Problem(null, "Part {0} has neither text nor image.", index + 1);
        if (part.Media.Count > MaxImages)
            return new Problem(null, "Part {0} has {1} images: Bluesky takes 4 per post.", index + 1, part.Media.Count);
        foreach (var media in part.Media)
        {
            if (!media.ContentType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
                return new Problem(null, "{0} is not an image: Bluesky posts carry images only.", media.FileName);
            if (media.Length > MaxImageBytes)
                return new Problem(null, "The image {0} is larger than the 2 MB Bluesky accepts.", media.FileName);
        }
        return null;
    }

    /// <summary>The <c>app.bsky.feed.post</c> record of one part (uploads its images and resolves its mentions).</summary>
    private async Task<JsonObject> RecordAsync(BlueskyClient client, SendRequest request, string text, int index,
        IReadOnlyList<SentPart> sent, Dictionary<string, string?> mentions, CancellationToken ct)
    {
        var record = new JsonObject
        {
            ["$type"] = BlueskyClient.PostCollection,
            ["text"] = text,
            ["createdAt"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        };
        if (await FacetsAsync(client, text, mentions, ct) is { Count: > 0 } facets) record["facets"] = facets;
        if (request.Language.Trim() is { Length: > 0 } language) record["langs"] = new JsonArray(language);

        var part = request.Parts[index];
        if (part.Media.Count > 0)
        {
            var images = new JsonArray();
            foreach (var media in part.Media)
            {
                var bytes = await media.ReadAsync(ct);
                var blob = await client.UploadBlobAsync(bytes, media.ContentType, ct);
                images.Add(new JsonObject { ["alt"] = media.AltText ?? "", ["image"] = blob });
            }
            record["embed"] = new JsonObject { ["$type"] = "app.bsky.embed.images", ["images"] = images };
        }

        if (index > 0)
        {
            // A thread: each part replies to the one before; all point at the first as their root.
            var root = await StrongRefAsync(client, sent.First(p => p.Index == 0), ct);
            var parent = await StrongRefAsync(client, sent.First(p => p.Index == index - 1), ct);
            record["reply"] = new JsonObject { ["root"] = root, ["parent"] = parent };
        }
        else if (request.Options.TryGetValue(ReplyTarget.Id, out var answered) && !string.IsNullOrWhiteSpace(answered))
            record["reply"] = await ReplyRefsAsync(client, answered.Trim(), ct);
        return record;
    }

    private static async Task<JsonArray> FacetsAsync(BlueskyClient client, string text, Dictionary<string, string?> mentions, CancellationToken ct)
    {
        var facets = new JsonArray();
        foreach (var found in RichText.Detect(text))
        {
            JsonObject feature;
            switch (found.Kind)
            {
                case RichText.FacetKind.Link:
                    feature = new JsonObject { ["$type"] = "app.bsky.richtext.facet#link", ["uri"] = found.Value };
                    break;
                case RichText.FacetKind.Tag:
                    feature = new JsonObject { ["$type"] = "app.bsky.richtext.facet#tag", ["tag"] = found.Value };
                    break;
                default:
                    if (!mentions.TryGetValue(found.Value, out var did))
                        mentions[found.Value] = did = await client.ResolveHandleAsync(found.Value, ct);
                    if (did is null) continue; // no account has this handle: left as plain text
                    feature = new JsonObject { ["$type"] = "app.bsky.richtext.facet#mention", ["did"] = did };
                    break;
            }
            facets.Add(new JsonObject
            {
                ["index"] = new JsonObject { ["byteStart"] = found.ByteStart, ["byteEnd"] = found.ByteEnd },
                ["features"] = new JsonArray(feature),
            });
        }
        return facets;
    }

    /// <summary>
    /// The <c>reply</c> of a reply from the inbox: the post answered as parent (uri and cid, read with
    /// <c>app.bsky.feed.getPosts</c>) and the root of its thread — its own reply's root, or itself when it starts one.
    /// </summary>
    private static async Task<JsonObject> ReplyRefsAsync(BlueskyClient client, string uri, CancellationToken ct)
    {
        var post = await client.GetPostAsync(uri, ct)
                   ?? throw new XrpcException(400, "NotFound", "The post to answer is no longer on Bluesky.", null);
        var parent = new JsonObject { ["uri"] = post["uri"]!.GetValue<string>(), ["cid"] = post["cid"]!.GetValue<string>() };
        var root = post["record"]?["reply"]?["root"] is JsonObject r && r["uri"] is JsonValue && r["cid"] is JsonValue
            ? new JsonObject { ["uri"] = r["uri"]!.GetValue<string>(), ["cid"] = r["cid"]!.GetValue<string>() }
            : parent.DeepClone().AsObject();
        return new JsonObject { ["root"] = root, ["parent"] = parent };
    }

    /// <summary>A <c>com.atproto.repo.strongRef</c> to a part already sent (its CID read back if the log lacks it).</summary>
    private static async Task<JsonObject> StrongRefAsync(BlueskyClient client, SentPart part, CancellationToken ct)
    {
        var cid = part.Reference;
        if (string.IsNullOrEmpty(cid))
        {
            var rkey = part.RemoteId[(part.RemoteId.LastIndexOf('/') + 1)..];
            cid = (await client.GetRecordAsync(BlueskyClient.PostCollection, rkey, ct))?.Ref.Cid
                  ?? throw new XrpcException(400, "RecordNotFound", "The post this part replies to is no longer on Bluesky.", null);
        }
        return new JsonObject { ["uri"] = part.RemoteId, ["cid"] = cid };
    }

    private static SentPart PartOf(int index, RecordRef record, BlueskySession session) =>
        new(index, record.Uri, PublicUrl(session.Handle, record.RecordKey), record.Cid);

    /// <summary>The post's page on the Bluesky app.</summary>
    public static string PublicUrl(string handle, string rkey) => $"https://bsky.app/profile/{handle}/post/{rkey}";

    private HttpClient Http() => httpClients.CreateClient(BlueskyClient.HttpClientName);

    private static string Field(ConnectRequest request, string name) =>
        request.Fields.TryGetValue(name, out var value) ? value.Trim() : "";

    /// <summary>Without a status the refusal is the portal's own (checked before the PDS was asked), shown in the reader's words.</summary>
    private static SendOutcome Failed(IReadOnlyList<SentPart> sent, Problem problem, int? status = null) =>
        status is null ? SendOutcome.Refused(sent, problem) : new(SendStatus.Failed, sent, problem.ToString(), status);

    /// <summary>The request may have reached the PDS and been written: a 5xx, a timeout or a dropped connection (not a 429).</summary>
    private static bool IsLostAnswer(Exception e, CancellationToken ct) =>
        e is XrpcException { Status: >= 500 } || IsNoAnswer(e, ct);

    private static bool IsNoAnswer(Exception e, CancellationToken ct) =>
        e is HttpRequestException or IOException || (e is TaskCanceledException && !ct.IsCancellationRequested);

    /// <summary>The network's own words for the log: the XRPC error and message, or what happened to the connection.</summary>
    private static string Reason(Exception e) => e switch
    {
        XrpcException x => string.IsNullOrEmpty(x.XrpcMessage) ? $"{x.Status} {x.Error}" : $"{x.Status} {x.Error}: {x.XrpcMessage}",
        TaskCanceledException => "no answer in time",
        // Not the HTTP stack's own English ("Connection refused (host:443)", "The SSL connection could not be established…"):
        // what happened, in the words the log explains (NetworkFailures).
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError } => "the server cannot be reached",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "the secure connection (TLS) could not be established",
        HttpRequestException or IOException => "the connection was lost",
        _ => e.Message,
    };
}
