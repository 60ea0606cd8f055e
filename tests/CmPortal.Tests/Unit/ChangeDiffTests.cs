using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.CommunityCharter.Data;
using CmPortal.Modules.CommunityCharter.Rendering;
using BrandChangeKind = CmPortal.Modules.BrandIdentity.Documents.ChangeKind;
using CharterChangeKind = CmPortal.Modules.CommunityCharter.Rendering.ChangeKind;

namespace CmPortal.Tests.Unit;

/// <summary>What the brand history and the charter's publish step list as changed, and what they do not.</summary>
public sealed class ChangeDiffTests
{
    private static EditorialLine Line(params (string Name, int Share)[] pillars) => new()
    {
        Pillars = pillars.Select(p => new ContentPillar { Name = p.Name, Share = p.Share }).ToList(),
        Tone = new ToneOfVoice { Descriptors = ["chaleureux", "artisanal"] },
    };

    [Fact]
    public void Reordered_pillars_are_no_change_and_a_share_change_names_its_pillar()
    {
        Assert.Empty(RevisionDiff.Between(Line(("Atelier", 60), ("Offres", 40)), Line(("Offres", 40), ("Atelier", 60))));

        var change = Assert.Single(RevisionDiff.Between(Line(("Atelier", 60), ("Offres", 40)), Line(("Offres", 40), ("atelier", 60))));
        Assert.Equal((ChangedField.PillarName, "Atelier"), (change.Field, change.Subject)); // matched regardless of case, renamed

        var shares = RevisionDiff.Between(Line(("Atelier", 60), ("Offres", 40)), Line(("Atelier", 55), ("Offres", 45)));
        Assert.Equal([(ChangedField.PillarShare, "Atelier", 60, 55), (ChangedField.PillarShare, "Offres", 40, 45)],
            shares.Select(c => (c.Field, c.Subject, ((PercentValue)c.Before!).Percent, ((PercentValue)c.After!).Percent)));
    }

    [Fact]
    public void A_networks_emoji_maximum_and_profile_address_are_changes_of_that_network()
    {
        var before = Line(("A", 100));
        before.Networks = [new NetworkGuideline { Network = "instagram", MaxEmoji = 3 }];
        var after = Line(("A", 100));
        after.Networks = [new NetworkGuideline { Network = "instagram", MaxEmoji = 2, ProfileUrl = "https://www.instagram.com/maison.lumen" }];

        var changes = RevisionDiff.Between(before, after);
        Assert.Contains(changes, c => c is { Field: ChangedField.GuidelineMaxEmoji, Subject: "instagram", Before: NumberValue { Number: 3 }, After: NumberValue { Number: 2 } });
        Assert.Contains(changes, c => c is { Field: ChangedField.GuidelineProfileUrl, Subject: "instagram", After: TextValue { Text: "https://www.instagram.com/maison.lumen" } });
    }

    [Fact]
    public void A_renamed_row_in_place_is_a_rename_and_other_rows_are_added_or_removed_whole()
    {
        var changes = RevisionDiff.Between(Line(("Atelier", 50), ("Offres", 50)), Line(("Savoir-faire", 50), ("Offres", 30), ("Coulisses", 20)));
        Assert.Contains(changes, c => c is { Field: ChangedField.PillarName, Subject: "Atelier", After: TextValue { Text: "Savoir-faire" } });
        Assert.Contains(changes, c => c is { Field: ChangedField.Pillar, Subject: "Coulisses", Kind: BrandChangeKind.Added, After: PercentValue { Percent: 20 } });
        Assert.DoesNotContain(changes, c => c.Kind == BrandChangeKind.Removed);
    }

    [Fact]
    public void Word_lists_show_the_words_added_and_removed_and_a_colour_with_a_role_is_matched_by_its_role()
    {
        var before = Line(("A", 100));
        var after = Line(("A", 100));
        after.Tone.Descriptors = ["artisanal", "lumineux"];
        var tone = Assert.Single(RevisionDiff.Between(before, after));
        Assert.Equal(["lumineux"], tone.AddedItems!.Cast<TextValue>().Select(t => t.Text));
        Assert.Equal(["chaleureux"], tone.RemovedItems!.Cast<TextValue>().Select(t => t.Text));

        var charter = new GraphicCharter { Palette = [new() { Name = "Bordeaux", Hex = "#7a2e3a", Role = ColourRole.Primary }] };
        var recoloured = new GraphicCharter { Palette = [new() { Name = "Lie-de-vin", Hex = "#6d2e1a", Role = ColourRole.Primary }] };
        Assert.Equal([ChangedField.ColourName, ChangedField.ColourHex], RevisionDiff.Between(charter, recoloured).Select(c => c.Field));
    }

    [Fact]
    public void The_word_diff_marks_only_the_words_that_changed()
    {
        var pieces = WordDiff.Between("Pas d’insultes ni de menaces.", "Pas d’insultes ni de moqueries.");
        Assert.Equal("Pas d’insultes ni de menaces.", string.Concat(pieces.Where(p => p.Kind != PieceKind.Added).Select(p => p.Text)));
        Assert.Equal("Pas d’insultes ni de moqueries.", string.Concat(pieces.Where(p => p.Kind != PieceKind.Removed).Select(p => p.Text)));
        Assert.Equal([("menaces", PieceKind.Removed), ("moqueries", PieceKind.Added)], pieces.Where(p => p.Kind != PieceKind.Same).Select(p => (p.Text, p.Kind)));
    }

    [Fact]
    public void Charter_rules_are_matched_by_id_so_a_move_is_no_change()
    {
        CharterDocument Doc(params CharterRule[] rules) => new("Charte", "Desc", "", [new CharterSection("valeurs", "Valeurs", null, rules)]);
        var v1 = Doc(new("respect", "On se respecte."), new("spam", "Pas de publicité."));
        Assert.True(CharterChanges.Between(1, v1, Doc(new("spam", "Pas de publicité."), new("respect", "On se respecte."))).IsEmpty);

        var changes = CharterChanges.Between(1, v1, Doc(new("respect", "On se respecte toujours."), new("sources", "Citez vos sources.")));
        Assert.Equal([("respect", CharterChangeKind.Changed, "1.1"), ("sources", CharterChangeKind.Added, "1.2"), ("spam", CharterChangeKind.Removed, "1.2")],
            changes.Rules.Select(r => (r.RuleId, r.Kind, r.Number)));
        Assert.Null(CharterChanges.Between(null, null, v1).Previous);
        Assert.True(CharterChanges.Between(null, null, v1).IsEmpty);

        var html = CharterMarks.Apply(CharterRenderer.Render(Doc(new("respect", "On se respecte toujours."), new("sources", "Citez vos sources."))), changes, "Nouvelle <règle>", "Règle reformulée");
        Assert.Contains("<li class=\"charter-rule charter-rule-changed\" id=\"rule-respect\"", html);
        Assert.Contains("<li class=\"charter-rule charter-rule-added\" id=\"rule-sources\"", html);
        Assert.Contains("<p class=\"charter-rule-mark\">Nouvelle &lt;règle&gt;</p>", html);
    }
}
