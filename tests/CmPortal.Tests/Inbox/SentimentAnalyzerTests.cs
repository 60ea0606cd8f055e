using CmPortal.Modules.Inbox.Understanding;

namespace CmPortal.Tests.Inbox;

/// <summary>The tone a community manager sees on a mention: the turns of phrase that a word count would get wrong.</summary>
public sealed class SentimentAnalyzerTests
{
    internal static readonly SentimentAnalyzer Analyzer = new(new LanguageDetector());

    private static SentimentReading Fr(string text) => Analyzer.Read(text, "fr");
    private static SentimentReading En(string text) => Analyzer.Read(text, "en");

    [Fact]
    public void Pas_terrible_is_negative_and_pas_mal_du_tout_is_positive()
    {
        Assert.Equal(Sentiment.Negative, Fr("La nouvelle appli est pas terrible").Sentiment);
        Assert.Equal(Sentiment.Positive, Fr("Le nouveau parfum est pas mal du tout").Sentiment);
    }

    [Fact]
    public void Negation_turns_praise_into_something_that_is_not_praise()
    {
        Assert.Equal(Sentiment.Positive, En("I love it").Sentiment);
        Assert.NotEqual(Sentiment.Positive, En("I don't love it").Sentiment);
        Assert.Equal(Sentiment.Positive, Fr("Bon produit").Sentiment);
        Assert.NotEqual(Sentiment.Positive, Fr("Ce n'est pas un bon produit").Sentiment);
    }

    [Fact]
    public void An_intensifier_raises_the_score_and_an_attenuator_lowers_it()
    {
        Assert.True(En("The service is very good").Score > En("The service is good").Score);
        Assert.True(Fr("Un produit vraiment bon").Score > Fr("Un produit bon").Score);
        Assert.True(En("The service is slightly good").Score < En("The service is good").Score);
    }

    [Fact]
    public void Exclamation_marks_and_capitals_amplify()
    {
        Assert.True(En("This is good!!!").Score > En("This is good").Score);
        Assert.True(En("This is terrible!!!").Score < En("This is terrible").Score);
        Assert.True(En("This is AWFUL").Score < En("This is awful").Score);
    }

    [Fact]
    public void Emoji_only_posts_have_a_tone()
    {
        Assert.Equal(Sentiment.Positive, Analyzer.Read("😍😍", null).Sentiment);
        Assert.Equal(Sentiment.Negative, Analyzer.Read("😡😡😡", null).Sentiment);
        Assert.Equal(Sentiment.Neutral, Analyzer.Read("📦", null).Sentiment);
        Assert.Equal(Sentiment.Positive, En("arrived today :)").Sentiment);
    }

    [Fact]
    public void Praise_that_ends_on_an_upside_down_face_or_an_eye_roll_is_a_complaint()
    {
        Assert.Equal(Sentiment.Positive, Fr("Super, ma bougie est arrivée en deux jours. Quelle rapidité, vraiment impressionnant").Sentiment);
        Assert.Equal(Sentiment.Negative, Fr("Super, ma bougie est arrivée en vingt jours. Quelle rapidité, vraiment impressionnant 🙃").Sentiment);
        Assert.Equal(Sentiment.Negative, Fr("Merci pour le suspense, ça fait dix jours que j'attends ma commande 🙄").Sentiment);
        Assert.Equal(Sentiment.Negative, En("Love how my order has been 'almost shipped' for two weeks. Great job 🙃").Sentiment);
        Assert.Equal(Sentiment.Negative, En("Still broken 🙄").Sentiment); // a complaint stays one
    }

    [Fact]
    public void The_clause_after_but_weighs_more()
    {
        Assert.Equal(Sentiment.Negative, En("The lamp is nice but the delivery was awful and slow").Sentiment);
        Assert.Equal(Sentiment.Positive, Fr("Livraison lente mais le produit est excellent").Sentiment);
    }

    [Fact]
    public void Links_handles_and_plain_news_are_neutral_and_scores_stay_in_range()
    {
        var news = Fr("Maison Lumen ouvre une boutique à Lyon le 12 décembre https://example.test/love");
        Assert.Equal(Sentiment.Neutral, news.Sentiment);
        var loud = En("BEST BEST BEST AMAZING WONDERFUL LOVE LOVE 😍😍😍 !!!!!!");
        Assert.InRange(loud.Score, -1, 1);
        Assert.Equal(Sentiment.Positive, loud.Sentiment);
        Assert.Equal(Sentiment.Neutral, Analyzer.Read("", null).Sentiment);
    }

    [Fact]
    public void The_declared_language_is_used_and_otherwise_detected()
    {
        Assert.Equal("fr", Analyzer.Read("Super produit", "fr-FR").Language);
        Assert.Equal("en", Analyzer.Read("I really love the new lamp, thanks for the quick delivery", null).Language);
        Assert.Null(Analyzer.Read("Top 👍", null).Language);
    }

    [Fact]
    public void Reading_a_mention_is_cheap_enough_for_the_ingest()
    {
        string[] posts = ["Franchement le service client de Velora est au top, merci Julie !", "I don't love it, the color is off 😕",
            "Commande passée il y a 3 semaines et toujours rien. Vous vous foutez de nous ?", "Velora is opening a store in Manchester next month."];
        for (var i = 0; i < 2_000; i++) Analyzer.Read(posts[i % posts.Length], null); // warm-up
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var count = 0;
        while (clock.ElapsedMilliseconds < 1_000) { Analyzer.Read(posts[count % posts.Length], null); count++; }
        var perSecond = count / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"Sentiment with language detection: {perSecond:N0} mentions/s on one thread");
        // The ingest target is 30,000 mentions/s over all cores; one thread of a Debug build on a busy shared machine
        // is measured at 16,000 to 113,000/s, so the floor only catches an accidental slowdown by an order of magnitude.
        Assert.True(perSecond > 3_000, $"{perSecond:N0} mentions/s");
    }
}
