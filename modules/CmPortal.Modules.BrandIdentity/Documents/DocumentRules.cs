using System.Globalization;
using System.Text.RegularExpressions;
using CmPortal.Core.Networks;
using CmPortal.Core.Validation;
using CmPortal.Modules.BrandIdentity.Fonts;
using CmPortal.Modules.BrandIdentity.Style;

namespace CmPortal.Modules.BrandIdentity.Documents;

/// <summary>What makes an editorial line valid; shared by the editor and the recipe step. Fields are JSON paths.</summary>
internal static partial class EditorialLineRules
{
    [GeneratedRegex(@"^#[\p{L}\p{N}_]{1,100}$")]
    private static partial Regex HashtagPattern();

    public static List<Problem> Check(EditorialLine line)
    {
        var errors = new List<Problem>();
        void Length(string field, string? value, int max, bool required = false)
        {
            if (required && string.IsNullOrWhiteSpace(value)) errors.Add(new Problem(field, "This field is required."));
            else if (value is { } v && v.Length > max) errors.Add(new Problem(field, "At most {0} characters ({1} given). Shorten it.", max, v.Length));
        }
        void Items(string field, List<string> items, int maxItems, int maxLength)
        {
            if (items.Count > maxItems) errors.Add(new Problem(field, "At most {0} entries ({1} given).", maxItems, items.Count));
            for (var i = 0; i < items.Count; i++) Length($"{field}[{i}]", items[i], maxLength, required: true);
        }
        void Duplicates(string field, IEnumerable<string> names)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var i = 0;
            foreach (var name in names)
            {
                if (!string.IsNullOrWhiteSpace(name) && !seen.Add(name.Trim()))
                    errors.Add(new Problem($"{field}[{i}]", "\"{0}\" is listed twice. Keep one.", name));
                i++;
            }
        }

        Length("mission", line.Mission, 2000);
        Items("tone.descriptors", line.Tone.Descriptors, 12, 40);
        Items("tone.do", line.Tone.Do, 20, 300);
        Items("tone.dont", line.Tone.Dont, 20, 300);
        if (line.ValueShare is < 0 or > 100) errors.Add(new Problem("valueShare", "The value share is a percentage from 0 to 100 ({0} given).", line.ValueShare));

        for (var i = 0; i < line.Pillars.Count; i++)
        {
            var pillar = line.Pillars[i];
            Length($"pillars[{i}].name", pillar.Name, 60, required: true);
            Length($"pillars[{i}].description", pillar.Description, 500);
            if (pillar.Share is < 0 or > 100) errors.Add(new Problem($"pillars[{i}].share", "A share is a percentage from 0 to 100 ({0} given).", pillar.Share));
        }
        Duplicates("pillars", line.Pillars.Select(p => p.Name));
        if (line.Pillars.Count > 0 && line.Pillars.Sum(p => p.Share) is var total && total != 100)
            errors.Add(new Problem("pillars", "The pillars' shares add up to {0} %; they must add up to 100 %.", total));

        for (var i = 0; i < line.Personas.Count; i++)
        {
            var persona = line.Personas[i];
            Length($"personas[{i}].name", persona.Name, 60, required: true);
            Length($"personas[{i}].needs", persona.Needs, 1000);
            if (persona.AgeMin is < 13 or > 120 || persona.AgeMax is < 13 or > 120)
                errors.Add(new Problem($"personas[{i}].ageMin", "Ages go from 13 to 120."));
            else if (persona.AgeMin > persona.AgeMax)
                errors.Add(new Problem($"personas[{i}].ageMax", "The maximum age ({0}) is below the minimum ({1}).", persona.AgeMax, persona.AgeMin));
            for (var n = 0; n < persona.Networks.Count; n++)
                if (SocialNetworks.Find(persona.Networks[n]) is null)
                    errors.Add(new Problem($"personas[{i}].networks[{n}]", "\"{0}\" is not a network. Use one of: {1}.", persona.Networks[n], SocialNetworks.Ids));
        }
        Duplicates("personas", line.Personas.Select(p => p.Name));

        for (var i = 0; i < line.Networks.Count; i++)
        {
            var guideline = line.Networks[i];
            var network = SocialNetworks.Find(guideline.Network);
            if (network is null)
            {
                errors.Add(new Problem($"networks[{i}].network", "\"{0}\" is not a network. Use one of: {1}.", guideline.Network, SocialNetworks.Ids));
                continue;
            }
            Length($"networks[{i}].purpose", guideline.Purpose, 500);
            Length($"networks[{i}].tone", guideline.Tone, 500);
            Length($"networks[{i}].hashtagRules", guideline.HashtagRules, 500);
            if (guideline.ProfileUrl is { } profile && !IsProfileUrl(profile))
                errors.Add(new Problem($"networks[{i}].profileUrl", "\"{0}\" is not the address of a profile. Write the full address, starting with https://, e.g. https://mastodon.social/@lumen.", profile));
            if (guideline.PostsPerWeek is < 0 or > 100)
                errors.Add(new Problem($"networks[{i}].postsPerWeek", "Posts per week go from 0 to 100."));
            if (guideline.MaxLength is { } max && (max < 1 || max > (network.MaxLength ?? 1_000_000)))
                errors.Add(new Problem($"networks[{i}].maxLength", "{0} allows at most {1} characters: give a maximum length from 1 to {1}.", network.Name, network.MaxLength ?? 1_000_000));
            if (guideline.MaxHashtags is { } tags && (tags < 0 || tags > (network.MaxHashtags ?? 100)))
                errors.Add(new Problem($"networks[{i}].maxHashtags", "{0} allows at most {1} hashtags: give a number from 0 to {1}.", network.Name, network.MaxHashtags ?? 100));
            if (guideline.MaxEmoji is < 0 or > 100)
                errors.Add(new Problem($"networks[{i}].maxEmoji", "Give a maximum number of emoji from 0 to 100."));
        }
        Duplicates("networks", line.Networks.Select(n => n.Network));

        for (var i = 0; i < line.Vocabulary.Preferred.Count; i++)
        {
            var term = line.Vocabulary.Preferred[i];
            Length($"vocabulary.preferred[{i}].term", term.Term, 60, required: true);
            if (term.Replaces.Count == 0)
                errors.Add(new Problem($"vocabulary.preferred[{i}].replaces", "Say which words \"{0}\" replaces.", term.Term));
            Items($"vocabulary.preferred[{i}].replaces", term.Replaces, 20, 60);
        }
        for (var i = 0; i < line.Vocabulary.Banned.Count; i++)
        {
            var term = line.Vocabulary.Banned[i];
            Length($"vocabulary.banned[{i}].term", term.Term, 60, required: true);
            Length($"vocabulary.banned[{i}].reason", term.Reason, 200);
            if (line.Vocabulary.Preferred.Any(p => string.Equals(p.Term, term.Term, StringComparison.OrdinalIgnoreCase)))
                errors.Add(new Problem($"vocabulary.banned[{i}].term", "\"{0}\" is both a preferred and a banned term. Keep it in one list.", term.Term));
        }
        Duplicates("vocabulary.banned", line.Vocabulary.Banned.Select(b => b.Term));

        if (line.SignatureHashtags.Count > 10) errors.Add(new Problem("signatureHashtags", "At most {0} entries ({1} given).", 10, line.SignatureHashtags.Count));
        for (var i = 0; i < line.SignatureHashtags.Count; i++)
            if (!HashtagPattern().IsMatch(line.SignatureHashtags[i]))
                errors.Add(new Problem($"signatureHashtags[{i}]", "\"{0}\" is not a hashtag. Write it with its #, letters, digits and _ only, e.g. #MaisonLumen.", line.SignatureHashtags[i]));
        Duplicates("signatureHashtags", line.SignatureHashtags);
        return errors;
    }

    /// <summary>Advice, not errors: e.g. the value pillars do not add up to the value share the team aims for.</summary>
    /// <summary>The public site links to it: an absolute https address of at most 300 characters, nothing else.</summary>
    public static bool IsProfileUrl(string url) =>
        url.Length <= 300 && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host) && uri.UserInfo.Length == 0;

    public static IEnumerable<Problem> Advice(EditorialLine line)
    {
        if (line.Pillars.Count > 0 && line.Pillars.Where(p => p.Kind == PillarKind.Value).Sum(p => p.Share) is var value && value != line.ValueShare)
            yield return new Problem("pillars", "The value pillars make {0} % of posts, but the team aims for {1} % of value posts. Adjust the shares or the target.", value, line.ValueShare);
    }

    /// <summary>Trims text and drops blank entries, so what is stored is what is meant.</summary>
    public static EditorialLine Normalize(EditorialLine line)
    {
        static List<string> Clean(IEnumerable<string?> items) => items.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()).ToList();
        static string? Text(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
        line.Mission = line.Mission?.Trim() ?? "";
        line.Tone.Descriptors = Clean(line.Tone.Descriptors);
        line.Tone.Do = Clean(line.Tone.Do);
        line.Tone.Dont = Clean(line.Tone.Dont);
        foreach (var p in line.Pillars) { p.Name = p.Name?.Trim() ?? ""; p.Description = Text(p.Description); }
        // Networks in catalogue order, whoever wrote them: the editor and a recipe store the same document.
        static int Rank(string id) => SocialNetworks.All.ToList().FindIndex(n => n.Id == id) is var i and >= 0 ? i : int.MaxValue;
        foreach (var p in line.Personas) { p.Name = p.Name?.Trim() ?? ""; p.Needs = Text(p.Needs); p.Networks = Clean(p.Networks).OrderBy(Rank).ToList(); }
        line.Networks = line.Networks.OrderBy(n => Rank(n.Network)).ToList();
        foreach (var n in line.Networks) { n.Purpose = Text(n.Purpose); n.Tone = Text(n.Tone); n.HashtagRules = Text(n.HashtagRules); n.ProfileUrl = Text(n.ProfileUrl); }
        foreach (var t in line.Vocabulary.Preferred) { t.Term = t.Term?.Trim() ?? ""; t.Replaces = Clean(t.Replaces); }
        foreach (var t in line.Vocabulary.Banned) { t.Term = t.Term?.Trim() ?? ""; t.Reason = Text(t.Reason); }
        line.SignatureHashtags = Clean(line.SignatureHashtags);
        return line;
    }
}

/// <summary>What makes a graphic charter valid; shared by the editor and the recipe step. Fields are JSON paths.</summary>
internal static partial class GraphicCharterRules
{
    /// <summary>The roles the site theme needs; each at most once, and these three required once there is a palette.</summary>
    public static readonly ColourRole[] RequiredRoles = [ColourRole.Primary, ColourRole.Background, ColourRole.Text];

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex LogoName();

    [GeneratedRegex("^([1-9][0-9]{0,2}):([1-9][0-9]{0,2})$")]
    private static partial Regex AspectRatio();

    public static List<Problem> Check(GraphicCharter charter)
    {
        var errors = new List<Problem>();
        for (var i = 0; i < charter.Palette.Count; i++)
        {
            var colour = charter.Palette[i];
            if (string.IsNullOrWhiteSpace(colour.Name) || colour.Name.Length > 40)
                errors.Add(new Problem($"palette[{i}].name", "Give the colour a name of 1 to 40 characters, e.g. \"Miel\"."));
            if (Colours.Normalize(colour.Hex) is null)
                errors.Add(new Problem($"palette[{i}].hex", "\"{0}\" is not a colour. Write it as #RRGGBB, e.g. #8A3B12.", colour.Hex));
        }
        if (charter.Palette.Count > 0)
        {
            foreach (var role in Enum.GetValues<ColourRole>().Where(r => r != ColourRole.Other))
            {
                var count = charter.Palette.Count(c => c.Role == role);
                if (count > 1) errors.Add(new Problem("palette", "Several colours have the role \"{0}\". Give it to one colour only.", RoleName(role)));
                else if (count == 0 && RequiredRoles.Contains(role))
                    errors.Add(new Problem("palette", "No colour has the role \"{0}\". The site needs one colour each for primary, background and text.", RoleName(role)));
            }
        }
        foreach (var (path, choice) in new[] { ("typography.heading", charter.Typography.Heading), ("typography.body", charter.Typography.Body) })
        {
            if (choice.Font is not null && FontCatalogue.Find(choice.Font) is null)
            {
                // The one thing to fix: with a catalogue font, the family and a fallback follow from it.
                errors.Add(new Problem($"{path}.font", "\"{0}\" is not a font of the catalogue. Use one of: {1}.", choice.Font, FontCatalogue.Ids));
                continue;
            }
            errors.AddIfNotNull(FontStacks.CheckFamily($"{path}.family", choice.Family));
            errors.AddIfNotNull(FontStacks.CheckFallback($"{path}.fallback", choice.Fallback));
        }
        for (var i = 0; i < charter.Fonts.Count; i++)
        {
            var font = charter.Fonts[i];
            if (FontStacks.CheckFamily($"fonts[{i}].family", font.Family) is { } wrongName) errors.Add(wrongName);
            else if (FontCatalogue.ForFamily(font.Family) is { } shipped)
                errors.Add(new Problem($"fonts[{i}].family", "\"{0}\" is a font of the catalogue: choose it in the list instead of adding its file.", shipped.Family));
            if (!FontFiles.Weights.Contains(font.Weight))
                errors.Add(new Problem($"fonts[{i}].weight", "The weight of a font file is 400 (regular) or 700 (bold), not {0}.", font.Weight));
        }
        foreach (var twice in charter.Fonts.GroupBy(f => (f.Family, f.Weight)).Where(g => g.Count() > 1))
            errors.Add(new Problem("fonts", "Two files are given for \"{0}\" in weight {1}. Keep one.", twice.Key.Family, twice.Key.Weight));

        for (var i = 0; i < charter.Logos.Count; i++)
            if (!LogoName().IsMatch(charter.Logos[i].Name ?? "") || charter.Logos[i].Name.Length > 30)
                errors.Add(new Problem($"logos[{i}].name", "\"{0}\" is not a logo name. Use lowercase letters, digits and hyphens, e.g. \"primary\" or \"monochrome\".", charter.Logos[i].Name));
        foreach (var name in charter.Logos.GroupBy(l => l.Name).Where(g => g.Count() > 1).Select(g => g.Key))
            errors.Add(new Problem("logos", "Two logos are named \"{0}\". Give each its own name.", name));

        for (var i = 0; i < charter.ImageFormats.Count; i++)
        {
            var format = charter.ImageFormats[i];
            if (SocialNetworks.Find(format.Network) is null)
                errors.Add(new Problem($"imageFormats[{i}].network", "\"{0}\" is not a network. Use one of: {1}.", format.Network, SocialNetworks.Ids));
            if (string.IsNullOrWhiteSpace(format.Name) || format.Name.Length > 60)
                errors.Add(new Problem($"imageFormats[{i}].name", "Give the format a name of 1 to 60 characters, e.g. \"Post portrait\"."));
            if (!AspectRatio().IsMatch(format.AspectRatio ?? ""))
                errors.Add(new Problem($"imageFormats[{i}].aspectRatio", "\"{0}\" is not an aspect ratio. Write width:height, e.g. 4:5.", format.AspectRatio));
            if (format.MinWidth is < 1 or > 10000 || format.MinHeight is < 1 or > 10000)
                errors.Add(new Problem($"imageFormats[{i}].minWidth", "Minimum sizes go from 1 to 10,000 pixels."));
        }
        return errors;
    }

    public static GraphicCharter Normalize(GraphicCharter charter)
    {
        foreach (var colour in charter.Palette)
        {
            colour.Name = colour.Name?.Trim() ?? "";
            colour.Hex = Colours.Normalize(colour.Hex) ?? colour.Hex?.Trim() ?? "";
        }
        foreach (var font in new[] { charter.Typography.Heading, charter.Typography.Body })
        {
            font.Font = string.IsNullOrWhiteSpace(font.Font) ? null : font.Font.Trim();
            font.Family = font.Family?.Trim() ?? "";
            font.Fallback = string.Join(", ", (font.Fallback ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            // A catalogue font is named by its id; a family typed by hand that the catalogue ships is linked to it, so its files load.
            var shipped = font.Font is null ? FontCatalogue.ForFamily(font.Family) : FontCatalogue.Find(font.Font);
            if (shipped is null) continue;
            (font.Font, font.Family) = (shipped.Id, shipped.Family);
            if (font.Fallback.Length == 0) font.Fallback = shipped.Fallback;
        }
        foreach (var font in charter.Fonts) font.Family = font.Family?.Trim() ?? "";
        foreach (var format in charter.ImageFormats) { format.Name = format.Name?.Trim() ?? ""; format.AspectRatio = format.AspectRatio?.Trim() ?? ""; }
        return charter;
    }

    public static string RoleName(ColourRole role) => role.ToString().ToLowerInvariant();

    /// <summary>The translation key of a role's display name ("Role: Primary" is « Principale »).</summary>
    public static string RoleLabel(ColourRole role) => "Role: " + role;

    private static void AddIfNotNull(this List<Problem> errors, Problem? error)
    {
        if (error is not null) errors.Add(error);
    }
}
