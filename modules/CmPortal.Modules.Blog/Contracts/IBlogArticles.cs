using CmPortal.Core.Events;

namespace CmPortal.Modules.Blog.Contracts;

/// <summary>
/// An article as publishing hands it to the blog. <see cref="Markdown"/> is sanitised when shown (no raw HTML, no
/// script links); <see cref="Slug"/>, when empty, comes from the title.
/// </summary>
public sealed record BlogArticleDraft(
    string Title, string? Summary, string Markdown, Guid? CoverMediaId = null, string? CoverAlt = null,
    IReadOnlyList<string>? Tags = null, string? AuthorName = null, string? Slug = null);

/// <summary>The published article: its id and its public address, an absolute path (<c>/{key}/blog/{slug}</c>).</summary>
/// <param name="AlreadyPublished">True when the delivery key had already written this article: nothing was written now.</param>
public sealed record ArticleReceipt(Guid ArticleId, string Url, string Slug, DateTime PublishedUtc, bool AlreadyPublished);

/// <summary>The publishing refused the draft (its problems are English templates with values: <c>CmPortal.Core.Validation.Problem</c>).</summary>
public sealed class BlogArticleRejectedException(IReadOnlyList<CmPortal.Core.Validation.Problem> problems)
    : Exception("The blog refused the article: " + string.Join(" ", problems.Select(p => p.ToString())))
{
    public IReadOnlyList<CmPortal.Core.Validation.Problem> Problems { get; } = problems;
}

/// <summary>
/// What the publishing module calls to put an article on the current workspace's blog. One delivery writes one
/// article: <see cref="PublishAsync"/> is idempotent on its delivery key.
/// </summary>
public interface IBlogArticles
{
    /// <summary>
    /// Publishes <paramref name="draft"/> now, remembering <paramref name="deliveryKey"/>. A second call with the same
    /// key (a retry after a crash or a lost answer) writes nothing and returns the first article's receipt.
    /// Throws <see cref="BlogArticleRejectedException"/> when the draft breaks a rule (nothing written).
    /// </summary>
    Task<ArticleReceipt> PublishAsync(BlogArticleDraft draft, string deliveryKey, CancellationToken ct = default);

    /// <summary>The article a delivery wrote, or null when that key wrote none.</summary>
    Task<ArticleReceipt?> FindByDeliveryKeyAsync(string deliveryKey, CancellationToken ct = default);
}

/// <summary>An article went public (from the admin, a recipe or a publishing delivery).</summary>
[ModuleEvent("Blog.ArticlePublished")]
public sealed record ArticlePublished(Guid ArticleId, string Title, string Slug, string Url, DateTime PublishedUtc, string? DeliveryKey);
