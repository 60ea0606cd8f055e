using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Checking;

/// <summary>
/// The English messages as written in the code, for callers without a request culture (tests,
/// jobs): what <see cref="DraftRules"/> uses when it is given no localizer.
/// </summary>
internal sealed class EnglishText : IStringLocalizer
{
    public static readonly EnglishText Instance = new();

    public LocalizedString this[string name] => new(name, name, resourceNotFound: false);

    public LocalizedString this[string name, params object[] arguments] =>
        new(name, string.Format(CultureInfo.InvariantCulture, Core.Localization.PluralText.Choose(name, arguments, CultureInfo.InvariantCulture), arguments),
            resourceNotFound: false);

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) => [];
}
