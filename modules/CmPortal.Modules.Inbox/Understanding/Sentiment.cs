namespace CmPortal.Modules.Inbox.Understanding;

/// <summary>The tone of a mention, as the inbox shows and filters it.</summary>
internal enum Sentiment { Negative, Neutral, Positive }

/// <summary>What the analyzer read in one text: the label, a score in [-1, 1] and the language it used (null when unknown).</summary>
internal sealed record SentimentReading(Sentiment Sentiment, double Score, string? Language);
