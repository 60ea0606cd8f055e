using System.Globalization;
using CmPortal.Core.Localization;
using CmPortal.Core.Networks;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Admin;

/// <summary>A revision as the history lists it: who (display name), when, and its changes grouped by section.</summary>
internal sealed record HistoryEntry(BrandRevision Revision, string Author, IReadOnlyList<IGrouping<DocumentSection, FieldChange>> Changes)
{
    public bool IsFirst => Revision.Number == 1;
    public int Count => Changes.Sum(g => g.Count());
}

/// <summary>
/// The words of the history in the reader's language: section names, field labels ("Share of the {0} pillar")
/// and values formatted for the culture (French: « 25 % », « 0,5 »). Every key is a literal, so the
/// translation test sees them all.
/// </summary>
internal sealed class HistoryWording(IStringLocalizer T)
{
    public string Author(string stored, IReadOnlyDictionary<string, string> names) =>
        stored == BrandRevision.RecipeAuthor ? T["Recipe"]
        : names.TryGetValue(stored, out var name) ? name
        // The account was deleted since: its e-mail is not shown in its place.
        : T["Former member"];

    public string Section(DocumentSection section) => section switch
    {
        DocumentSection.Mission => T["Mission"],
        DocumentSection.Tone => T["Tone of voice"],
        DocumentSection.Pillars => T["Content pillars"],
        DocumentSection.Audiences => T["Audiences"],
        DocumentSection.Networks => T["Networks"],
        DocumentSection.Vocabulary => T["Vocabulary"],
        DocumentSection.Hashtags => T["Signature hashtags"],
        DocumentSection.Palette => T["Palette"],
        DocumentSection.Typography => T["Typography"],
        DocumentSection.Logos => T["Logos"],
        DocumentSection.ImageFormats => T["Image formats per network"],
        _ => section.ToString(),
    };

    public string Label(FieldChange change)
    {
        var s = change.Field is ChangedField.Guideline or ChangedField.GuidelinePurpose or ChangedField.GuidelineTone or ChangedField.GuidelinePostsPerWeek
            or ChangedField.GuidelineMaxLength or ChangedField.GuidelineMaxHashtags or ChangedField.GuidelineMaxEmoji or ChangedField.GuidelineSignature
            or ChangedField.GuidelineHashtagRules or ChangedField.GuidelineProfileUrl
            ? Network(change.Subject ?? "") : change.Subject ?? "";
        return change.Field switch
        {
            ChangedField.Mission => T["Mission"],
            ChangedField.ValueShare => T["Target share of value posts"],
            ChangedField.ToneDescriptors => T["Tone descriptors"],
            ChangedField.ToneDo => T["We do"],
            ChangedField.ToneDont => T["We don’t"],
            ChangedField.Pillar => T["Pillar {0}", s],
            ChangedField.PillarName => T["Name of the {0} pillar", s],
            ChangedField.PillarShare => T["Share of the {0} pillar", s],
            ChangedField.PillarKind => T["Kind of the {0} pillar", s],
            ChangedField.PillarDescription => T["Description of the {0} pillar", s],
            ChangedField.Persona => T["Persona {0}", s],
            ChangedField.PersonaName => T["Name of the persona {0}", s],
            ChangedField.PersonaAges => T["Ages of {0}", s],
            ChangedField.PersonaNetworks => T["Networks of {0}", s],
            ChangedField.PersonaNeeds => T["Needs of {0}", s],
            ChangedField.Guideline => T["Guidelines for {0}", s],
            ChangedField.GuidelinePurpose => T["Purpose on {0}", s],
            ChangedField.GuidelineTone => T["Tone on {0}", s],
            ChangedField.GuidelinePostsPerWeek => T["Posts per week on {0}", s],
            ChangedField.GuidelineMaxLength => T["Maximum length on {0}", s],
            ChangedField.GuidelineMaxHashtags => T["Maximum hashtags on {0}", s],
            ChangedField.GuidelineMaxEmoji => T["Maximum emoji on {0}", s],
            ChangedField.GuidelineProfileUrl => T["The brand's profile on {0}", s],
            ChangedField.GuidelineSignature => T["Signature hashtag required on {0}", s],
            ChangedField.GuidelineHashtagRules => T["Hashtag rules on {0}", s],
            ChangedField.PreferredTerm => T["Preferred term “{0}”", s],
            ChangedField.PreferredReplaces => T["Words “{0}” replaces", s],
            ChangedField.BannedTerm => T["Banned term “{0}”", s],
            ChangedField.BannedReason => T["Why “{0}” is banned", s],
            ChangedField.SignatureHashtags => T["Signature hashtags"],
            ChangedField.Colour or ChangedField.ColourHex => T["Colour {0}", s],
            ChangedField.ColourName => T["Name of the colour {0}", s],
            ChangedField.ColourRole => T["Role of the colour {0}", s],
            ChangedField.HeadingFamily => T["Heading font"],
            ChangedField.HeadingFallback => T["Fallback fonts for headings"],
            ChangedField.BodyFamily => T["Body font"],
            ChangedField.BodyFallback => T["Fallback fonts for body text"],
            ChangedField.Logo => T["Logo {0}", s],
            ChangedField.LogoFile => T["File of the logo {0}", s],
            ChangedField.ImageFormat => T["Image format {0}", s],
            ChangedField.ImageFormatName => T["Name of the image format {0}", s],
            ChangedField.ImageFormatRatio => T["Aspect ratio of {0}", s],
            ChangedField.ImageFormatSize => T["Minimum size of {0}", s],
            _ => change.Field.ToString(),
        };
    }

    public string Kind(ChangeKind kind) => kind switch
    {
        ChangeKind.Added => T["Added"],
        ChangeKind.Removed => T["Removed"],
        _ => T["Changed"],
    };

    /// <summary>A value in words, for the reader's culture; a colour's swatch is the view's.</summary>
    public string Value(ChangeValue? value)
    {
        var culture = CultureInfo.CurrentCulture;
        return value switch
        {
            null => T["(empty)"],
            TextValue t => T["“{0}”", t.Text],
            PercentValue p => T["{0}%", p.Percent],
            NumberValue n => n.Number.ToString("0.##", culture),
            CharactersValue c => T["{0} {0|character|characters}", c.Count],
            YesNoValue y => y.Yes ? T["yes"] : T["no"],
            ColourValue c => c.Hex.ToUpperInvariant(),
            ColourRoleValue r => RoleName(r.Role),
            PillarKindValue k => k.Kind == PillarKind.Value ? T["Value"] : T["Promotion"],
            AgesValue { From: { } from, To: { } to } => T["{0}–{1} years old", from, to],
            AgesValue { From: { } from } => T["from {0} years old", from],
            AgesValue { To: { } to } => T["up to {0} years old", to],
            AgesValue => T["(empty)"],
            SizeValue s => T["{0}×{1} px", s.Width.ToString("N0", culture), s.Height.ToString("N0", culture)],
            NetworkValue n => Network(n.Id),
            _ => value.ToString() ?? "",
        };
    }

    /// <summary>A list item: a word is shown as written, not quoted.</summary>
    public string Item(ChangeValue value) => value is TextValue t ? t.Text : Value(value);

    /// <summary>"Role: Primary" is the translation key (« Principale »); in English, just "Primary".</summary>
    private string RoleName(ColourRole role) =>
        T.Declared(GraphicCharterRules.RoleLabel(role)) is { ResourceNotFound: false } translated ? translated : role.ToString();

    private string Network(string id) => id == "blog" ? T["Brand blog"] : SocialNetworks.Find(id)?.Name ?? id;
}
