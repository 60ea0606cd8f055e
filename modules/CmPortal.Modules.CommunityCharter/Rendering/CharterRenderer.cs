using CmPortal.Core.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using CmPortal.Modules.CommunityCharter.Data;

namespace CmPortal.Modules.CommunityCharter.Rendering;

/// <summary>
/// The HTML a version stores: the introduction, then each section (<c>id="section-{id}"</c>) with its numbered
/// rules (<c>id="rule-{id}"</c>, the number a link to the rule's own anchor). Language-neutral, so one
/// rendering serves every culture; the page around it (title, table of contents, change log) is a Razor view.
/// </summary>
internal static class CharterRenderer
{
    public static string Render(CharterDocument document)
    {
        var html = new StringBuilder();
        if (SafeMarkdown.ToHtml(document.Introduction) is { Length: > 0 } introduction)
            html.Append("<div class=\"charter-introduction\">").Append(introduction).Append("</div>\n");
        for (var s = 0; s < document.Sections.Count; s++)
        {
            var section = document.Sections[s];
            var id = Encode(section.Id);
            html.Append($"<section class=\"charter-section\" id=\"section-{id}\" aria-labelledby=\"section-{id}-title\">\n");
            html.Append($"<h2 id=\"section-{id}-title\"><span class=\"charter-number\">{s + 1}.</span> {Encode(NoBreakSpaces.Bind(section.Title))}</h2>\n");
            if (SafeMarkdown.ToHtml(section.Introduction) is { Length: > 0 } sectionIntroduction)
                html.Append("<div class=\"charter-section-introduction\">").Append(sectionIntroduction).Append("</div>\n");
            if (section.Rules.Count > 0)
            {
                html.Append("<ol class=\"charter-rules\">\n");
                for (var r = 0; r < section.Rules.Count; r++)
                {
                    var rule = section.Rules[r];
                    var ruleId = Encode(rule.Id);
                    html.Append($"<li class=\"charter-rule\" id=\"rule-{ruleId}\" data-rule=\"{ruleId}\">")
                        .Append($"<a class=\"charter-rule-number\" href=\"#rule-{ruleId}\">{CharterDocument.Number(s, r)}</a>")
                        .Append("<div class=\"charter-rule-text\">").Append(SafeMarkdown.ToHtml(rule.Text)).Append("</div></li>\n");
                }
                html.Append("</ol>\n");
            }
            html.Append("</section>\n");
        }
        return html.ToString();
    }

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Escapes markup characters only, so French text stays readable in the stored HTML.</summary>
    private static string Encode(string text) => Encoder.Encode(text);
}
