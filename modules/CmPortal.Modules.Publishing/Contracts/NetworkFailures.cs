using System.Globalization;
using System.Text.RegularExpressions;
using CmPortal.Core.Validation;

namespace CmPortal.Modules.Publishing.Contracts;

/// <summary>
/// Why a network did not take a post or a reply, in the community manager's words (docs/publishing.md, "What the log
/// says"; docs/inbox-answers.md, "Sending the reply"): which network, the status code it answered, what to do, and for
/// a refusal the network's own message quoted as it gave it (at most 300 characters). The outbox keeps the network
/// client's text (<see cref="SendOutcome.Message"/>); only the network's own words are taken from it — never the
/// client's English fallbacks ("The instance answered 422.") nor the HTTP stack's ("Connection refused").
/// </summary>
public static partial class NetworkFailures
{
    public const int MaxSaid = 300;

    /// <summary>What was not sent: the texts differ only in their object and their next step.</summary>
    public enum Subject { Post, Reply }

    /// <summary>A reply that failed, as the inbox shows it under the mention.</summary>
    public static Problem Explain(ReplyStatus status) =>
        Explain(Subject.Reply, status.Kind, status.ChannelName, status.HttpStatus, status.Message);

    /// <summary>
    /// A failure of <paramref name="kind"/>'s channel <paramref name="channelName"/>: <paramref name="httpStatus"/> is the
    /// status of the last attempt (null when none came), <paramref name="message"/> the text the outbox kept.
    /// </summary>
    public static Problem Explain(Subject subject, string kind, string channelName, int? httpStatus, string? message)
    {
        var network = NetworkName(kind);
        var (answer, code, said) = Classify(subject, kind, httpStatus, message);
        var post = subject == Subject.Post;
        return answer switch
        {
            Kind.NoAnswer => post
                ? new Problem(null, "{0} could not be reached or did not answer, even after several tries. Check on the channels page that “{1}” is still connected, then send the post again.", network, channelName)
                : new Problem(null, "{0} could not be reached or did not answer, even after several tries. Check on the channels page that “{1}” is still connected, then send the reply again.", network, channelName),
            Kind.AccessRefused => post
                ? new Problem(null, "{0} refused the access of the channel “{1}” (error {2}). Connect the channel again on the channels page, then send the post again.", network, channelName, code)
                : new Problem(null, "{0} refused the access of the channel “{1}” (error {2}). Connect the channel again on the channels page, then send the reply again.", network, channelName, code),
            Kind.AnsweredGone => NotFound(network, code!.Value),
            Kind.TooOften => post
                ? new Problem(null, "{0} limits how often the channel posts (error {1}). Send the post again in a few minutes.", network, code)
                : new Problem(null, "{0} limits how often the channel posts (error {1}). Send the reply again in a few minutes.", network, code),
            Kind.Trouble => post
                ? new Problem(null, "{0} is having trouble (error {1}). Send the post again later.", network, code)
                : new Problem(null, "{0} is having trouble (error {1}). Send the reply again later.", network, code),
            _ when said is not null => post
                ? new Problem(null, "{0} refused the post (error {1}). Its message: “{2}”. Change the post accordingly, then send it again.", network, code, said)
                : new Problem(null, "{0} refused the reply (error {1}). Its message: “{2}”. Change the text accordingly, then send it again.", network, code, said),
            _ => post
                ? new Problem(null, "{0} refused the post (error {1}). Change the post, then send it again.", network, code)
                : new Problem(null, "{0} refused the reply (error {1}). Change the text, then send it again.", network, code),
        };
    }

    /// <summary>
    /// What the network answered to one attempt, in the reader's words: what <see cref="Explain(Subject, string, string, int?, string?)"/>
    /// says without the next step (an attempt list shows every answer; the delivery's reason says what to do), and
    /// "did not answer" without "even after several tries" (an attempt that will be retried is one try).
    /// </summary>
    public static Problem Answer(Subject subject, string kind, string channelName, int? httpStatus, string? message)
    {
        var network = NetworkName(kind);
        var (answer, code, said) = Classify(subject, kind, httpStatus, message);
        var post = subject == Subject.Post;
        return answer switch
        {
            Kind.NoAnswer => new Problem(null, "{0} could not be reached or did not answer.", network),
            Kind.AccessRefused => new Problem(null, "{0} refused the access of the channel “{1}” (error {2}).", network, channelName, code),
            Kind.AnsweredGone => new Problem(null, "{0} no longer finds the post answered (error {1}).", network, code),
            Kind.TooOften => new Problem(null, "{0} limits how often the channel posts (error {1}).", network, code),
            Kind.Trouble => new Problem(null, "{0} is having trouble (error {1}).", network, code),
            _ when said is not null => post
                ? new Problem(null, "{0} refused the post (error {1}). Its message: “{2}”.", network, code, said)
                : new Problem(null, "{0} refused the reply (error {1}). Its message: “{2}”.", network, code, said),
            _ => post
                ? new Problem(null, "{0} refused the post (error {1}).", network, code)
                : new Problem(null, "{0} refused the reply (error {1}).", network, code),
        };
    }

    /// <summary>The kinds of answer the texts tell apart.</summary>
    private enum Kind { NoAnswer, AccessRefused, AnsweredGone, TooOften, Trouble, Refused }

    /// <summary>Which kind of answer, with its status code and the network's own words (see <see cref="Parse"/>).</summary>
    private static (Kind Kind, int? Code, string? Said) Classify(Subject subject, string kind, int? httpStatus, string? message)
    {
        var (code, error, said) = Parse(kind, httpStatus, message);
        var reply = subject == Subject.Reply;
        var answer = code switch
        {
            null or 0 => Kind.NoAnswer,
            401 or 403 => Kind.AccessRefused,
            404 when reply => Kind.AnsweredGone,
            _ when reply && error is "NotFound" or "RecordNotFound" => Kind.AnsweredGone,
            429 => Kind.TooOften,
            408 or >= 500 => Kind.Trouble,
            _ => Kind.Refused,
        };
        return (answer, code, said);
    }

    /// <summary>The network as people name it: Mastodon, Bluesky, Webhook…</summary>
    public static string NetworkName(string kind) => kind switch
    {
        "bluesky" => "Bluesky",
        "mastodon" => "Mastodon",
        _ => kind.Length > 0 ? char.ToUpperInvariant(kind[0]) + kind[1..] : kind,
    };

    private static Problem NotFound(string network, int code) =>
        new(null, "{0} no longer finds the post you are answering (error {1}): it was probably deleted. Open the mention's link to check.", network, code);

    /// <summary>
    /// The status code (the outbox's last attempt; else the one a Bluesky message starts with), Bluesky's error name,
    /// and the network's own words: Bluesky's after "400 InvalidRequest: ", Mastodon's <c>error</c> and a webhook's
    /// answer as given — never the client's own English sentences.
    /// </summary>
    private static (int? Code, string? Error, string? Said) Parse(string kind, int? httpStatus, string? text)
    {
        var message = GaveUp().Replace(text ?? "", "").Trim();
        int? code = httpStatus;
        string? error = null, said = null;
        if (Xrpc().Match(message) is { Success: true } xrpc)
        {
            code ??= int.Parse(xrpc.Groups["code"].Value, CultureInfo.InvariantCulture);
            error = xrpc.Groups["error"].Value;
            said = xrpc.Groups["said"].Success ? xrpc.Groups["said"].Value : null;
        }
        else if (kind != "bluesky" && message.Length > 0 && !ClientSentence().IsMatch(message))
            said = message;
        if (said is { Length: > MaxSaid }) said = Cut(said, MaxSaid) + "…";
        return (code, error, string.IsNullOrWhiteSpace(said) ? null : said.Trim());
    }

    /// <summary>At most <paramref name="max"/> UTF-16 units, never half of a character.</summary>
    private static string Cut(string text, int max) =>
        text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];

    [GeneratedRegex(@"^Gave up after \d+ attempts: ")]
    private static partial Regex GaveUp();

    [GeneratedRegex(@"^(?:Bluesky did not (?:answer|publish the post): )?(?<code>\d{3}) (?<error>\w+)(?:: (?<said>.+))?$", RegexOptions.Singleline)]
    private static partial Regex Xrpc();

    /// <summary>
    /// The portal's own sentences (Mastodon's and the webhook's fallbacks, the outbox's "The network refused the post."),
    /// which are not the network's words.
    /// </summary>
    [GeneratedRegex(@"^(?:The instance |The webhook |The network |No answer from the webhook|The access token was refused\.|Too many requests\.|Not found\.)")]
    private static partial Regex ClientSentence();
}
