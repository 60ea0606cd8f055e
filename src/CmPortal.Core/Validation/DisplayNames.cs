namespace CmPortal.Core.Validation;

/// <summary>
/// What a name shown to others may hold (a role, an invited person's name): one line of visible text
/// (<see cref="TextRules"/>), as a <see cref="Problem"/> for forms and services.
/// </summary>
public static class DisplayNames
{
    public static Problem? Check(string? name, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > maxLength)
            return new Problem(null, "A name has 1 to {0} characters.", maxLength);
        var at = TextRules.IndexOfUnsafe(name, singleLine: true);
        return at < 0 ? null
            : new Problem(null, "The name contains {0} at position {1}. Write it on one line with visible characters only.", ProblemValue.Character(name[at]), at + 1);
    }
}
