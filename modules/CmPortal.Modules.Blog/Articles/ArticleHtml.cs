using CmPortal.Core.Text;
using CmPortal.Modules.Blog.Data;

namespace CmPortal.Modules.Blog.Articles;

/// <summary>An article's text as HTML: the safe Markdown of the community charter (no raw HTML, no script links, no images), headings from h2 under the title.</summary>
internal static class ArticleHtml
{
    public static string Render(Article article) => SafeMarkdown.ToHtml(article.BodyMarkdown, topHeading: 2);

    public static string Render(string? markdown) => SafeMarkdown.ToHtml(markdown, topHeading: 2);
}
