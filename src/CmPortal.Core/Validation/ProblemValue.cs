using System.Globalization;

namespace CmPortal.Core.Validation;

/// <summary>
/// Values of a <see cref="Problem"/> (or of any translated text) that say how they are shown: a text declared in code
/// shown translated, a role's name, a percentage, a list. Numbers and dates need no wrapper: the localizer formats
/// <c>int</c>, <c>double</c>, <c>decimal</c> and <c>DateOnly</c> for the reader's culture (<c>63 206</c>, <c>0,5</c>,
/// <c>30 novembre 2026</c>). <see cref="object.ToString"/> gives the English, for <see cref="Problem.ToString"/>.
/// </summary>
public static class ProblemValue
{
    /// <summary>An English text declared in code (a module's name): shown in the reader's language.</summary>
    public static DeclaredValue Declared(string text) => new(text);

    /// <summary>A role's name: the built-in roles are translated, a role a workspace added is shown as named.</summary>
    public static RoleValue Role(string name) => new(name);

    /// <summary>A ratio shown as a percentage: 0.25 is <c>25 %</c> in French, <c>25%</c> in English.</summary>
    public static PercentValue Percent(double ratio) => new(ratio);

    /// <summary>A character a text may not hold, as a person can look it up: <c>U+202E (right-to-left override)</c>, its name translated.</summary>
    public static CharacterValue Character(char c) => new(c);

    /// <summary>Several values shown one after the other, separated by commas, each formatted as it would be alone.</summary>
    public static ListValue List(IEnumerable<object?> items) => new(items.ToList());
}

public sealed record DeclaredValue(string Text)
{
    public override string ToString() => Text;
}

public sealed record RoleValue(string Name)
{
    public override string ToString() => Name;
}

public sealed record PercentValue(double Ratio)
{
    public override string ToString() => Localization.PortalValues.Display(this, CultureInfo.InvariantCulture, t => t);
}

public sealed record CharacterValue(char Character)
{
    public override string ToString() => TextRules.Describe(Character);
}

public sealed record ListValue(IReadOnlyList<object?> Items)
{
    public override string ToString() => string.Join(", ", Items);
}
