using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using CmPortal.Core.Networks;
using CmPortal.Core.Security;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Checking;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Admin;

/// <summary>
/// "Check a draft": type or paste a post and see it checked for every network of the editorial line at once — one
/// card per network with its count as that network counts — and against the editorial line, the dictionary and,
/// for French, Grammalecte. The page's script posts the form while the draft is typed, with the header
/// <c>X-Draft-Check: live</c>, and gets only the result back (<c>_DraftResult</c>); without script the form posts as usual.
/// </summary>
[Route("admin/{workspace}/brand/check")]
[RequirePermission("BrandIdentity.View")]
internal sealed class DraftCheckController(IDraftChecker checker, GrammalecteServer grammalecte, WorkspaceContext workspace, IStringLocalizer<DraftCheckController> T)
    : Controller
{
    /// <summary>Longest draft the screen accepts (a long blog post is well below).</summary>
    public const int MaxTextLength = 100_000;

    public const string LiveHeader = "X-Draft-Check";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        DraftChecker.Warm(grammalecte, workspace.Required.Culture);
        return View(new DraftCheckPage(new DraftCheckForm(), await checker.CheckAllAsync("", ct: ct), Checked: false));
    }

    [HttpPost("")]
    public async Task<IActionResult> Index(DraftCheckForm form, CancellationToken ct)
    {
        var live = Request.Headers[LiveHeader] == "live";
        // Browsers post a textarea's line breaks as CR LF but show and index them as LF: offsets must be the page's.
        var text = form.Text = (form.Text ?? "").Replace("\r\n", "\n");
        DraftCheckPage page;
        if (text.Length > MaxTextLength)
        {
            ModelState.AddModelError(nameof(DraftCheckForm.Text), T["The draft is too long to check: {0} characters at most.", MaxTextLength]);
            page = new DraftCheckPage(form, await checker.CheckAllAsync("", ct: ct), Checked: false);
        }
        else page = new DraftCheckPage(form, await checker.CheckAllAsync(text, ct: ct), Checked: true);
        return live ? PartialView("_DraftResult", page) : View(page);
    }
}

internal sealed class DraftCheckForm
{
    public string? Text { get; set; }
}

/// <summary>What the screen shows: the form, and the report (of an empty draft before the first check: the cards with their limits).</summary>
internal sealed record DraftCheckPage(DraftCheckForm Form, DraftReport Report, bool Checked)
{
    /// <summary>The checked text, HTML-encoded, with each issue's range in a <c>&lt;mark&gt;</c> and its number after it.</summary>
    public IHtmlContent Highlighted() => DraftHighlight.Render(Form.Text ?? "", Report.Issues);

    public static SocialNetwork Network(NetworkCheck check) => SocialNetworks.Find(check.Network)!;
}

/// <summary>
/// Writes a draft with its issues marked. Overlapping issues split the text into segments, each
/// marked with the issues that cover it; an issue of length 0 (a missing hashtag at the end) is
/// a caret. Every piece of the text is HTML-encoded: it is untrusted.
/// </summary>
internal static class DraftHighlight
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static IHtmlContent Render(string text, IReadOnlyList<DraftIssue> issues)
    {
        var html = new StringBuilder();
        var encoder = Encoder;
        var bounds = issues.SelectMany(i => new[] { i.Start, i.Start + i.Length }).Append(0).Append(text.Length)
            .Select(b => Math.Clamp(b, 0, text.Length)).Distinct().Order().ToList();

        void Carets(int at)
        {
            for (var n = 0; n < issues.Count; n++)
                if (issues[n].Length == 0 && Math.Clamp(issues[n].Start, 0, text.Length) == at)
                    html.Append($"<mark class=\"draft-mark draft-{Kebab(issues[n].Kind)}\" data-issue=\"{n + 1}\" title=\"{encoder.Encode(issues[n].Message)}\">‸</mark>")
                        .Append($"<sup><a href=\"#issue-{n + 1}\">{n + 1}</a></sup>");
        }

        for (var b = 0; b + 1 < bounds.Count; b++)
        {
            var (start, end) = (bounds[b], bounds[b + 1]);
            Carets(start);
            var segment = encoder.Encode(text[start..end]);
            var covering = Enumerable.Range(0, issues.Count)
                .Where(n => issues[n].Length > 0 && issues[n].Start <= start && issues[n].Start + issues[n].Length >= end).ToList();
            if (covering.Count == 0)
            {
                html.Append(segment);
                continue;
            }
            // The innermost (shortest) issue gives the colour; the title lists them all.
            var main = covering.OrderBy(n => issues[n].Length).First();
            var title = string.Join(" · ", covering.Select(n => issues[n].Message));
            html.Append($"<mark class=\"draft-mark draft-{Kebab(issues[main].Kind)}\" data-issue=\"{string.Join(' ', covering.Select(n => n + 1))}\" title=\"{encoder.Encode(title)}\">")
                .Append(segment).Append("</mark>");
            foreach (var n in covering.Where(n => issues[n].Start + issues[n].Length == end))
                html.Append($"<sup><a href=\"#issue-{n + 1}\">{n + 1}</a></sup>");
        }
        Carets(text.Length);
        return new HtmlString(html.ToString());
    }

    /// <summary>"TooManyHashtags" → "too-many-hashtags", for CSS classes.</summary>
    public static string Kebab(DraftIssueKind kind)
    {
        var name = kind.ToString();
        var kebab = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && kebab.Length > 0) kebab.Append('-');
            kebab.Append(char.ToLowerInvariant(c));
        }
        return kebab.ToString();
    }
}
