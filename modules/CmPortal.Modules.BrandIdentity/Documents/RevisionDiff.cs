namespace CmPortal.Modules.BrandIdentity.Documents;

/// <summary>The parts of the editorial line and the graphic charter, in the order the editors show them.</summary>
internal enum DocumentSection { Mission, Tone, Pillars, Audiences, Networks, Vocabulary, Hashtags, Palette, Typography, Logos, ImageFormats }

/// <summary>
/// A field a revision can change. The history page translates each one to a label such as
/// "Share of the {0} pillar" (Admin/HistoryWording), the subject (pillar, colour, network…) filling the blank.
/// </summary>
internal enum ChangedField
{
    Mission, ValueShare,
    ToneDescriptors, ToneDo, ToneDont,
    Pillar, PillarName, PillarShare, PillarKind, PillarDescription,
    Persona, PersonaName, PersonaAges, PersonaNetworks, PersonaNeeds,
    Guideline, GuidelinePurpose, GuidelineTone, GuidelinePostsPerWeek, GuidelineMaxLength, GuidelineMaxHashtags, GuidelineMaxEmoji, GuidelineSignature, GuidelineHashtagRules, GuidelineProfileUrl,
    PreferredTerm, PreferredReplaces, BannedTerm, BannedReason,
    SignatureHashtags,
    Colour, ColourName, ColourHex, ColourRole,
    HeadingFamily, HeadingFallback, BodyFamily, BodyFallback,
    Logo, LogoFile,
    ImageFormat, ImageFormatName, ImageFormatRatio, ImageFormatSize,
}

/// <summary>A value as the history shows it: the view formats each kind for the reader's culture.</summary>
internal abstract record ChangeValue;
internal sealed record TextValue(string Text) : ChangeValue;
internal sealed record PercentValue(int Percent) : ChangeValue;
internal sealed record NumberValue(decimal Number) : ChangeValue;
internal sealed record CharactersValue(int Count) : ChangeValue;
internal sealed record YesNoValue(bool Yes) : ChangeValue;
internal sealed record ColourValue(string Hex) : ChangeValue;
internal sealed record ColourRoleValue(ColourRole Role) : ChangeValue;
internal sealed record PillarKindValue(PillarKind Kind) : ChangeValue;
internal sealed record AgesValue(int? From, int? To) : ChangeValue;
internal sealed record SizeValue(int Width, int Height) : ChangeValue;
internal sealed record NetworkValue(string Id) : ChangeValue;

internal enum ChangeKind { Changed, Added, Removed }

/// <summary>
/// One change between two revisions: a field set from <see cref="Before"/> to <see cref="After"/> (either null when
/// the field was empty), a whole item added or removed (its summary in <see cref="After"/> or <see cref="Before"/>),
/// or a list whose items were <see cref="AddedItems"/> and <see cref="RemovedItems"/>.
/// </summary>
internal sealed record FieldChange(
    DocumentSection Section, ChangedField Field, string? Subject, ChangeKind Kind,
    ChangeValue? Before = null, ChangeValue? After = null,
    IReadOnlyList<ChangeValue>? AddedItems = null, IReadOnlyList<ChangeValue>? RemovedItems = null)
{
    public bool IsList => AddedItems is not null || RemovedItems is not null;
}

/// <summary>
/// What changed between two versions of a document, field by field, in words a brand team reads: items of a list
/// (pillars, personas, colours…) are matched by their name, not their position, so reordering is no change and
/// a renamed item shows as a rename. Stored revisions hold whole documents, so this works for every past revision.
/// </summary>
internal static class RevisionDiff
{
    public static List<FieldChange> Between(EditorialLine before, EditorialLine after)
    {
        var changes = new List<FieldChange>();
        Text(changes, DocumentSection.Mission, ChangedField.Mission, null, before.Mission, after.Mission);
        if (before.ValueShare != after.ValueShare)
            changes.Add(new(DocumentSection.Mission, ChangedField.ValueShare, null, ChangeKind.Changed, new PercentValue(before.ValueShare), new PercentValue(after.ValueShare)));

        Words(changes, DocumentSection.Tone, ChangedField.ToneDescriptors, null, before.Tone.Descriptors, after.Tone.Descriptors);
        Words(changes, DocumentSection.Tone, ChangedField.ToneDo, null, before.Tone.Do, after.Tone.Do);
        Words(changes, DocumentSection.Tone, ChangedField.ToneDont, null, before.Tone.Dont, after.Tone.Dont);

        foreach (var (b, a) in Pair(before.Pillars, after.Pillars, p => p.Name))
        {
            if (Whole(changes, DocumentSection.Pillars, ChangedField.Pillar, b, a, p => p.Name, p => new PercentValue(p.Share))) continue;
            var name = a!.Name;
            Text(changes, DocumentSection.Pillars, ChangedField.PillarName, b!.Name, b.Name, a.Name);
            if (b.Share != a.Share) changes.Add(new(DocumentSection.Pillars, ChangedField.PillarShare, name, ChangeKind.Changed, new PercentValue(b.Share), new PercentValue(a.Share)));
            if (b.Kind != a.Kind) changes.Add(new(DocumentSection.Pillars, ChangedField.PillarKind, name, ChangeKind.Changed, new PillarKindValue(b.Kind), new PillarKindValue(a.Kind)));
            Text(changes, DocumentSection.Pillars, ChangedField.PillarDescription, name, b.Description, a.Description);
        }

        foreach (var (b, a) in Pair(before.Personas, after.Personas, p => p.Name))
        {
            if (Whole(changes, DocumentSection.Audiences, ChangedField.Persona, b, a, p => p.Name, p => new AgesValue(p.AgeMin, p.AgeMax))) continue;
            var name = a!.Name;
            Text(changes, DocumentSection.Audiences, ChangedField.PersonaName, b!.Name, b.Name, a.Name);
            if (b.AgeMin != a.AgeMin || b.AgeMax != a.AgeMax)
                changes.Add(new(DocumentSection.Audiences, ChangedField.PersonaAges, name, ChangeKind.Changed, Ages(b), Ages(a)));
            Items(changes, DocumentSection.Audiences, ChangedField.PersonaNetworks, name, b.Networks, a.Networks, id => new NetworkValue(id));
            Text(changes, DocumentSection.Audiences, ChangedField.PersonaNeeds, name, b.Needs, a.Needs);
        }

        foreach (var (b, a) in Pair(before.Networks, after.Networks, n => n.Network, renames: false))
        {
            if (Whole(changes, DocumentSection.Networks, ChangedField.Guideline, b, a, n => n.Network, null)) continue;
            var network = a!.Network;
            Text(changes, DocumentSection.Networks, ChangedField.GuidelinePurpose, network, b!.Purpose, a.Purpose);
            Text(changes, DocumentSection.Networks, ChangedField.GuidelineTone, network, b.Tone, a.Tone);
            Optional(changes, DocumentSection.Networks, ChangedField.GuidelinePostsPerWeek, network, b.PostsPerWeek, a.PostsPerWeek, n => new NumberValue(n));
            Optional(changes, DocumentSection.Networks, ChangedField.GuidelineMaxLength, network, b.MaxLength, a.MaxLength, n => new CharactersValue(n));
            Optional(changes, DocumentSection.Networks, ChangedField.GuidelineMaxHashtags, network, b.MaxHashtags, a.MaxHashtags, n => new NumberValue(n));
            Optional(changes, DocumentSection.Networks, ChangedField.GuidelineMaxEmoji, network, b.MaxEmoji, a.MaxEmoji, n => new NumberValue(n));
            if (b.RequireSignatureHashtag != a.RequireSignatureHashtag)
                changes.Add(new(DocumentSection.Networks, ChangedField.GuidelineSignature, network, ChangeKind.Changed, new YesNoValue(b.RequireSignatureHashtag), new YesNoValue(a.RequireSignatureHashtag)));
            Text(changes, DocumentSection.Networks, ChangedField.GuidelineHashtagRules, network, b.HashtagRules, a.HashtagRules);
            Text(changes, DocumentSection.Networks, ChangedField.GuidelineProfileUrl, network, b.ProfileUrl, a.ProfileUrl);
        }

        foreach (var (b, a) in Pair(before.Vocabulary.Preferred, after.Vocabulary.Preferred, t => t.Term, renames: false))
        {
            if (Whole(changes, DocumentSection.Vocabulary, ChangedField.PreferredTerm, b, a, t => t.Term, t => new TextValue(string.Join(", ", t.Replaces)))) continue;
            Words(changes, DocumentSection.Vocabulary, ChangedField.PreferredReplaces, a!.Term, b!.Replaces, a.Replaces);
        }
        foreach (var (b, a) in Pair(before.Vocabulary.Banned, after.Vocabulary.Banned, t => t.Term, renames: false))
        {
            if (Whole(changes, DocumentSection.Vocabulary, ChangedField.BannedTerm, b, a, t => t.Term, t => string.IsNullOrWhiteSpace(t.Reason) ? null : new TextValue(t.Reason))) continue;
            Text(changes, DocumentSection.Vocabulary, ChangedField.BannedReason, a!.Term, b!.Reason, a.Reason);
        }

        Words(changes, DocumentSection.Hashtags, ChangedField.SignatureHashtags, null, before.SignatureHashtags, after.SignatureHashtags);
        return changes;
    }

    public static List<FieldChange> Between(GraphicCharter before, GraphicCharter after)
    {
        var changes = new List<FieldChange>();
        // A colour with a role (primary, background…) is that role's colour whatever its name; others go by name.
        foreach (var (b, a) in Pair(before.Palette, after.Palette, c => c.Role == ColourRole.Other ? "name:" + c.Name : "role:" + c.Role))
        {
            if (Whole(changes, DocumentSection.Palette, ChangedField.Colour, b, a, c => c.Name, c => new ColourValue(c.Hex))) continue;
            var name = a!.Name;
            Text(changes, DocumentSection.Palette, ChangedField.ColourName, b!.Name, b.Name, a.Name);
            if (b.Hex != a.Hex) changes.Add(new(DocumentSection.Palette, ChangedField.ColourHex, name, ChangeKind.Changed, new ColourValue(b.Hex), new ColourValue(a.Hex)));
            if (b.Role != a.Role) changes.Add(new(DocumentSection.Palette, ChangedField.ColourRole, name, ChangeKind.Changed, new ColourRoleValue(b.Role), new ColourRoleValue(a.Role)));
        }

        Text(changes, DocumentSection.Typography, ChangedField.HeadingFamily, null, before.Typography.Heading.Family, after.Typography.Heading.Family);
        Text(changes, DocumentSection.Typography, ChangedField.HeadingFallback, null, before.Typography.Heading.Fallback, after.Typography.Heading.Fallback);
        Text(changes, DocumentSection.Typography, ChangedField.BodyFamily, null, before.Typography.Body.Family, after.Typography.Body.Family);
        Text(changes, DocumentSection.Typography, ChangedField.BodyFallback, null, before.Typography.Body.Fallback, after.Typography.Body.Fallback);

        foreach (var (b, a) in Pair(before.Logos, after.Logos, l => l.Name, renames: false))
        {
            if (Whole(changes, DocumentSection.Logos, ChangedField.Logo, b, a, l => l.Name, Size)) continue;
            if (b!.Sha256 != a!.Sha256) changes.Add(new(DocumentSection.Logos, ChangedField.LogoFile, a.Name, ChangeKind.Changed, Size(b), Size(a)));
        }

        foreach (var (b, a) in Pair(before.ImageFormats, after.ImageFormats, f => f.Network + "/" + f.Name))
        {
            if (Whole(changes, DocumentSection.ImageFormats, ChangedField.ImageFormat, b, a, f => f.Name, f => new TextValue(f.AspectRatio))) continue;
            var name = a!.Name;
            Text(changes, DocumentSection.ImageFormats, ChangedField.ImageFormatName, b!.Name, b.Name, a.Name);
            Text(changes, DocumentSection.ImageFormats, ChangedField.ImageFormatRatio, name, b.AspectRatio, a.AspectRatio);
            if (b.MinWidth != a.MinWidth || b.MinHeight != a.MinHeight)
                changes.Add(new(DocumentSection.ImageFormats, ChangedField.ImageFormatSize, name, ChangeKind.Changed, new SizeValue(b.MinWidth, b.MinHeight), new SizeValue(a.MinWidth, a.MinHeight)));
        }
        return changes;
    }

    private static AgesValue? Ages(Persona p) => p.AgeMin is null && p.AgeMax is null ? null : new AgesValue(p.AgeMin, p.AgeMax);

    private static ChangeValue? Size(LogoFile l) => l.Width is { } w && l.Height is { } h ? new SizeValue(w, h) : null;

    private static void Text(List<FieldChange> changes, DocumentSection section, ChangedField field, string? subject, string? before, string? after)
    {
        before = string.IsNullOrWhiteSpace(before) ? null : before.Trim();
        after = string.IsNullOrWhiteSpace(after) ? null : after.Trim();
        if (before == after) return;
        changes.Add(new(section, field, subject, ChangeKind.Changed, before is null ? null : new TextValue(before), after is null ? null : new TextValue(after)));
    }

    private static void Optional<T>(List<FieldChange> changes, DocumentSection section, ChangedField field, string subject, T? before, T? after, Func<T, ChangeValue> value)
        where T : struct
    {
        if (Nullable.Equals(before, after)) return;
        changes.Add(new(section, field, subject, ChangeKind.Changed, before is { } b ? value(b) : null, after is { } a ? value(a) : null));
    }

    private static void Words(List<FieldChange> changes, DocumentSection section, ChangedField field, string? subject, List<string> before, List<string> after) =>
        Items(changes, section, field, subject, before, after, w => new TextValue(w));

    /// <summary>A list of words or ids: which were added and which removed (a new order alone is no change).</summary>
    private static void Items(List<FieldChange> changes, DocumentSection section, ChangedField field, string? subject, List<string> before, List<string> after, Func<string, ChangeValue> value)
    {
        var added = after.Where(w => !before.Contains(w, StringComparer.Ordinal)).Distinct().Select(value).ToList();
        var removed = before.Where(w => !after.Contains(w, StringComparer.Ordinal)).Distinct().Select(value).ToList();
        if (added.Count + removed.Count > 0) changes.Add(new(section, field, subject, ChangeKind.Changed, AddedItems: added, RemovedItems: removed));
    }

    /// <summary>Records an item added or removed as a whole; true when the pair is such a one (nothing more to compare).</summary>
    private static bool Whole<T>(List<FieldChange> changes, DocumentSection section, ChangedField field, T? before, T? after, Func<T, string> name, Func<T, ChangeValue?>? summary)
        where T : class
    {
        if (before is null) changes.Add(new(section, field, name(after!), ChangeKind.Added, After: summary?.Invoke(after!)));
        else if (after is null) changes.Add(new(section, field, name(before), ChangeKind.Removed, Before: summary?.Invoke(before)));
        else return false;
        return true;
    }

    /// <summary>
    /// The items of two lists paired by key, in the new list's order then the removed ones. With
    /// <paramref name="renames"/>, an item that lost its key and one that gained a new key at the same position
    /// are the same item renamed.
    /// </summary>
    private static List<(T? Before, T? After)> Pair<T>(List<T> before, List<T> after, Func<T, string> key, bool renames = true) where T : class
    {
        static string Norm(string k) => k.Trim().ToLowerInvariant();
        var unmatchedBefore = before.Where(b => !after.Any(a => Norm(key(a)) == Norm(key(b)))).ToList();
        var pairs = new List<(T?, T?)>();
        for (var i = 0; i < after.Count; i++)
        {
            var a = after[i];
            var b = before.FirstOrDefault(x => Norm(key(x)) == Norm(key(a)));
            if (b is null && renames && i < before.Count && unmatchedBefore.Contains(before[i]))
            {
                b = before[i];
                unmatchedBefore.Remove(b);
            }
            pairs.Add((b, a));
        }
        pairs.AddRange(unmatchedBefore.Select(b => ((T?)b, (T?)null)));
        return pairs;
    }
}
