using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>
/// The Hunspell dictionaries of the portal, one per language, opened on first use and kept for
/// the life of the process. The folder is <c>Spelling:DictionaryDirectory</c> (default
/// <c>/usr/share/hunspell</c>, where Debian's hunspell-fr and hunspell-en-us put them).
/// A missing library or dictionary makes that language unavailable — logged once, at
/// Information: drafts are still checked, without spelling.
/// </summary>
internal sealed class SpellCheckers : IDisposable
{
    public const string DirectoryKey = "Spelling:DictionaryDirectory";
    public const string DefaultDirectory = "/usr/share/hunspell";

    /// <summary>Dictionary file names tried per language, first found wins.</summary>
    private static readonly IReadOnlyDictionary<string, string[]> Candidates = new Dictionary<string, string[]>
    {
        ["fr"] = ["fr_FR", "fr"],
        ["en"] = ["en_US", "en_GB", "en"],
    };

    private readonly ConcurrentDictionary<string, Lazy<Hunspell?>> _checkers = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private bool _disposed;

    public SpellCheckers(IConfiguration configuration, ILogger<SpellCheckers>? logger = null)
        : this(configuration[DirectoryKey] is { Length: > 0 } directory ? directory : DefaultDirectory, logger)
    {
    }

    /// <summary>Dictionaries from <paramref name="directory"/> (tests point it at a folder of their own).</summary>
    internal SpellCheckers(string directory, ILogger<SpellCheckers>? logger = null)
    {
        Directory = directory;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public string Directory { get; }

    /// <summary>The dictionary language of a culture: "fr-FR" and "fr-BE" → "fr", "en-US" → "en"; null for the others.</summary>
    public static string? LanguageOf(string? culture)
    {
        if (string.IsNullOrWhiteSpace(culture)) return null;
        var language = culture.Split('-', '_')[0].Trim().ToLowerInvariant();
        return Candidates.ContainsKey(language) ? language : null;
    }

    /// <summary>The checker for a language ("fr", "en"), or null when it is unavailable. Never throws.</summary>
    public ISpellChecker? For(string? language)
    {
        if (language is null || !Candidates.ContainsKey(language) || _disposed) return null;
        return _checkers.GetOrAdd(language, l => new Lazy<Hunspell?>(() => Open(l), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private Hunspell? Open(string language)
    {
        var names = Candidates[language];
        var name = names.FirstOrDefault(n =>
            File.Exists(Path.Combine(Directory, n + ".aff")) && File.Exists(Path.Combine(Directory, n + ".dic")));
        if (name is null)
        {
            _logger.LogInformation(
                "Spelling in \"{Language}\" is unavailable: no Hunspell dictionary {Files} in {Directory}. Drafts are checked without spelling; install hunspell-{Package} or set {Key}.",
                language, string.Join(" or ", names.Select(n => n + ".aff/.dic")), Directory, language == "en" ? "en-us" : language, DirectoryKey);
            return null;
        }
        try
        {
            var checker = Hunspell.Open(language, Path.Combine(Directory, name + ".aff"), Path.Combine(Directory, name + ".dic"));
            _logger.LogDebug("Spelling in \"{Language}\" uses {Dictionary} ({Encoding}).", language, Path.Combine(Directory, name), checker.EncodingName);
            return checker;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException
                                      or FileNotFoundException or InvalidOperationException or NotSupportedException or IOException)
        {
            _logger.LogInformation(
                "Spelling in \"{Language}\" is unavailable: {Reason} Drafts are checked without spelling (Hunspell comes with libhunspell-1.7-0).",
                language, e.Message);
            return null;
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var lazy in _checkers.Values)
            if (lazy.IsValueCreated) lazy.Value?.Dispose();
    }
}
