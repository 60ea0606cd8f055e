using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using CmPortal.Core.Security;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.BrandIdentity.Admin;

/// <summary>"Check a draft": paste a post, pick a network, see what the editorial line and the dictionary say about it.</summary>
[Route("admin/{workspace}/brand/check")]
[RequirePermission("BrandIdentity.View")]
internal sealed class DraftCheckController(IDraftChecker checker, BrandIdentityStore store, IStringLocalizer<DraftCheckController> T) : Controller
{
    /// <summary>Longest draft the screen accepts (a long blog post is well below).</summary>
    public const int MaxTextLength = 100_000;

    [HttpGet("")]
    public async Task<IActionResult> Index(string? network, CancellationToken ct)
    {
        var line = await store.CurrentEditorialLineAsync(ct);
        var form = new DraftCheckForm { Network = SocialNetworks.Find(network)?.Id ?? DefaultNetwork(line) };
        return View(DraftCheckPage.For(form, line, null));
    }

    [HttpPost("")]
    public async Task<IActionResult> Index(DraftCheckForm form, CancellationToken ct)
    {
        if (SocialNetworks.Find(form.Network) is null)
            return BadRequest(T["Unknown network \"{0}\". Choose one of: {1}.", form.Network ?? "", SocialNetworks.Ids].Value);
        var line = await store.CurrentEditorialLineAsync(ct);
        var text = form.Text ?? "";
        if (text.Length > MaxTextLength)
        {
            ModelState.AddModelError(nameof(DraftCheckForm.Text), T["The draft is too long to check: {0} characters at most.", MaxTextLength]);
            return View(DraftCheckPage.For(form, line, null));
        }
        var result = await checker.CheckAsync(text, form.Network!, ct);
        return View(DraftCheckPage.For(form, line, result));
    }

    /// <summary>The first network of the catalogue the editorial line has guidelines for, else the first of the catalogue.</summary>
    internal static string DefaultNetwork(EditorialLine line) =>
        SocialNetworks.All.FirstOrDefault(n => line.GuidelineFor(n.Id) is not null)?.Id ?? SocialNetworks.All[0].Id;
}

internal sealed class DraftCheckForm
{
    public string? Network { get; set; }
    public string? Text { get; set; }
}

/// <summary>What the screen shows: the form, the networks (those with guidelines marked), and the result of a check.</summary>
internal sealed record DraftCheckPage(DraftCheckForm Form, IReadOnlyList<(SocialNetwork Network, bool HasGuideline)> Networks, DraftCheckResult? Result)
{
    public static DraftCheckPage For(DraftCheckForm form, EditorialLine line, DraftCheckResult? result) =>
        new(form, SocialNetworks.All.Select(n => (n, line.GuidelineFor(n.Id) is not null)).ToList(), result);

    public SocialNetwork Network => SocialNetworks.Find(Form.Network) ?? SocialNetworks.All[0];

    /// <summary>The checked text, HTML-encoded, with each issue's range in a <c>&lt;mark&gt;</c> and its number after it.</summary>
    public IHtmlContent Highlighted() => DraftHighlight.Render(Form.Text ?? "", Result?.Issues ?? []);
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
