using CmPortal.Modules.Inbox.Understanding;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Measures the analyzer on hand-labelled brand posts (SentimentEvaluation.tsv): accuracy and macro-F1 per language.
/// Even rows are the dev half (the printed sweep over it chose the neutral band, 0.10), odd rows the test half. The floors sit below what
/// the analyzer reaches today, so a regression fails.
/// </summary>
public sealed class SentimentEvaluationTests
{
    private sealed record Labelled(string Language, Sentiment Expected, string Text, bool Dev);

    [Theory]
    [InlineData("fr", 0.61, 0.60)]
    [InlineData("en", 0.78, 0.77)]
    public void The_analyzer_reaches_its_measured_accuracy_and_macro_f1(string language, double accuracyFloor, double macroF1Floor)
    {
        var set = Load().Where(row => row.Language == language).ToList();
        Assert.True(set.Count >= 140, $"{set.Count} {language} posts");
        var (accuracy, macroF1) = Measure(set, withDeclaredLanguage: true);
        var (devAccuracy, devF1) = Measure(set.Where(r => r.Dev).ToList(), true);
        var (testAccuracy, testF1) = Measure(set.Where(r => !r.Dev).ToList(), true);
        var (detectedAccuracy, detectedF1) = Measure(set, withDeclaredLanguage: false);
        Console.WriteLine($"{language}: {set.Count} posts, accuracy {accuracy:F3}, macro-F1 {macroF1:F3} " +
                          $"(dev {devAccuracy:F3}/{devF1:F3}, test {testAccuracy:F3}/{testF1:F3}; language detected instead of declared: {detectedAccuracy:F3}/{detectedF1:F3})");
        Console.WriteLine($"{language} dev macro-F1 by neutral band: " + string.Join(", ",
            new[] { 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4 }.Select(band => $"{band:F2}→{Measure(set.Where(r => r.Dev).ToList(), true, band).MacroF1:F3}")));
        Assert.True(accuracy >= accuracyFloor, $"accuracy {accuracy:F3} < {accuracyFloor}");
        Assert.True(macroF1 >= macroF1Floor, $"macro-F1 {macroF1:F3} < {macroF1Floor}");
    }

    [Fact]
    public void The_detector_recognises_the_language_of_most_posts_and_never_swaps_them()
    {
        var detector = new LanguageDetector();
        var set = Load();
        var right = set.Count(row => detector.Detect(row.Text) == row.Language);
        var wrong = set.Count(row => detector.Detect(row.Text) is { } found && found != row.Language);
        Console.WriteLine($"language: {right}/{set.Count} recognised, {wrong} wrong, the rest unknown");
        Assert.True(right >= set.Count * 0.75, $"{right}/{set.Count}");
        Assert.True(wrong <= 3, $"{wrong} wrong");
    }

    /// <summary>With a band, the labels are recomputed from the scores: the printed sweep is how the band was chosen.</summary>
    private static (double Accuracy, double MacroF1) Measure(IReadOnlyList<Labelled> rows, bool withDeclaredLanguage, double? band = null)
    {
        var analyzer = SentimentAnalyzerTests.Analyzer;
        var predicted = rows.Select(r => analyzer.Read(r.Text, withDeclaredLanguage ? r.Language : null)).Select(reading =>
            band is not { } b ? reading.Sentiment
            : reading.Score >= b ? Sentiment.Positive : reading.Score <= -b ? Sentiment.Negative : Sentiment.Neutral).ToList();
        var accuracy = rows.Where((r, i) => predicted[i] == r.Expected).Count() / (double)rows.Count;
        var f1s = Enum.GetValues<Sentiment>().Select(label =>
        {
            var truePositive = rows.Where((r, i) => r.Expected == label && predicted[i] == label).Count();
            var predictedCount = predicted.Count(p => p == label);
            var actualCount = rows.Count(r => r.Expected == label);
            if (truePositive == 0) return 0.0;
            double precision = truePositive / (double)predictedCount, recall = truePositive / (double)actualCount;
            return 2 * precision * recall / (precision + recall);
        });
        return (accuracy, f1s.Average());
    }

    private static List<Labelled> Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CmPortal.sln"))) directory = directory.Parent;
        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("CmPortal.sln not found"),
            "tests", "CmPortal.Tests", "Inbox", "SentimentEvaluation.tsv");
        return File.ReadAllLines(path).Skip(1).Where(line => line.Length > 0).Select((line, index) =>
        {
            var parts = line.Split('\t', 3);
            return new Labelled(parts[0], Enum.Parse<Sentiment>(parts[1], ignoreCase: true), parts[2], index % 2 == 0);
        }).ToList();
    }
}
