using System.Globalization;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>The post editor's fields, as posted; the date and the time are apart as the browser's pickers give them.</summary>
internal sealed class PostForm
{
    public int Version { get; set; }
    public string? Text { get; set; }
    public List<string> Networks { get; set; } = [];

    /// <summary>By network id.</summary>
    public Dictionary<string, VariantForm> Variants { get; set; } = [];

    /// <summary>"yyyy-MM-dd" from a date input; empty for the backlog.</summary>
    public string? Date { get; set; }

    /// <summary>"HH:mm" from a time input.</summary>
    public string? Time { get; set; }
    public string? Recurrence { get; set; }
    public string? SkippedDates { get; set; }
    public string? Pillar { get; set; }
    public string? Campaign { get; set; }
    public string? KeyDate { get; set; }
    public string? Persona { get; set; }
    public Guid? AssigneeId { get; set; }
    public string? Labels { get; set; }
    public string? Notes { get; set; }
    public bool Evergreen { get; set; }
    public List<Guid> Media { get; set; } = [];

    /// <summary>
    /// The publishing channels the post names (set through the API), kept as they are by the editor: saving the form
    /// must not send the post to every channel instead; the live check counts with their limits.
    /// </summary>
    public List<Guid> Channels { get; set; } = [];

    /// <summary>The state a new post is created in: an idea, or a draft.</summary>
    public PostState State { get; set; } = PostState.Draft;

    public PostInput ToInput() => new()
    {
        Text = Text ?? "",
        Networks = Networks.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct().ToList(),
        Variants = Variants.Where(v => Networks.Contains(v.Key))
            .ToDictionary(v => v.Key, v => new VariantInput(v.Value.Text, v.Value.Link, v.Value.OwnMedia ? v.Value.Media : null,
                PostRules.Split(v.Value.Acknowledged?.Replace('\n', ',')), v.Value.Thread) ),
        StartsAt = string.IsNullOrWhiteSpace(Date) ? null : $"{Date.Trim()}T{(string.IsNullOrWhiteSpace(Time) ? "09:00" : Time.Trim())}",
        Recurrence = Recurrence,
        SkippedDates = PostRules.Split(SkippedDates),
        Pillar = Pillar,
        Campaign = Campaign,
        KeyDate = KeyDate,
        Persona = Persona,
        AssigneeId = AssigneeId,
        Labels = PostRules.Split(Labels),
        Notes = Notes,
        Evergreen = Evergreen,
        Media = Media,
        Channels = Channels.Distinct().ToList(),
    };

    public static PostForm From(Post post, PostInput input) => new()
    {
        Version = post.Version,
        Text = input.Text,
        Networks = input.Networks.ToList(),
        Variants = post.Variants.ToDictionary(v => v.Network, v => new VariantForm
        {
            Text = v.Text ?? post.Text, Link = v.Link, OwnMedia = v.Media is not null, Media = PostRules.SplitIds(v.Media).ToList(),
            Acknowledged = v.AcknowledgedWarnings, Thread = PostThread.Parse(v.Thread).ToList(),
        }),
        Date = input.StartsAt?[..10],
        Time = input.StartsAt is { Length: 16 } s ? s[11..] : null,
        Recurrence = input.Recurrence,
        SkippedDates = string.Join(", ", input.SkippedDates),
        Pillar = input.Pillar,
        Campaign = input.Campaign,
        KeyDate = input.KeyDate,
        Persona = input.Persona,
        AssigneeId = input.AssigneeId,
        Labels = string.Join(", ", input.Labels),
        Notes = input.Notes,
        Evergreen = input.Evergreen,
        Media = input.Media.ToList(),
        Channels = input.Channels.ToList(),
        State = post.State,
    };

    /// <summary>A new post, at <paramref name="start"/> when the calendar's empty slot was clicked.</summary>
    public static PostForm New(string? start) =>
        PostRules.ParseStart(start) is { } at
            ? new() { Date = at.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Time = at.TimeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture) }
            : new();
}

internal sealed class VariantForm
{
    public string? Text { get; set; }
    public string? Link { get; set; }
    public bool OwnMedia { get; set; }
    public List<Guid> Media { get; set; } = [];

    /// <summary>Keys of the draft-check warnings accepted, one per line.</summary>
    public string? Acknowledged { get; set; }

    /// <summary>The parts of a thread after the text, in the order the editor shows them (blank boxes are left out on save).</summary>
    public List<string> Thread { get; set; } = [];
}

/// <summary>One part of a variant's thread in the editor; <paramref name="Number"/> 0 for the script's template.</summary>
internal sealed record ThreadPartView(CmPortal.Core.Networks.SocialNetwork Network, int Number, string Text, bool Disabled, int? Limit);
