using CmPortal.Core.Text;

namespace CmPortal.Tests.Unit;

/// <summary>HTML from a network or a feed read as the text a person sees, never as code.</summary>
public sealed class HtmlTextTests
{
    [Fact]
    public void A_mastodon_status_keeps_its_paragraphs_and_line_breaks_and_its_whole_links()
    {
        var html = "<p>Bonjour <span class=\"h-card\"><a href=\"https://piaille.fr/@lumen\">@<span>lumen</span></a></span> !</p>" +
                   "<p>Vu ici&nbsp;: <a href=\"https://example.org/un/long/chemin\"><span class=\"invisible\">https://</span>" +
                   "<span class=\"ellipsis\">example.org/un/</span><span class=\"invisible\">long/chemin</span></a><br>Merci</p>";
        Assert.Equal("Bonjour @lumen !\n\nVu ici\u00a0: https://example.org/un/long/chemin\nMerci", HtmlText.ToPlainText(html));
    }

    [Fact]
    public void Script_and_style_content_never_becomes_text()
    {
        var html = "<p>Super lampe</p><script>alert('x')</script><style>p{color:red}</style><p>&lt;b&gt;vraiment&lt;/b&gt;</p>";
        Assert.Equal("Super lampe\n\n<b>vraiment</b>", HtmlText.ToPlainText(html));
        Assert.Equal("Super lampe <b>vraiment</b>", HtmlText.ToOneLine(html));
    }

    [Fact]
    public void Whitespace_collapses_as_a_browser_shows_it_and_french_no_break_spaces_stay()
    {
        Assert.Equal("une ligne puis la suite", HtmlText.ToOneLine("  une\n  ligne<br/>puis   la\u200B suite  "));
        Assert.Equal("Génial\u202f!", HtmlText.ToOneLine("Génial \u202f!"));
        Assert.Equal("a b", HtmlText.ToOneLine("<table><tr><td>a</td><td>b</td></tr></table>"));
        Assert.Equal("", HtmlText.ToPlainText("<p> </p><script>x</script>"));
    }
}
