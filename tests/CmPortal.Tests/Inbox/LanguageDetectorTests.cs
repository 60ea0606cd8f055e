using CmPortal.Modules.Inbox.Understanding;

namespace CmPortal.Tests.Inbox;

/// <summary>French or English, or "don't know" rather than a guess.</summary>
public sealed class LanguageDetectorTests
{
    private readonly LanguageDetector detector = new();

    [Theory]
    [InlineData("Franchement le service client est au top, merci à toute l'équipe", "fr")]
    [InlineData("c nul le packaging on arrive pas a l'ouvrir", "fr")]
    [InlineData("J'adore ma lampe", "fr")]
    [InlineData("The customer service was great, thanks to the whole team", "en")]
    [InlineData("I don't love it", "en")]
    public void Short_and_long_posts_are_recognised(string text, string expected) => Assert.Equal(expected, detector.Detect(text));

    [Theory]
    [InlineData("Super produit")]
    [InlineData("love it")]
    [InlineData("😍😍")]
    [InlineData("")]
    public void Too_short_to_tell_is_unknown(string text) => Assert.Null(detector.Detect(text));

    [Fact]
    public void A_post_mixing_both_languages_is_unknown_and_read_with_both_lexicons()
    {
        const string mixed = "the service est horrible and the app ne marche pas";
        Assert.Null(detector.Detect(mixed));
        var reading = SentimentAnalyzerTests.Analyzer.Read(mixed, null);
        Assert.Null(reading.Language);
        Assert.Equal(Sentiment.Negative, reading.Sentiment);
    }
}
