using System.Globalization;
using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;
using CmPortal.Modules.Blog.Articles;
using CmPortal.Modules.Blog.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Modules.Blog.Recipes;

/// <summary>
/// <c>{ "step": "blogArticles", "articles": [ { "slug", "title", "summary", "markdown", "author", "tags": [], "state": "draft|published", "publishedAt" } ] }</c>:
/// adds or updates articles matched on "slug", through <see cref="ArticleService"/>; the others are left alone. "publishedAt" is
/// the first publication's instant (ISO 8601, UTC: "2026-11-12T08:30:00Z"), for a published article; without it, the time of
/// the application. Covers are not part of a recipe (the media library is not either).
/// </summary>
internal sealed class BlogArticlesStep : RecipeStep<BlogArticlesStep.Model>
{
    public sealed record Model(List<Item> Articles);

    public sealed record Item(string Slug, string Title, string Markdown, string? Summary = null, string? Author = null, List<string>? Tags = null,
        ArticleState State = ArticleState.Draft, string? PublishedAt = null);

    public override string Name => "blogArticles";

    public override string Label => "Blog articles";

    private static ArticleInput InputOf(Item item) => new()
    {
        Title = item.Title, Slug = item.Slug, Summary = item.Summary, BodyMarkdown = item.Markdown, AuthorName = item.Author, Tags = ArticleRules.JoinTags(item.Tags),
    };

    private static DateTime? Instant(string? text) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Articles.Count; i++)
        {
            var item = model.Articles[i];
            if (!ArticleRules.IsSlug(item.Slug))
                context.Error($"articles[{i}].slug", "\"{0}\" is not a valid slug. Use lowercase letters, digits and hyphens, e.g. \"bougies-d-hiver\" ({1} characters at most).", item.Slug, ArticleRules.MaxSlug);
            foreach (var problem in ArticleRules.Check(InputOf(item), publishing: item.State == ArticleState.Published).Where(p => p.Field != "slug"))
                context.Error(problem with { Field = $"articles[{i}].{Field(problem.Field)}" });
            if (!slugs.Add(item.Slug))
                context.Error($"articles[{i}].slug", "The slug \"{0}\" is used twice in this step. Give each article its own slug.", item.Slug);
            if (item.PublishedAt is not null && Instant(item.PublishedAt) is null)
                context.Error($"articles[{i}].publishedAt", "“{0}” is not an instant. Write it as 2026-11-12T08:30:00Z.", item.PublishedAt);
        }
        return Task.CompletedTask;
    }

    /// <summary>The recipe's name of a field the service names after the article.</summary>
    private static string? Field(string? field) => field switch { "bodyMarkdown" => "markdown", "authorName" => "author", _ => field };

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var slugs = model.Articles.Select(a => a.Slug).ToList();
        var updated = context.Existing is null ? 0
            : await context.Services.GetRequiredService<BlogDbContext>().Articles.AsNoTracking().CountAsync(a => slugs.Contains(a.Slug), ct);
        changes.Add(new RecipeChange("{0} {0|article|articles} added, {1} updated.", slugs.Count - updated, updated));
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var articles = context.Services.GetRequiredService<ArticleService>();
        var problems = new List<Problem>();
        for (var i = 0; i < model.Articles.Count; i++)
        {
            var item = model.Articles[i];
            var existing = await articles.FindBySlugAsync(item.Slug, ct);
            var outcome = existing is null ? await articles.CreateAsync(InputOf(item), ct) : await articles.UpdateAsync(existing.Id, existing.Version, InputOf(item), ct);
            if (outcome.Succeeded)
            {
                var article = outcome.Article!;
                outcome = (item.State, article.State) switch
                {
                    (ArticleState.Published, ArticleState.Draft) => await articles.PublishAsync(article.Id, article.Version, ct, Instant(item.PublishedAt), announce: false),
                    (ArticleState.Draft, ArticleState.Published) => await articles.UnpublishAsync(article.Id, article.Version, ct),
                    _ => outcome,
                };
            }
            problems.AddRange(outcome.Problems.Select(p => p with { Field = $"articles[{i}]" + (p.Field is null ? "" : "." + Field(p.Field)) }));
        }
        if (problems.Count > 0) throw new RecipeStepException(problems);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var list = await context.Services.GetRequiredService<BlogDbContext>().Articles.AsNoTracking()
            .OrderBy(a => a.PublishedUtc == null).ThenBy(a => a.PublishedUtc).ThenBy(a => a.Slug).ToListAsync(ct);
        return list.Count == 0 ? null : new Model(list.Select(a => new Item(a.Slug, a.Title, a.BodyMarkdown, a.Summary, a.AuthorName,
            a.TagList.Count == 0 ? null : a.TagList.ToList(), a.State,
            a.State == ArticleState.Published && a.PublishedUtc is { } at ? DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : null)).ToList());
    }
}
