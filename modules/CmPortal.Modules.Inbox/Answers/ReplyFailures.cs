using System.Text.RegularExpressions;
using CmPortal.Core.Validation;
using CmPortal.Modules.Publishing.Contracts;

namespace CmPortal.Modules.Inbox.Answers;

/// <summary>
/// Why a reply was not sent, in the community manager's words (docs/inbox-answers.md, "Sending the reply"), the way a
/// source's reading errors are told (docs/inbox-networks.md): which network, the status code it answered, what to do,
/// and for a refusal the network's own message quoted as it gave it (at most 300 characters). Publishing keeps the
/// network client's English text (<see cref="ReplyStatus.Message"/>); only the network's own words are taken from it.
/// </summary>
internal static partial class ReplyFailures
{
    public const int MaxSaid = 300;

    public static Problem Explain(ReplyStatus status)
    {
        var network = status.Kind == "bluesky" ? "Bluesky" : "Mastodon";
        var (code, error, said) = Parse(status);
        return code switch
        {
            null or 0 => new Problem(null, "{0} could not be reached or did not answer, even after several tries. Check on the channels page that “{1}” is still connected, then send the reply again.",
                network, status.ChannelName),
            401 or 403 => new Problem(null, "{0} refused the access of the channel “{1}” (error {2}). Connect the channel again on the channels page, then send the reply again.",
                network, status.ChannelName, code),
            404 => NotFound(network, code.Value),
            _ when error is "NotFound" or "RecordNotFound" => NotFound(network, code.Value),
            429 => new Problem(null, "{0} limits how often the channel posts (error {1}). Send the reply again in a few minutes.", network, code),
            408 or >= 500 => new Problem(null, "{0} is having trouble (error {1}). Send the reply again later.", network, code),
            _ when said is not null => new Problem(null, "{0} refused the reply (error {1}). Its message: “{2}”. Change the text accordingly, then send it again.",
                network, code, said),
            _ => new Problem(null, "{0} refused the reply (error {1}). Change the text, then send it again.", network, code),
        };
    }

    private static Problem NotFound(string network, int code) =>
        new(null, "{0} no longer finds the post you are answering (error {1}): it was probably deleted. Open the mention's link to check.", network, code);

    /// <summary>
    /// The status code (the outbox's last attempt; else the one a Bluesky message starts with), Bluesky's error name,
    /// and the network's own words: Bluesky's after "400 InvalidRequest: ", Mastodon's <c>error</c> as given — never
    /// the client's own English fallbacks ("The instance answered 422.").
    /// </summary>
    private static (int? Code, string? Error, string? Said) Parse(ReplyStatus status)
    {
        var message = GaveUp().Replace(status.Message ?? "", "").Trim();
        int? code = status.HttpStatus;
        string? error = null, said = null;
        if (Xrpc().Match(message) is { Success: true } xrpc)
        {
            code ??= int.Parse(xrpc.Groups["code"].Value, System.Globalization.CultureInfo.InvariantCulture);
            error = xrpc.Groups["error"].Value;
            said = xrpc.Groups["said"].Success ? xrpc.Groups["said"].Value : null;
        }
        else if (status.Kind != "bluesky" && message.Length > 0 && !message.StartsWith("The instance ", StringComparison.Ordinal))
            said = message;
        if (said is { Length: > MaxSaid }) said = CmPortal.Modules.Inbox.Mentions.MentionRules.Cut(said, MaxSaid) + "…";
        return (code, error, string.IsNullOrWhiteSpace(said) ? null : said.Trim());
    }

    [GeneratedRegex(@"^Gave up after \d+ attempts: ")]
    private static partial Regex GaveUp();

    [GeneratedRegex(@"^(?:Bluesky did not (?:answer|publish the post): )?(?<code>\d{3}) (?<error>\w+)(?:: (?<said>.+))?$", RegexOptions.Singleline)]
    private static partial Regex Xrpc();
}
