namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// A post as a form, the API, an import or a recipe gives it. Dates are wall-clock times of the workspace's zone,
/// "yyyy-MM-ddTHH:mm"; campaigns and key dates are named by their slug; networks by their catalogue id.
/// </summary>
internal sealed record PostInput
{
    public string Text { get; init; } = "";
    public IReadOnlyList<string> Networks { get; init; } = [];

    /// <summary>What a network's variant says differently from the main text, by network id; absent: it follows the main text.</summary>
    public IReadOnlyDictionary<string, VariantInput> Variants { get; init; } = new Dictionary<string, VariantInput>();

    /// <summary>Null: the post goes to the backlog.</summary>
    public string? StartsAt { get; init; }
    public string? Recurrence { get; init; }
    public IReadOnlyList<string> SkippedDates { get; init; } = [];
    public string? Pillar { get; init; }
    public string? Campaign { get; init; }
    public string? KeyDate { get; init; }
    public string? Persona { get; init; }
    public Guid? AssigneeId { get; init; }
    public IReadOnlyList<string> Labels { get; init; } = [];
    public string? Notes { get; init; }
    public bool Evergreen { get; init; }
    public IReadOnlyList<Guid> Media { get; init; } = [];

    /// <summary>The publishing channels the post goes to; empty: every active channel of its networks.</summary>
    public IReadOnlyList<Guid> Channels { get; init; } = [];

    /// <summary>The identifier a recipe gives the post; null leaves the post's slug as it is (forms never change it).</summary>
    public string? Slug { get; init; }
}

/// <param name="Text">Null while the variant follows the main text.</param>
/// <param name="Media">Null while the variant uses the main text's media.</param>
/// <param name="AcknowledgedWarnings">Keys of draft-check warnings someone read and accepted.</param>
/// <param name="Thread">For a thread: the parts that follow the variant's text (parts 2..n), in order; null or empty for a single post.</param>
internal sealed record VariantInput(
    string? Text, string? Link = null, IReadOnlyList<Guid>? Media = null, IReadOnlyList<string>? AcknowledgedWarnings = null,
    IReadOnlyList<string>? Thread = null);
