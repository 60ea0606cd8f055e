using System.Globalization;
using CmPortal.Core.Localization;

namespace CmPortal.Tests.Unit;

/// <summary>Counts read as French and English write them: « 1 mention », « 0 mention », « 2 mentions »; "0 mentions" in English.</summary>
public sealed class PluralTextTests
{
    private const string Template = "{0} {0|mention|mentions}, {1} {1|doublon écarté|doublons écartés}";

    [Theory]
    [InlineData("fr-FR", 0, 1, "{0} mention, {1} doublon écarté")]
    [InlineData("fr-FR", 1, 2, "{0} mention, {1} doublons écartés")]
    [InlineData("fr-FR", 12345, 1, "{0} mentions, {1} doublon écarté")]
    [InlineData("en-GB", 0, 1, "{0} mentions, {1} doublon écarté")]
    [InlineData("en-GB", 1, 3, "{0} mention, {1} doublons écartés")]
    public void Each_count_takes_its_languages_form(string culture, int first, int second, string expected) =>
        Assert.Equal(expected, PluralText.Choose(Template, [first, second], CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public void A_value_that_is_not_a_number_takes_the_plural_and_a_text_without_choices_is_left_as_it_is()
    {
        Assert.Equal("{0} mentions", PluralText.Choose("{0} {0|mention|mentions}", ["Léa, Hugo"], CultureInfo.GetCultureInfo("fr-FR")));
        Assert.Equal("{0} in all ({{1}})", PluralText.Choose("{0} in all ({{1}})", [1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_localizers_choose_before_filling_in_the_numbers()
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr-FR");
            var translations = new PortalTranslations([System.Reflection.Assembly.Load("CmPortal.Modules.Inbox")]);
            var localizer = new PortalStringLocalizerFactory(translations).Create(typeof(PluralTextTests));
            Assert.Equal("1 mention mise à jour, 2 changées entre-temps par quelqu’un d’autre.",
                localizer["{0} {0|mention|mentions} updated, {1} changed meanwhile by someone else.", 1, 2].Value);
            Assert.Equal("12 345 mentions.", localizer["{0} {0|mention|mentions}.", 12345].Value.Replace('\u202f', ' ').Replace('\u00a0', ' '));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
        }
        Assert.Equal("2 saved replies added, 1 updated.",
            new CmPortal.Core.Recipes.RecipeChange("{0} saved {0|reply|replies} added, {1} updated.", 2, 1).ToString());
    }
}
