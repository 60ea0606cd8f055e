using System.Globalization;
using CmPortal.Core;
using CmPortal.Core.Networks;
using CmPortal.Core.Validation;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Recurrence;
using NodaTime;
using NodaTime.Text;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>What the editorial line and the workspace allow a post to name, read once per save.</summary>
internal sealed record PostVocabulary(EditorialPlan Plan, IReadOnlySet<string> Campaigns, IReadOnlySet<string> KeyDates, IReadOnlySet<Guid> Members, IReadOnlySet<Guid> Media);

/// <summary>The checks of a post's fields, each failure a <see cref="Problem"/> naming its field.</summary>
internal static class PostRules
{
    public const int MaxText = 20000, MaxLabels = 10, MaxLabel = 40, MaxNotes = 4000;
    private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");
    private static readonly LocalDateTimePattern Seconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss");
    private static readonly LocalDatePattern Day = LocalDatePattern.Iso;

    /// <summary>"2027-03-22T09:30" (seconds, if any, must be 00); null when it is not such a date-time.</summary>
    public static LocalDateTime? ParseStart(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var result = Minutes.Parse(text.Trim());
        if (!result.Success) result = Seconds.Parse(text.Trim());
        return result.Success && result.Value.Second == 0 ? result.Value : null;
    }

    public static string Format(LocalDateTime start) => Minutes.Format(start);

    public static LocalDate? ParseDay(string? text) => Day.Parse(text?.Trim() ?? "") is { Success: true } r ? r.Value : null;

    public static string Format(LocalDate date) => Day.Format(date);

    public static IEnumerable<Problem> Check(PostInput input, PostVocabulary known, DateTimeZone zone)
    {
        if (string.IsNullOrWhiteSpace(input.Text)) yield return new Problem("text", "Write the post's text.");
        else if (input.Text.Length > MaxText) yield return new Problem("text", "The text is {0} characters long; the most is {1}.", input.Text.Length, MaxText);
        else if (!TextRules.IsSafeMultiLine(input.Text)) yield return Unsafe("text", input.Text);

        foreach (var network in input.Networks.Where(n => SocialNetworks.Find(n) is null))
            yield return new Problem("networks", "“{0}” is not a network the portal knows. Use one of: {1}.", network, SocialNetworks.Ids);
        foreach (var network in input.Networks.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
            yield return new Problem("networks", "The network “{0}” is given twice.", network.Key);
        foreach (var (network, variant) in input.Variants)
        {
            if (!input.Networks.Contains(network, StringComparer.Ordinal))
                yield return new Problem($"variants.{network}", "There is a variant for “{0}”, which is not among the post's networks.", network);
            if (variant.Text is { } text && text.Length > MaxText)
                yield return new Problem($"variants.{network}.text", "The text is {0} characters long; the most is {1}.", text.Length, MaxText);
            else if (variant.Text is { } unsafeText && !TextRules.IsSafeMultiLine(unsafeText)) yield return Unsafe($"variants.{network}.text", unsafeText);
            if (variant.Link is { Length: > 0 } link && !IsWebAddress(link))
                yield return new Problem($"variants.{network}.link", "The link must be a web address starting with https:// or http://, not “{0}”.", link);
            foreach (var problem in CheckThread(network, variant.Thread)) yield return problem;
            foreach (var id in (variant.Media ?? []).Where(id => !known.Media.Contains(id)))
                yield return new Problem($"variants.{network}.media", "An image of the post is not in the media library (it may have been deleted).");
        }
        foreach (var id in input.Media.Where(id => !known.Media.Contains(id)).Take(1))
            yield return new Problem("media", "An image of the post is not in the media library (it may have been deleted).");

        foreach (var problem in CheckDates(input, zone)) yield return problem;

        if (input.Pillar is { Length: > 0 } pillar && known.Plan.Pillar(pillar) is null)
            yield return known.Plan.Pillars.Count == 0
                ? new Problem("pillar", "The pillar “{0}” is not in the editorial line, which has no pillars yet.", pillar)
                : new Problem("pillar", "The pillar “{0}” is not in the editorial line. Use one of: {1}.", pillar, ProblemValue.List(known.Plan.Pillars.Select(p => p.Name)));
        if (input.Campaign is { Length: > 0 } campaign && !known.Campaigns.Contains(campaign))
            yield return new Problem("campaign", "There is no campaign “{0}” in this workspace.", campaign);
        if (input.KeyDate is { Length: > 0 } keyDate && !known.KeyDates.Contains(keyDate))
            yield return new Problem("keyDate", "There is no key date “{0}” in this workspace.", keyDate);
        if (input.Persona is { Length: > 0 } persona && !known.Plan.Personas.Any(p => string.Equals(p.Name, persona, StringComparison.OrdinalIgnoreCase)))
            yield return new Problem("persona", "The persona “{0}” is not in the editorial line.", persona);
        if (input.AssigneeId is { } assignee && !known.Members.Contains(assignee))
            yield return new Problem("assigneeId", "The post can only be assigned to a member of the workspace.");
        if (input.Labels.Count > MaxLabels) yield return new Problem("labels", "A post has at most {0} labels.", MaxLabels);
        foreach (var label in input.Labels.Where(l => l.Length > MaxLabel || l.Contains(',') || !TextRules.IsSafeSingleLine(l)))
            yield return new Problem("labels", "The label “{0}” must be at most {1} characters long, without commas.", TextRules.Visible(label), MaxLabel);
        if (input.Notes is { Length: > MaxNotes }) yield return new Problem("notes", "The notes are {0} characters long; the most is {1}.", input.Notes.Length, MaxNotes);
    }

    /// <summary>The parts after a variant's text: how many, and each as long and as safe as a text may be.</summary>
    private static IEnumerable<Problem> CheckThread(string network, IReadOnlyList<string>? thread)
    {
        var parts = PostThread.Clean(thread);
        if (parts.Count > 0 && !PostThread.Threaded(network))
            yield return new Problem($"variants.{network}.thread", "{0} has no threads: a thread can go to {1}.",
                SocialNetworks.Find(network)?.Name ?? network, ProblemValue.List(PostThread.Networks.Select(n => SocialNetworks.Find(n)!.Name)));
        if (parts.Count + 1 > PostThread.MaxParts)
            yield return new Problem($"variants.{network}.thread", "A thread has at most {0} parts; this one has {1}.", PostThread.MaxParts, parts.Count + 1);
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Length > MaxText)
                yield return new Problem($"variants.{network}.thread", "Part {0} of the thread is {1} characters long; the most is {2}.", i + 2, parts[i].Length, MaxText);
            else if (!TextRules.IsSafeMultiLine(parts[i]))
                yield return new Problem($"variants.{network}.thread", "Part {0} of the thread holds {1}, which could hide or reorder what readers see. Remove it.",
                    i + 2, ProblemValue.Character(parts[i][TextRules.IndexOfUnsafe(parts[i], singleLine: false)]));
        }
    }

    private static IEnumerable<Problem> CheckDates(PostInput input, DateTimeZone zone)
    {
        var start = ParseStart(input.StartsAt);
        if (input.StartsAt is { Length: > 0 } && start is null)
        {
            yield return new Problem("startsAt", "“{0}” is not a date and time. Write it as 2027-03-22T09:30 (the workspace's local time).", input.StartsAt);
            yield break;
        }
        if (string.IsNullOrWhiteSpace(input.Recurrence))
        {
            if (input.SkippedDates.Count > 0) yield return new Problem("skippedDates", "Only a recurring post can skip dates.");
            yield break;
        }
        if (start is null)
        {
            yield return new Problem("recurrence", "A recurring post needs a first date and time.");
            yield break;
        }
        if (!RecurrenceRule.TryParse(input.Recurrence, out var rule, out var problem))
        {
            yield return problem!;
            yield break;
        }
        var skipped = new List<LocalDate>();
        foreach (var text in input.SkippedDates)
        {
            if (ParseDay(text) is { } day) skipped.Add(day);
            else yield return new Problem("skippedDates", "“{0}” is not a date. Write it as 2027-03-29.", text);
        }
        if (rule.CheckAgainst(start.Value, zone) is { } against) yield return against;
        else if (skipped.Count > 0 && !new Occurrences(rule, start.Value, zone, skipped).Any())
            yield return new Problem("skippedDates", "Every date of the recurrence is skipped: the post would never go out.");
    }

    private static Problem Unsafe(string field, string text) =>
        new(field, "The text holds {0}, which could hide or reorder what readers see. Remove it.",
            ProblemValue.Character(text[TextRules.IndexOfUnsafe(text, singleLine: false)]));

    public static bool IsWebAddress(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0;

    public static string Join(IEnumerable<string> items) => string.Join(',', items);

    public static IReadOnlyList<string> Split(string? joined) =>
        string.IsNullOrEmpty(joined) ? [] : joined.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static IReadOnlyList<Guid> SplitIds(string? joined) =>
        Split(joined).Select(s => Guid.TryParse(s, CultureInfo.InvariantCulture, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
}
