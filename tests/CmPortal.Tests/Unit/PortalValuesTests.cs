using System.Globalization;
using CmPortal.Core;
using CmPortal.Core.Localization;
using CmPortal.Core.Validation;

namespace CmPortal.Tests.Unit;

/// <summary>Values inside translated texts read the reader's way: French dates in words, grouped numbers, decimal commas.</summary>
public sealed class PortalValuesTests
{
    private static readonly CultureInfo French = new("fr-FR");
    private static readonly CultureInfo English = new("en-US");

    /// <summary>The merged translation table of the engine and the host, as pages use it.</summary>
    private static readonly PortalTranslations Translations =
        new([typeof(PortalEngine).Assembly, typeof(CmPortal.Web.PortalProgram).Assembly]);

    private static string Render(Problem problem, CultureInfo culture)
    {
        var (ui, current) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = culture;
        try { return new PortalStringLocalizer(Translations).Problem(problem).Value; }
        finally { (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, current); }
    }

    [Theory]
    [InlineData(2026, 11, 30, "fr-FR", "30\u00a0novembre\u00a02026")]
    [InlineData(2027, 1, 1, "fr-FR", "1er\u00a0janvier\u00a02027")]
    [InlineData(2026, 11, 30, "en-US", "November\u00a030,\u00a02026")]
    public void Dates_are_written_in_words_without_the_weekday(int year, int month, int day, string culture, string expected) =>
        Assert.Equal(expected, PortalValues.Date(new DateOnly(year, month, day), new CultureInfo(culture)));

    [Theory]
    [InlineData(2026, 12, 7, "fr-FR", "7\u00a0décembre")]
    [InlineData(2027, 1, 1, "fr-FR", "1er\u00a0janvier")]
    [InlineData(2026, 12, 7, "en-US", "December\u00a07")]
    public void The_start_of_a_range_in_one_year_is_written_without_its_year(int year, int month, int day, string culture, string expected) =>
        Assert.Equal(expected, PortalValues.DateWithoutYear(new DateOnly(year, month, day), new CultureInfo(culture)));

    [Theory]
    [InlineData("fr-FR", "14/12/2026 08:30")]
    [InlineData("en-US", "12/14/2026 8:30 AM")]
    public void A_date_and_time_for_a_narrow_column_is_written_in_figures(string culture, string expected) =>
        Assert.Equal(expected, PortalValues.ShortDateTime(new DateTime(2026, 12, 14, 8, 30, 0), new CultureInfo(culture)));

    [Theory]
    [InlineData("fr-FR", "13/01/2027")]
    [InlineData("en-US", "1/13/2027")]
    public void A_day_for_a_narrow_column_is_written_in_figures(string culture, string expected) =>
        Assert.Equal(expected, PortalValues.ShortDate(new DateOnly(2027, 1, 13), new CultureInfo(culture)));

    [Fact]
    public void Numbers_and_percentages_follow_the_culture()
    {
        Assert.Equal("63\u202F206", PortalValues.Display(63206, French, t => t));
        Assert.Equal("63,206", PortalValues.Display(63206, English, t => t));
        Assert.Equal("2026", PortalValues.Display(2026, French, t => t)); // a year, or a four-digit count, stays whole
        Assert.Equal("0,5", PortalValues.Display(0.5, French, t => t));
        Assert.Equal("0.5", PortalValues.Display(0.5m, English, t => t));
        Assert.Equal("25\u00A0%", PortalValues.Display(ProblemValue.Percent(0.25), French, t => t));
        Assert.Equal("12,5\u00A0%", PortalValues.Display(ProblemValue.Percent(0.125), French, t => t));
        Assert.Equal("25%", PortalValues.Display(ProblemValue.Percent(0.25), English, t => t));
    }

    [Fact]
    public void A_problem_is_translated_with_its_values_shown_the_readers_way()
    {
        var refusal = new Problem(null, "{0} cannot be turned off: {1} depends on it. Turn {1} off first.",
            ProblemValue.Declared("Administration"), ProblemValue.Declared("Members"));
        Assert.Equal("Le module «\u00a0Administration\u00a0» ne peut pas être désactivé\u00a0: le module «\u00a0Membres\u00a0» en dépend. Désactivez d’abord «\u00a0Membres\u00a0».", Render(refusal, French));
        Assert.Equal("Administration cannot be turned off: Members depends on it. Turn Members off first.", Render(refusal, English));

        var name = new Problem("name", "The name contains {0} at position {1}. Write it on one line with visible characters only.", ProblemValue.Character('\n'), 12);
        Assert.StartsWith("Le nom contient U+000A (saut de ligne) à la position 12.", Render(name, French));
        Assert.StartsWith("The name contains U+000A (line feed) at position 12.", name.ToString());

        var role = new Problem(null, "Members hold the role \"{0}\". Give them another role first.", ProblemValue.Role("Brand manager"));
        Assert.StartsWith("Des membres ont le rôle «\u00a0Responsable de marque\u00a0».", Render(role, French));
    }

    [Fact]
    public void A_format_the_template_gives_still_applies_to_the_raw_value()
    {
        var shown = string.Format(French, "{0:yyyy-MM-dd} / {0}", PortalValues.ForFormat(new DateOnly(2026, 11, 30), French, t => t));
        Assert.Equal("2026-11-30 / 30\u00a0novembre\u00a02026", shown);
    }
}
