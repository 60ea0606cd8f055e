namespace CmPortal.Modules.KeyDates.Contracts;

/// <summary>The key date occurrences of the current workspace, for other modules (the content calendar).</summary>
public interface IKeyDateCalendar
{
    /// <summary>Occurrences overlapping [from, to], yearly key dates repeated in every year of the range.</summary>
    Task<IReadOnlyList<KeyDateOccurrence>> BetweenAsync(DateOnly from, DateOnly to, CancellationToken ct = default);

    /// <summary>Every key date of the workspace at its next days (a yearly one this year while they last, whatever year it is stored with), by start then title.</summary>
    Task<IReadOnlyList<KeyDateOccurrence>> ListAsync(CancellationToken ct = default);
}

public sealed record KeyDateOccurrence(string Id, string Title, DateOnly Start, DateOnly End, string Category);
