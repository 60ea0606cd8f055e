using CmPortal.Core.Localization;
using CmPortal.Core.Networks;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding.Validation;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Admin;

/// <summary>The editorial line editor. Each save that changes something is a new revision in the history.</summary>
[Route("admin/{workspace}/brand/editorial-line")]
[RequirePermission("BrandIdentity.Edit")]
internal sealed class EditorialLineController(BrandIdentityStore store, WorkspaceContext workspace, IStringLocalizer<EditorialLineController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Edit(CancellationToken ct)
    {
        var current = await store.CurrentAsync<EditorialLine>(BrandDocument.EditorialLine, ct);
        return View(EditorialLineForm.From(current.Document, current.Number));
    }

    [HttpPost("")]
    public async Task<IActionResult> Edit(EditorialLineForm form, CancellationToken ct)
    {
        var line = EditorialLineRules.Normalize(form.ToDocument());
        var errors = EditorialLineRules.Check(line);
        foreach (var error in errors)
            ModelState.AddModelError(form.FieldFor(error.Field!, line), T.Problem(error));
        if (!ModelState.IsValid) return View(form);
        try
        {
            var saved = await store.SaveAsync(BrandDocument.EditorialLine, line, User.Identity?.Name ?? "?", form.BaseRevision, ct: ct);
            TempData["Message"] = saved is null ? T["Nothing changed."].Value : T["Editorial line saved (version {0}).", saved.Number].Value;
        }
        catch (StaleRevisionException stale)
        {
            ModelState.AddModelError("", T["Someone saved version {0} of the editorial line while you were editing. Open the history to see their changes, then edit again.", stale.Current]);
            return View(form);
        }
        return Redirect($"/admin/{workspace.Required.Key}/brand/editorial-line");
    }
}

/// <summary>
/// The editor's fields: lists of short items are edited as text, one per line or comma-separated.
/// The rows are checked by <see cref="EditorialLineRules"/>, not by MVC's implicit required fields (blank rows are allowed).
/// </summary>
internal sealed class EditorialLineForm
{
    public int BaseRevision { get; set; }
    public string? Mission { get; set; }
    public string? ToneDescriptors { get; set; }
    public string? ToneDo { get; set; }
    public string? ToneDont { get; set; }
    public int ValueShare { get; set; } = 80;
    [ValidateNever] public List<ContentPillar> Pillars { get; set; } = [];
    [ValidateNever] public List<PersonaRow> Personas { get; set; } = [];
    [ValidateNever] public List<NetworkRow> Networks { get; set; } = [];

    /// <summary>Preferred terms, each with the words it replaces (comma-separated).</summary>
    [ValidateNever] public List<PreferredRow> Preferred { get; set; } = [];

    /// <summary>Banned terms, each with an optional reason.</summary>
    [ValidateNever] public List<BannedRow> Banned { get; set; } = [];
    public string? SignatureHashtags { get; set; }

    public sealed class PersonaRow
    {
        public string? Name { get; set; }
        public int? AgeMin { get; set; }
        public int? AgeMax { get; set; }
        public List<string> Networks { get; set; } = [];
        public string? Needs { get; set; }
    }

    public sealed class PreferredRow
    {
        public string? Term { get; set; }
        public string? Replaces { get; set; }
    }

    public sealed class BannedRow
    {
        public string? Term { get; set; }
        public string? Reason { get; set; }
    }

    public sealed class NetworkRow
    {
        public bool Enabled { get; set; }
        public NetworkGuideline Guideline { get; set; } = new();
    }

    public static EditorialLineForm From(EditorialLine line, int revision) => new EditorialLineForm
    {
        BaseRevision = revision,
        Mission = line.Mission,
        ToneDescriptors = string.Join(", ", line.Tone.Descriptors),
        ToneDo = string.Join('\n', line.Tone.Do),
        ToneDont = string.Join('\n', line.Tone.Dont),
        ValueShare = line.ValueShare,
        Pillars = line.Pillars,
        Personas = line.Personas.Select(p => new PersonaRow { Name = p.Name, AgeMin = p.AgeMin, AgeMax = p.AgeMax, Networks = p.Networks, Needs = p.Needs }).ToList(),
        Networks = SocialNetworks.All.Select(n => line.GuidelineFor(n.Id) is { } g
            ? new NetworkRow { Enabled = true, Guideline = g }
            : new NetworkRow { Guideline = new NetworkGuideline { Network = n.Id } }).ToList(),
        Preferred = line.Vocabulary.Preferred.Select(p => new PreferredRow { Term = p.Term, Replaces = string.Join(", ", p.Replaces) }).ToList(),
        Banned = line.Vocabulary.Banned.Select(b => new BannedRow { Term = b.Term, Reason = b.Reason }).ToList(),
        SignatureHashtags = string.Join(' ', line.SignatureHashtags),
    };

    /// <summary>A pillar row left entirely blank is ignored; one with anything typed in is checked (a name is required).</summary>
    private static bool Kept(ContentPillar p) => !string.IsNullOrWhiteSpace(p.Name) || !string.IsNullOrWhiteSpace(p.Description) || p.Share != 0;

    private static bool Kept(PreferredRow p) => !string.IsNullOrWhiteSpace(p.Term) || !string.IsNullOrWhiteSpace(p.Replaces);

    private static bool Kept(BannedRow b) => !string.IsNullOrWhiteSpace(b.Term) || !string.IsNullOrWhiteSpace(b.Reason);

    /// <summary>A persona row left entirely blank is ignored; one with anything typed in or ticked is checked.</summary>
    private static bool Kept(PersonaRow p) =>
        !string.IsNullOrWhiteSpace(p.Name) || !string.IsNullOrWhiteSpace(p.Needs) || p.AgeMin is not null || p.AgeMax is not null || p.Networks.Count > 0;

    public EditorialLine ToDocument() => new()
    {
        Mission = Mission ?? "",
        Tone = new ToneOfVoice { Descriptors = Split(ToneDescriptors, ','), Do = Split(ToneDo, '\n'), Dont = Split(ToneDont, '\n') },
        ValueShare = ValueShare,
        Pillars = Pillars.Where(Kept).ToList(),
        Personas = Personas.Where(Kept)
            .Select(p => new Persona { Name = p.Name ?? "", AgeMin = p.AgeMin, AgeMax = p.AgeMax, Networks = p.Networks, Needs = p.Needs }).ToList(),
        Networks = Networks.Where(n => n.Enabled).Select(n => n.Guideline).ToList(),
        Vocabulary = new Vocabulary
        {
            Preferred = Preferred.Where(Kept).Select(p => new PreferredTerm { Term = p.Term?.Trim() ?? "", Replaces = Split(p.Replaces, ',') }).ToList(),
            Banned = Banned.Where(Kept).Select(b => new BannedTerm { Term = b.Term?.Trim() ?? "", Reason = string.IsNullOrWhiteSpace(b.Reason) ? null : b.Reason.Trim() }).ToList(),
        },
        SignatureHashtags = Split(SignatureHashtags?.Replace(',', ' '), ' '),
    };

    /// <summary>The form field a rule's JSON path points at, so the error shows next to it.</summary>
    public string FieldFor(string path, EditorialLine line)
    {
        string Head(string p) => p.Split('.', '[')[0];
        return Head(path) switch
        {
            "mission" => nameof(Mission),
            "valueShare" => nameof(ValueShare),
            "tone" when path.StartsWith("tone.descriptors") => nameof(ToneDescriptors),
            "tone" when path.StartsWith("tone.dont") => nameof(ToneDont),
            "tone" => nameof(ToneDo),
            "vocabulary" when path.StartsWith("vocabulary.banned") => VocabularyField(FormRows.Field(path["vocabulary.".Length..], "banned", Banned, Kept)),
            "vocabulary" => VocabularyField(FormRows.Field(path["vocabulary.".Length..], "preferred", Preferred, Kept)),
            "signatureHashtags" => nameof(SignatureHashtags),
            "pillars" when path.Contains('.') => FormRows.Pascal(FormRows.Field(path, "pillars", Pillars, Kept)),
            "personas" when path.Contains('.') => FormRows.Pascal(FormRows.Field(path, "personas", Personas, Kept)),
            "networks" when Index(path) is { } i && i < line.Networks.Count =>
                $"Networks[{Networks.FindIndex(r => r.Guideline.Network == line.Networks[i].Network)}].Guideline.{FormRows.Pascal(path[(path.IndexOf('.') + 1)..])}",
            _ => "",
        };
    }

    /// <summary>"preferred[2].replaces[1]" → "Preferred[2].Replaces" (one field holds the list); "banned[3]" → "Banned[3].Term".</summary>
    private static string VocabularyField(string path)
    {
        if (!path.Contains('[')) return FormRows.Pascal(path);
        if (!path.Contains('.')) return FormRows.Pascal(path) + ".Term";
        var field = FormRows.Pascal(path);
        return field.EndsWith(']') ? field[..field.LastIndexOf('[')] : field;
    }

    private static int? Index(string path) =>
        path.IndexOf('[') is var open and >= 0 && int.TryParse(path[(open + 1)..path.IndexOf(']')], out var i) ? i : null;

    private static List<string> Split(string? text, char separator) =>
        (text ?? "").Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
}
