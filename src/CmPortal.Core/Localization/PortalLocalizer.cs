using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Localization;
using Microsoft.Extensions.Localization;

namespace CmPortal.Core.Localization;

/// <summary>
/// Translations keyed by the English text. Each portal assembly (engine, host, module, theme)
/// embeds its own <c>Localization/fr.json</c>; they are merged into one table at start, so
/// a module stays readable alone and shares the strings others already translated.
/// </summary>
public sealed class PortalTranslations
{
    private readonly Dictionary<string, Dictionary<string, string>> _byLanguage = new(StringComparer.OrdinalIgnoreCase);

    public PortalTranslations(IEnumerable<Assembly> assemblies)
    {
        foreach (var assembly in assemblies.Distinct())
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.Contains(".Localization.") && n.EndsWith(".json")))
        {
            var language = resource[..^5].Split('.').Last();
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var entries = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
                ?? throw new InvalidOperationException($"{resource} in {assembly.GetName().Name} is not a JSON object of strings.");
            if (!_byLanguage.TryGetValue(language, out var table)) _byLanguage[language] = table = new(StringComparer.Ordinal);
            foreach (var (key, value) in entries) table[key] = value;
        }
    }

    public string? Find(string key, CultureInfo culture) =>
        _byLanguage.TryGetValue(culture.TwoLetterISOLanguageName, out var table) && table.TryGetValue(key, out var value) ? value : null;

    public IReadOnlyDictionary<string, string> Table(string language) =>
        _byLanguage.TryGetValue(language, out var table) ? table : new Dictionary<string, string>();
}

internal sealed class PortalStringLocalizer(PortalTranslations translations) : IStringLocalizer
{
    public LocalizedString this[string name]
    {
        get
        {
            var value = translations.Find(name, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, value ?? name, resourceNotFound: value is null);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var template = this[name];
            var text = PluralText.Choose(template.Value, arguments, CultureInfo.CurrentUICulture);
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text, Shown(arguments)), template.ResourceNotFound);
        }
    }

    /// <summary>The arguments as the reader's culture writes them (dates in words, grouped numbers…): see <see cref="PortalValues"/>.</summary>
    internal object?[] Shown(object?[] arguments) =>
        arguments.Select(a => PortalValues.ForFormat(a, CultureInfo.CurrentCulture, text => this[text].Value)).ToArray();

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        translations.Table(CultureInfo.CurrentUICulture.TwoLetterISOLanguageName).Select(p => new LocalizedString(p.Key, p.Value));
}

/// <summary>
/// The views' localizer (<c>IViewLocalizer</c> goes through it): singular or plural chosen (<see cref="PluralText"/>), arguments
/// shown as in <see cref="PortalStringLocalizer"/>, then HTML-encoded by <see cref="LocalizedHtmlString"/> as usual.
/// </summary>
internal sealed class PortalHtmlLocalizer(PortalStringLocalizer localizer) : HtmlLocalizer(localizer)
{
    protected override LocalizedHtmlString ToHtmlString(LocalizedString result, object[] arguments) =>
        base.ToHtmlString(new LocalizedString(result.Name, PluralText.Choose(result.Value, arguments, CultureInfo.CurrentUICulture), result.ResourceNotFound),
            localizer.Shown(arguments)!);
}

internal sealed class PortalHtmlLocalizerFactory(PortalStringLocalizerFactory factory) : IHtmlLocalizerFactory
{
    private readonly PortalHtmlLocalizer _localizer = new(factory.Localizer);
    public IHtmlLocalizer Create(Type resourceSource) => _localizer;
    public IHtmlLocalizer Create(string baseName, string location) => _localizer;
}

internal sealed class PortalStringLocalizerFactory(PortalTranslations translations) : IStringLocalizerFactory
{
    internal PortalStringLocalizer Localizer { get; } = new(translations);
    public IStringLocalizer Create(Type resourceSource) => Localizer;
    public IStringLocalizer Create(string baseName, string location) => Localizer;
}
