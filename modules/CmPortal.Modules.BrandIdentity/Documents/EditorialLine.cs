namespace CmPortal.Modules.BrandIdentity.Documents;

/// <summary>
/// How the brand speaks: mission, tone, content pillars, audiences, per-network guidelines and
/// vocabulary. Stored whole as JSON in each revision; the same shape is the recipe step's.
/// </summary>
internal sealed class EditorialLine
{
    public string Mission { get; set; } = "";
    public ToneOfVoice Tone { get; set; } = new();

    /// <summary>Target share of posts that bring value (advice, inspiration, behind the scenes); the rest promote. 80/20 by default.</summary>
    public int ValueShare { get; set; } = 80;

    public List<ContentPillar> Pillars { get; set; } = [];
    public List<Persona> Personas { get; set; } = [];
    public List<NetworkGuideline> Networks { get; set; } = [];
    public Vocabulary Vocabulary { get; set; } = new();

    /// <summary>Written with their "#", e.g. "#MaisonLumen".</summary>
    public List<string> SignatureHashtags { get; set; } = [];

    public NetworkGuideline? GuidelineFor(string network) => Networks.FirstOrDefault(n => n.Network == network);
}

internal sealed class ToneOfVoice
{
    /// <summary>A few adjectives, e.g. "chaleureux", "artisanal".</summary>
    public List<string> Descriptors { get; set; } = [];
    public List<string> Do { get; set; } = [];

    /// <summary>
    /// What the brand does not do, one item each. Words quoted in an item (« … », “ … ” or "…") are flagged
    /// in drafts: "Promettre des effets bien-être (« apaise l’anxiété »)" flags "apaise l’anxiété".
    /// </summary>
    public List<string> Dont { get; set; } = [];
}

internal enum PillarKind { Value, Promotion }

internal sealed class ContentPillar
{
    public string Name { get; set; } = "";
    public string? Description { get; set; }

    /// <summary>Target share of posts, in percent; the pillars add up to 100.</summary>
    public int Share { get; set; }
    public PillarKind Kind { get; set; } = PillarKind.Value;
}

internal sealed class Persona
{
    public string Name { get; set; } = "";
    public int? AgeMin { get; set; }
    public int? AgeMax { get; set; }

    /// <summary>Network ids from the catalogue.</summary>
    public List<string> Networks { get; set; } = [];
    public string? Needs { get; set; }
}

internal sealed class NetworkGuideline
{
    /// <summary>A network id from the catalogue, e.g. "instagram".</summary>
    public string Network { get; set; } = "";
    public string? Purpose { get; set; }
    public string? Tone { get; set; }

    /// <summary>Target number of posts per week.</summary>
    public decimal? PostsPerWeek { get; set; }

    /// <summary>The brand's own limit, at most the network's.</summary>
    public int? MaxLength { get; set; }
    public int? MaxHashtags { get; set; }

    /// <summary>The brand's own maximum of emoji per post (grapheme clusters: "👍🏽" is one); null for no limit.</summary>
    public int? MaxEmoji { get; set; }
    public bool RequireSignatureHashtag { get; set; }
    public string? HashtagRules { get; set; }

    /// <summary>The brand's profile on the network (https), linked from the public site with the network's logo.</summary>
    public string? ProfileUrl { get; set; }
}

internal sealed class Vocabulary
{
    public List<PreferredTerm> Preferred { get; set; } = [];
    public List<BannedTerm> Banned { get; set; } = [];
}

/// <summary>Say <see cref="Term"/> rather than any of <see cref="Replaces"/>.</summary>
internal sealed class PreferredTerm
{
    public string Term { get; set; } = "";
    public List<string> Replaces { get; set; } = [];
}

internal sealed class BannedTerm
{
    public string Term { get; set; } = "";
    public string? Reason { get; set; }
}
