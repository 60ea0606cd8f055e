using CmPortal.Core.Caching;
using CmPortal.Core.Events;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Contracts;
using CmPortal.Modules.Blog.Data;
using CmPortal.Modules.ContentCalendar.Contracts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.Blog.Articles;

/// <summary>What an article operation gave: the saved article, or the problems (nothing saved), a conflict, or not found.</summary>
internal sealed record ArticleOutcome(Article? Article, IReadOnlyList<Problem> Problems)
{
    public bool Succeeded => Article is not null && Problems.Count == 0;

    /// <summary>Someone saved the article after the caller read it; nothing was saved. <see cref="Article"/> is theirs.</summary>
    public bool IsConflict { get; init; }
    public bool IsNotFound { get; init; }

    public static ArticleOutcome Saved(Article article) => new(article, []);
    public static ArticleOutcome Refused(IReadOnlyList<Problem> problems) => new(null, problems);
    public static readonly ArticleOutcome NotFound = new(null, [new Problem(null, "This article no longer exists.")]) { IsNotFound = true };

    public static ArticleOutcome Conflict(Article current) =>
        new(current, [new Problem(null, "Someone saved this article after you opened it. Nothing of yours was saved: your text is below; compare it with theirs, then save again.")])
        { IsConflict = true };
}

/// <summary>A page of the public list: the articles, newest first, and whether there are pages around it.</summary>
internal sealed record ArticlePage(IReadOnlyList<Article> Articles, int Page, int PageCount);

/// <summary>
/// The one place the rules of an article live: validate (every failure a <see cref="Problem"/>), make and keep the slug
/// unique, refuse stale edits, publish and unpublish (raising <see cref="ArticlePublished"/>), and drop the cached public
/// pages after a change readers see. The admin pages, the recipe step and publishing (<see cref="IBlogArticles"/>) call it.
/// </summary>
internal sealed class ArticleService(BlogDbContext db, WorkspaceContext workspace, IMediaLibrary media, IModuleEvents events, IPublicPageCache pages, IClock clock)
{
    public const int PageSize = 10;

    public async Task<IReadOnlyList<Article>> ListAsync(CancellationToken ct = default) =>
        await db.Articles.AsNoTracking().OrderBy(a => a.State).ThenByDescending(a => a.PublishedUtc ?? a.UpdatedUtc).ThenBy(a => a.Title).ToListAsync(ct);

    public Task<Article?> FindAsync(Guid id, CancellationToken ct = default) => db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);

    public Task<Article?> FindBySlugAsync(string slug, CancellationToken ct = default) => db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == slug, ct);

    public Task<Article?> FindByDeliveryKeyAsync(string deliveryKey, CancellationToken ct = default) =>
        db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.DeliveryKey == deliveryKey, ct);

    /// <summary>A published article by its slug (never a draft).</summary>
    public Task<Article?> FindPublishedAsync(string slug, CancellationToken ct = default) =>
        db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == slug && a.State == ArticleState.Published, ct);

    /// <summary>Published articles, newest first, <see cref="PageSize"/> a page; <paramref name="page"/> from 1.</summary>
    public async Task<ArticlePage> PublishedPageAsync(int page, CancellationToken ct = default)
    {
        var published = db.Articles.AsNoTracking().Where(a => a.State == ArticleState.Published);
        var count = await published.CountAsync(ct);
        var pageCount = Math.Max(1, (count + PageSize - 1) / PageSize);
        var list = page < 1 || page > pageCount ? []
            : await Newest(published).Skip((page - 1) * PageSize).Take(PageSize).ToListAsync(ct);
        return new ArticlePage(list, page, pageCount);
    }

    /// <summary>The latest published articles of <paramref name="workspaceId"/>, for feeds and the sitemap.</summary>
    public async Task<IReadOnlyList<Article>> LatestPublishedAsync(Guid workspaceId, int count, CancellationToken ct = default) =>
        await Newest(db.Articles.IgnoreQueryFilters().AsNoTracking().Where(a => a.WorkspaceId == workspaceId && a.State == ArticleState.Published))
            .Take(count).ToListAsync(ct);

    private static IQueryable<Article> Newest(IQueryable<Article> articles) => articles.OrderByDescending(a => a.PublishedUtc).ThenBy(a => a.Slug);

    /// <summary>The article's public address, an absolute path: <c>/{key}/blog/{slug}</c>.</summary>
    public string PathOf(Article article) => $"/{workspace.Required.Key}/blog/{article.Slug}";

    /// <summary>A new draft.</summary>
    public async Task<ArticleOutcome> CreateAsync(ArticleInput input, CancellationToken ct = default)
    {
        var now = Now();
        var article = new Article { Id = Guid.NewGuid(), State = ArticleState.Draft, UpdatedUtc = now, Version = 1 };
        var problems = await ApplyAsync(article, input, publishing: false, ct);
        if (problems.Count > 0) return ArticleOutcome.Refused(problems);
        db.Articles.Add(article);
        return await SaveAsync(article, raise: false, ct);
    }

    /// <summary>Saves an edit made on <paramref name="basedOn"/> (the version the editor loaded). A published article stays published.</summary>
    public async Task<ArticleOutcome> UpdateAsync(Guid id, int basedOn, ArticleInput input, CancellationToken ct = default)
    {
        var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (article is null) return ArticleOutcome.NotFound;
        if (article.Version != basedOn) return ArticleOutcome.Conflict(article);
        var problems = await ApplyAsync(article, input, publishing: article.State == ArticleState.Published, ct);
        if (problems.Count > 0)
        {
            db.ChangeTracker.Clear();
            return ArticleOutcome.Refused(problems);
        }
        // Saving what is already stored changes nothing (a recipe applied twice, "Save" pressed twice).
        if (!db.ChangeTracker.HasChanges()) return ArticleOutcome.Saved(article);
        article.Version++;
        article.UpdatedUtc = Now();
        return await SaveAsync(article, raise: false, ct);
    }

    /// <summary>
    /// Puts the article on the public blog, dated now on its first publication (or <paramref name="at"/>: a recipe's date).
    /// A recipe restores articles as they were (a demo, a copy of a brand) and tells nobody: <paramref name="announce"/> false
    /// raises no <see cref="ArticlePublished"/>.
    /// </summary>
    public async Task<ArticleOutcome> PublishAsync(Guid id, int basedOn, CancellationToken ct = default, DateTime? at = null, bool announce = true)
    {
        var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (article is null) return ArticleOutcome.NotFound;
        if (article.Version != basedOn) return ArticleOutcome.Conflict(article);
        if (article.State == ArticleState.Published) return ArticleOutcome.Saved(article);
        var problems = ArticleRules.Check(InputOf(article), publishing: true).ToList();
        if (problems.Count > 0) return ArticleOutcome.Refused(problems);
        MarkPublished(article, at);
        return await SaveAsync(article, raise: announce, ct);
    }

    /// <summary>Takes the article off the public blog; it becomes a draft again (its first publication date is kept).</summary>
    public async Task<ArticleOutcome> UnpublishAsync(Guid id, int basedOn, CancellationToken ct = default)
    {
        var article = await db.Articles.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (article is null) return ArticleOutcome.NotFound;
        if (article.Version != basedOn) return ArticleOutcome.Conflict(article);
        if (article.State == ArticleState.Draft) return ArticleOutcome.Saved(article);
        article.State = ArticleState.Draft;
        article.Version++;
        article.UpdatedUtc = Now();
        return await SaveAsync(article, raise: false, ct, evict: true);
    }

    /// <summary>
    /// Creates and publishes an article for a publishing delivery, once per <paramref name="deliveryKey"/>: when the key
    /// already wrote an article (a retry), that article is returned and nothing is written. The unique index on the key
    /// settles two deliveries racing with the same key.
    /// </summary>
    public async Task<(ArticleOutcome Outcome, bool AlreadyPublished)> PublishDeliveryAsync(ArticleInput input, string deliveryKey, DateTime? publishedUtc, CancellationToken ct = default)
    {
        deliveryKey = deliveryKey.Trim();
        if (deliveryKey.Length is 0 or > ArticleRules.MaxDeliveryKey)
            return (ArticleOutcome.Refused([new Problem("deliveryKey", "A delivery key has 1 to {0} characters.", ArticleRules.MaxDeliveryKey)]), false);
        if (await db.Articles.FirstOrDefaultAsync(a => a.DeliveryKey == deliveryKey, ct) is { } existing) return (ArticleOutcome.Saved(existing), true);

        var article = new Article { Id = Guid.NewGuid(), UpdatedUtc = Now(), Version = 1, DeliveryKey = deliveryKey };
        var problems = await ApplyAsync(article, input, publishing: true, ct);
        if (problems.Count > 0) return (ArticleOutcome.Refused(problems), false);
        MarkPublished(article, publishedUtc);
        db.Articles.Add(article);
        try
        {
            return (await SaveAsync(article, raise: true, ct), false);
        }
        catch (DbUpdateException)
        {
            // Another attempt with the same key got there first: its article is the one.
            if (await KeyTakenAsync(deliveryKey, ct) is { } first) return (ArticleOutcome.Saved(first), true);
            throw;
        }
    }

    private async Task<Article?> KeyTakenAsync(string deliveryKey, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.DeliveryKey == deliveryKey, ct);
    }

    private void MarkPublished(Article article, DateTime? publishedUtc)
    {
        article.State = ArticleState.Published;
        article.PublishedUtc ??= publishedUtc ?? Now();
        if (article.Version > 0 && db.Entry(article).State != EntityState.Detached) article.Version++;
        article.UpdatedUtc = Now();
    }

    public static ArticleInput InputOf(Article article) => new()
    {
        Title = article.Title, Slug = article.Slug, Summary = article.Summary, BodyMarkdown = article.BodyMarkdown, CoverMediaId = article.CoverMediaId,
        CoverAlt = article.CoverAlt, AuthorName = article.AuthorName, Tags = article.Tags,
    };

    /// <summary>Validates <paramref name="input"/> and copies it onto <paramref name="article"/>; returns the problems.</summary>
    private async Task<List<Problem>> ApplyAsync(Article article, ArticleInput input, bool publishing, CancellationToken ct)
    {
        var problems = ArticleRules.Check(input, publishing).ToList();
        var typed = ArticleRules.Blank(input.Slug);
        string slug;
        if (typed is not null)
        {
            slug = typed;
            if (ArticleRules.IsSlug(slug) && await db.Articles.AnyAsync(a => a.Slug == slug && a.Id != article.Id, ct))
                problems.Add(new Problem("slug", "Another article already has the address “{0}”. Choose another slug.", slug));
        }
        else slug = await UniqueSlugAsync(ArticleRules.SlugOf(input.Title), article.Id, ct);

        string? coverAlt = ArticleRules.Blank(input.CoverAlt);
        if (input.CoverMediaId is { } coverId)
        {
            var image = await media.FindAsync(coverId, ct);
            if (image is null) problems.Add(new Problem("coverMediaId", "This image is no longer in the media library. Choose another cover."));
            else coverAlt ??= ArticleRules.Blank(image.AltText);
            if (image is not null && coverAlt is null)
                problems.Add(new Problem("coverAlt", "Describe the cover image for people who cannot see it."));
        }
        if (problems.Count > 0) return problems;

        article.Title = input.Title!.Trim();
        article.Slug = slug;
        article.Summary = ArticleRules.Blank(input.Summary);
        article.BodyMarkdown = (input.BodyMarkdown ?? "").TrimEnd();
        article.CoverMediaId = input.CoverMediaId;
        article.CoverAlt = input.CoverMediaId is null ? null : coverAlt;
        article.AuthorName = ArticleRules.Blank(input.AuthorName);
        article.Tags = ArticleRules.JoinTags(ArticleRules.SplitTags(input.Tags));
        return problems;
    }

    /// <summary><paramref name="wanted"/>, or with "-2", "-3"… when another article has it.</summary>
    private async Task<string> UniqueSlugAsync(string wanted, Guid articleId, CancellationToken ct)
    {
        var taken = await db.Articles.Where(a => a.Id != articleId && (a.Slug == wanted || a.Slug.StartsWith(wanted + "-"))).Select(a => a.Slug).ToListAsync(ct);
        var candidate = wanted;
        for (var n = 2; taken.Contains(candidate); n++) candidate = $"{wanted}-{n}";
        return candidate;
    }

    /// <summary>Saves; a published article (or one just taken off) drops the workspace's cached public pages; a publication raises its event, in one transaction.</summary>
    private async Task<ArticleOutcome> SaveAsync(Article article, bool raise, CancellationToken ct, bool evict = false)
    {
        var visible = evict || article.State == ArticleState.Published;
        try
        {
            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            await db.SaveChangesAsync(ct);
            if (raise)
                await events.RaiseAsync(new ArticlePublished(article.Id, article.Title, article.Slug, PathOf(article), article.PublishedUtc!.Value, article.DeliveryKey), ct);
            if (visible) await pages.EvictAsync(workspace.Required.Id, ct);
            if (transaction is not null) await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return ArticleOutcome.Conflict((await FindAsync(article.Id, ct))!);
        }
        if (visible) await pages.EvictAsync(workspace.Required.Id, ct);
        return ArticleOutcome.Saved(article);
    }

    private DateTime Now() => clock.GetCurrentInstant().ToDateTimeUtc();
}
