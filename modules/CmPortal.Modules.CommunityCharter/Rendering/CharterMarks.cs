using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace CmPortal.Modules.CommunityCharter.Rendering;

/// <summary>
/// Marks the rules a version added or reworded in the HTML it stored (<see cref="CharterRenderer"/>'s shape):
/// the rule's <c>li</c> gets a class, and its text starts with a visible label ("New rule", "Reworded rule"),
/// so the mark is not colour alone. The stored HTML stays as published; marks are added when the page is built.
/// </summary>
internal static class CharterMarks
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Apply(string html, CharterChanges changes, string addedLabel, string changedLabel)
    {
        if (changes.Rules.Count == 0) return html;
        var marked = new StringBuilder(html);
        foreach (var rule in changes.Rules)
        {
            if (rule.Kind == ChangeKind.Removed) continue;
            var id = Encoder.Encode(rule.RuleId);
            var text = marked.ToString();
            var open = $"<li class=\"charter-rule\" id=\"rule-{id}\"";
            var at = text.IndexOf(open, StringComparison.Ordinal);
            if (at < 0) continue;
            const string body = "<div class=\"charter-rule-text\">";
            var bodyAt = text.IndexOf(body, at, StringComparison.Ordinal);
            if (bodyAt < 0) continue;
            var (kind, label) = rule.Kind == ChangeKind.Added ? ("added", addedLabel) : ("changed", changedLabel);
            marked.Insert(bodyAt + body.Length, $"<p class=\"charter-rule-mark\">{Encoder.Encode(label)}</p>");
            marked.Insert(at + "<li class=\"charter-rule".Length, $" charter-rule-{kind}");
        }
        return marked.ToString();
    }
}
