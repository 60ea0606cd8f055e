using CmPortal.Modules.Blog.Contracts;
using CmPortal.Modules.Blog.Data;

namespace CmPortal.Modules.Blog.Articles;

/// <summary><see cref="IBlogArticles"/> over <see cref="ArticleService"/>: what publishing calls, once per delivery.</summary>
internal sealed class BlogArticles(ArticleService articles) : IBlogArticles
{
    public async Task<ArticleReceipt> PublishAsync(BlogArticleDraft draft, string deliveryKey, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var input = new ArticleInput
        {
            Title = draft.Title, Slug = draft.Slug, Summary = draft.Summary, BodyMarkdown = draft.Markdown, CoverMediaId = draft.CoverMediaId,
            CoverAlt = draft.CoverAlt, AuthorName = draft.AuthorName, Tags = ArticleRules.JoinTags(draft.Tags),
        };
        var (outcome, already) = await articles.PublishDeliveryAsync(input, deliveryKey ?? "", null, ct);
        if (!outcome.Succeeded) throw new BlogArticleRejectedException(outcome.Problems);
        return Receipt(outcome.Article!, already);
    }

    public async Task<ArticleReceipt?> FindByDeliveryKeyAsync(string deliveryKey, CancellationToken ct = default) =>
        await articles.FindByDeliveryKeyAsync(deliveryKey?.Trim() ?? "", ct) is { } article ? Receipt(article, true) : null;

    private ArticleReceipt Receipt(Article article, bool already) =>
        new(article.Id, articles.PathOf(article), article.Slug, article.PublishedUtc ?? article.UpdatedUtc, already);
}
