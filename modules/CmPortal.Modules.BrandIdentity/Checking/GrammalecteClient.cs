using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CmPortal.Modules.BrandIdentity.Contracts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>
/// Asks Grammalecte (<c>POST /gc_text/fr</c>, form field <c>text</c>) about a French draft and maps its
/// grammar errors to the draft checker's findings. Unavailable — not installed, not reachable, no answer
/// within <see cref="Timeout"/>, or a broken answer — is a null answer, never an exception: the draft is
/// checked without grammar. Spelling stays Hunspell's (Grammalecte's own spelling errors are not used).
/// </summary>
internal sealed class GrammalecteClient : IDisposable
{
    /// <summary>A check takes ~30 ms; a draft typed live is checked again anyway.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Seconds to wait for an answer (default 2). The test suite gives more: many portals share its 2 cores.</summary>
    public const string TimeoutKey = "Grammalecte:TimeoutSeconds";

    private readonly GrammalecteServer _server;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private int _failing; // 1 after a failure was logged, until an answer comes again

    public GrammalecteClient(GrammalecteServer server, ILogger<GrammalecteClient>? logger = null, IConfiguration? configuration = null)
    {
        _server = server;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Timeout = configuration?[TimeoutKey] is { Length: > 0 } seconds
            ? TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))
            : DefaultTimeout;
        _http = new HttpClient { Timeout = Timeout };
    }

    public TimeSpan Timeout { get; }

    /// <summary>The grammar and typography findings of a French text, in its UTF-16 offsets; null when Grammalecte is unavailable.</summary>
    public async Task<IReadOnlyList<DraftRules.Finding>?> CheckAsync(string text, CancellationToken ct = default)
    {
        var address = await _server.AddressAsync(ct);
        if (address is null) return null;
        var sent = GrammalecteText.Of(text);
        try
        {
            using var response = await PostAsync(new Uri(address, "gc_text/fr"), sent.Text, ct);
            response.EnsureSuccessStatusCode();
            var answer = JsonSerializer.Deserialize<GrammalecteAnswer>(await response.Content.ReadAsStringAsync(ct))
                         ?? throw new JsonException("empty answer");
            if (!string.IsNullOrEmpty(answer.Error) && answer.Data is null) throw new JsonException(answer.Error);
            if (Interlocked.Exchange(ref _failing, 0) == 1)
                _logger.LogInformation("Grammalecte at {Address} answers again: French grammar is checked.", address);
            return GrammalecteText.Findings(sent, answer);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or NotSupportedException
                                      || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            if (Interlocked.Exchange(ref _failing, 1) == 0)
                _logger.LogWarning("French grammar is unavailable: Grammalecte at {Address} did not answer ({Reason}). Drafts are checked without it.",
                    address, e is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message);
            return null;
        }
    }

    /// <summary>
    /// One request at a time: grammalecte-server answers one after the other with a listen queue of five, so a burst
    /// (an editor checking every variant at once, several editors) waits here rather than being turned away; a
    /// connection it still refuses is tried once more.
    /// </summary>
    private async Task<HttpResponseMessage> PostAsync(Uri address, string text, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            try
            {
                using var content = new FormUrlEncodedContent([new("text", text)]);
                return await _http.PostAsync(address, content, ct);
            }
            catch (HttpRequestException)
            {
                await Task.Delay(RetryAfter, ct);
                using var content = new FormUrlEncodedContent([new("text", text)]);
                return await _http.PostAsync(address, content, ct);
            }
        }
        finally { _oneAtATime.Release(); }
    }

    private static readonly TimeSpan RetryAfter = TimeSpan.FromMilliseconds(200);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public void Dispose()
    {
        _http.Dispose();
        _oneAtATime.Dispose();
    }
}

/// <summary>Grammalecte's answer: one entry per paragraph with errors (paragraphs are lines, numbered from 1).</summary>
internal sealed class GrammalecteAnswer
{
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("data")] public List<GrammalecteParagraph>? Data { get; set; }
}

internal sealed class GrammalecteParagraph
{
    [JsonPropertyName("iParagraph")] public int Paragraph { get; set; }
    [JsonPropertyName("lGrammarErrors")] public List<GrammalecteError> GrammarErrors { get; set; } = [];
}

/// <summary>One grammar error; <see cref="Start"/> and <see cref="End"/> count code points from the start of its paragraph.</summary>
internal sealed class GrammalecteError
{
    [JsonPropertyName("nStart")] public int Start { get; set; }
    [JsonPropertyName("nEnd")] public int End { get; set; }
    [JsonPropertyName("sRuleId")] public string Rule { get; set; } = "";
    [JsonPropertyName("sType")] public string Type { get; set; } = "";
    [JsonPropertyName("sMessage")] public string Message { get; set; } = "";
    [JsonPropertyName("aSuggestions")] public List<string> Suggestions { get; set; } = [];
}

/// <summary>
/// A draft as sent to Grammalecte — NFC (it reads "é" written e + ◌́ as two letters otherwise), lone surrogates
/// replaced — with the way back from its (paragraph, code point) positions to the draft's UTF-16 offsets.
/// </summary>
internal sealed class GrammalecteText
{
    /// <summary>Grammalecte's error types that are typography rather than grammar.</summary>
    private static readonly HashSet<string> TypographyTypes =
        ["nbsp", "esp", "typo", "apos", "unit", "num", "virg", "tab", "maj", "poncfin", "liga", "mapos", "html", "latex", "md"];

    private readonly List<int> _start = []; // per code point of Text: where it starts in the draft
    private readonly List<int> _end = [];   // and where it ends
    private readonly List<int> _paragraphs = [0]; // code point index where each paragraph starts
    private readonly string _original;

    private GrammalecteText(string original)
    {
        _original = original;
        var sent = new StringBuilder(original.Length);
        var elements = StringInfo.GetTextElementEnumerator(original);
        while (elements.MoveNext())
        {
            var grapheme = elements.GetTextElement();
            var at = elements.ElementIndex;
            var clean = new StringBuilder(grapheme.Length);
            foreach (var rune in grapheme.EnumerateRunes()) clean.Append(rune.ToString()); // a lone surrogate becomes U+FFFD, same length
            var text = clean.ToString();
            var normalized = text.IsNormalized(NormalizationForm.FormC) ? text : text.Normalize(NormalizationForm.FormC);
            var offset = at;
            foreach (var rune in normalized.EnumerateRunes())
            {
                if (normalized == text)
                {
                    _start.Add(offset);
                    _end.Add(offset + rune.Utf16SequenceLength);
                    offset += rune.Utf16SequenceLength;
                }
                else
                {
                    // Composed: each of its code points stands for the whole grapheme.
                    _start.Add(at);
                    _end.Add(at + grapheme.Length);
                }
                sent.Append(rune.ToString());
            }
        }
        Text = sent.ToString();
        // Paragraphs as Grammalecte splits them: at CR LF, CR or LF.
        var index = 0;
        var runes = Text.EnumerateRunes().Select(r => r.Value).ToList();
        for (; index < runes.Count; index++)
        {
            if (runes[index] == '\r' && index + 1 < runes.Count && runes[index + 1] == '\n') index++;
            if (runes[index] is '\r' or '\n') _paragraphs.Add(index + 1);
        }
        CodePoints = runes.Count;
    }

    public string Text { get; }
    private int CodePoints { get; }

    public static GrammalecteText Of(string text) => new(text);

    /// <summary>The draft's UTF-16 range of a paragraph's code point range; null when it lies outside the text.</summary>
    public (int Start, int Length)? Range(int paragraph, int start, int end)
    {
        if (paragraph < 1 || paragraph > _paragraphs.Count || start < 0 || end < start) return null;
        var from = _paragraphs[paragraph - 1] + start;
        var to = _paragraphs[paragraph - 1] + end;
        if (to > CodePoints) return null;
        var utf16Start = from < CodePoints ? _start[from] : _original.Length;
        var utf16End = to == from ? utf16Start : _end[to - 1];
        return (utf16Start, utf16End - utf16Start);
    }

    /// <summary>Grammalecte's grammar errors as findings: grammar or typography, its French message, its suggestions (accent-only ones first).</summary>
    public static IReadOnlyList<DraftRules.Finding> Findings(GrammalecteText text, GrammalecteAnswer answer)
    {
        var found = new List<DraftRules.Finding>();
        foreach (var paragraph in answer.Data ?? [])
            foreach (var error in paragraph.GrammarErrors)
            {
                if (text.Range(paragraph.Paragraph, error.Start, error.End) is not var (start, length)) continue;
                var written = text._original.Substring(start, length);
                var replacements = DraftRules.AccentFirst(written, error.Suggestions.Where(s => s != written));
                found.Add(new DraftRules.Finding(
                    TypographyTypes.Contains(error.Type) ? DraftIssueKind.Typography : DraftIssueKind.Grammar,
                    start, length, error.Message.Trim(), replacements.Count == 0 ? null : string.Join(", ", replacements))
                {
                    Replacements = replacements,
                    Rule = error.Rule,
                });
            }
        return found;
    }
}
