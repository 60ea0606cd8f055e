using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Campaigns;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Recipes;

/// <summary>
/// <c>{ "step": "posts", "posts": [ { "slug", "text", "networks", "variants": { "instagram": { "text", "link", "thread" } }, "startsAt",
/// "recurrence", "skippedDates", "pillar", "campaign", "keyDate", "persona", "labels", "notes", "evergreen", "state" } ] }</c>:
/// adds or updates posts matched on "slug", through <see cref="PostService"/> with the editor's rules (as the actor
/// "Recipe", which keeps past dates). Dates are absolute or relative to the application (<see cref="RecipeDates"/>).
/// A published post is never changed by a recipe. Posts the step does not list are left alone.
/// </summary>
internal sealed class PostsStep : RecipeStep<PostsStep.Model>
{
    public sealed record Model(List<Item> Posts);

    public sealed record Item(string Slug, string Text, List<string>? Networks = null, Dictionary<string, Variant>? Variants = null,
        string? StartsAt = null, string? Recurrence = null, List<string>? SkippedDates = null, string? Pillar = null, string? Campaign = null,
        string? KeyDate = null, string? Persona = null, List<string>? Labels = null, string? Notes = null, bool Evergreen = false,
        PostState State = PostState.Draft);

    /// <param name="Thread">The parts of a thread after the variant's text, in order; null for a single post.</param>
    public sealed record Variant(string? Text = null, string? Link = null, List<string>? Thread = null);

    /// <summary>Fields that name what earlier steps of the same recipe may store (editorial line, key dates): checked while applying.</summary>
    private static readonly HashSet<string> CheckedWhenApplied = new(StringComparer.Ordinal) { "pillar", "persona", "keyDate", "campaign", "assigneeId", "media" };

    /// <summary>The slug export gives a post written in the portal; applied to the same workspace, it finds that post again.</summary>
    internal static string GeneratedSlug(Guid id) => $"post-{id:N}";

    public override string Name => "posts";

    public override string Label => "Posts";

    private static PostInput InputOf(Item item, LocalDate anchor) => new()
    {
        Slug = item.Slug,
        Text = item.Text,
        Networks = item.Networks ?? [],
        Variants = (item.Variants ?? []).ToDictionary(v => v.Key, v => new VariantInput(v.Value.Text, v.Value.Link, Thread: v.Value.Thread)),
        StartsAt = RecipeDates.StartsAt(item.StartsAt, anchor),
        Recurrence = item.Recurrence,
        SkippedDates = (item.SkippedDates ?? []).Select(d => RecipeDates.DayText(d, anchor)).ToList(),
        Pillar = item.Pillar, Campaign = item.Campaign, KeyDate = item.KeyDate, Persona = item.Persona,
        Labels = item.Labels ?? [], Notes = item.Notes, Evergreen = item.Evergreen,
    };

    protected override async Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var known = context.State<CalendarRecipeState>().Campaigns.ToHashSet(StringComparer.Ordinal);
        if (context.WorkspaceKey is { } key && await ExistingCampaignsAsync(context.Services, key, ct) is { } stored) known.UnionWith(stored);
        var vocabulary = new PostVocabulary(new EditorialPlan(80, [], [], []), known, new HashSet<string>(), new HashSet<Guid>(), new HashSet<Guid>());
        var anchor = RecipeDates.Anchor(new LocalDate(2027, 1, 1));
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < model.Posts.Count; i++)
        {
            var item = model.Posts[i];
            if (!CampaignRules.IsSlug(item.Slug))
                context.Error($"posts[{i}].slug", "\"{0}\" is not a valid slug. Use lowercase letters, digits and hyphens, e.g. \"coulisses-du-mardi\" ({1} characters at most).", item.Slug, CampaignRules.MaxSlug);
            else if (!slugs.Add(item.Slug))
                context.Error($"posts[{i}].slug", "The slug \"{0}\" is used twice in this step. Give each post its own slug.", item.Slug);
            var input = InputOf(item, anchor);
            foreach (var problem in PostRules.Check(input, vocabulary, DateTimeZone.Utc).Where(p => !CheckedWhenApplied.Contains(p.Field ?? "")))
                context.Error(problem with { Field = $"posts[{i}].{problem.Field}" });
            if (item.Campaign is { Length: > 0 } campaign && !known.Contains(campaign))
                context.Error($"posts[{i}].campaign", "There is no campaign “{0}” in this workspace or in an earlier \"campaigns\" step.", campaign);
        }
    }

    /// <summary>The campaign slugs already stored in the workspace the recipe targets, if it exists and has the module's tables.</summary>
    private static async Task<IReadOnlyList<string>?> ExistingCampaignsAsync(IServiceProvider services, string key, CancellationToken ct)
    {
        var workspace = services.GetRequiredService<WorkspaceContext>();
        if (workspace.Current is not { } current || current.Key != key) return null;
        return await services.GetRequiredService<CalendarDbContext>().Campaigns.AsNoTracking().Select(c => c.Slug).ToListAsync(ct);
    }

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var slugs = model.Posts.Select(p => p.Slug).ToList();
        var updated = context.Existing is null ? 0
            : await context.Services.GetRequiredService<CalendarDbContext>().Posts.AsNoTracking().CountAsync(p => p.Slug != null && slugs.Contains(p.Slug), ct);
        changes.Add(new RecipeChange("{0} {0|post|posts} added, {1} updated.", slugs.Count - updated, updated));
        if (model.Posts.Any(p => RecipeDates.IsRelative(p.StartsAt) || (p.SkippedDates ?? []).Any(RecipeDates.IsRelative)))
        {
            var zone = context.Existing is { } existing ? WorkspaceTime.ZoneOf(existing.TimeZone) : WorkspaceTime.ZoneOf("Europe/Paris");
            changes.Add(new RecipeChange("Relative dates count from Monday {0}.", RecipeDates.Anchor(context.Services.GetRequiredService<IClock>(), zone).ToDateOnly()));
        }
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var posts = context.Services.GetRequiredService<PostService>();
        var db = context.Services.GetRequiredService<CalendarDbContext>();
        var actor = PostActor.Recipe();
        var anchor = RecipeDates.Anchor(context.Services.GetRequiredService<IClock>(), posts.Zone);
        var slugs = model.Posts.Select(p => p.Slug).ToList();
        var existing = await db.Posts.AsNoTracking().Where(p => p.Slug != null && slugs.Contains(p.Slug)).Select(p => new { p.Id, p.Slug }).ToDictionaryAsync(p => p.Slug!, p => p.Id, ct);
        await AdoptGeneratedSlugsAsync(db, slugs.Where(s => !existing.ContainsKey(s)), existing, ct);

        var problems = new List<Problem>();
        for (var i = 0; i < model.Posts.Count; i++)
        {
            var item = model.Posts[i];
            var input = InputOf(item, anchor);
            PostOutcome outcome;
            if (!existing.TryGetValue(item.Slug, out var id)) outcome = await posts.CreateAsync(input, item.State, actor, ct);
            else if (await posts.FindAsync(id, ct) is not { } post || post.State is PostState.Published) continue;
            else
            {
                outcome = await posts.UpdateAsync(id, post.Version, input, actor, ct);
                if (outcome.Succeeded && outcome.Post!.State != item.State)
                    outcome = await posts.RestoreStateAsync(id, outcome.Post.Version, item.State, actor, ct);
            }
            problems.AddRange(outcome.Problems.Select(p => p with { Field = $"posts[{i}]" + (p.Field is null ? "" : "." + p.Field) }));
            db.ChangeTracker.Clear();
        }
        if (problems.Count > 0) throw new RecipeStepException(problems);
    }

    /// <summary>
    /// An export names a post written in the portal by <see cref="GeneratedSlug"/>; applied back to the same workspace, the
    /// post with that id takes the slug instead of a copy being made.
    /// </summary>
    private static async Task AdoptGeneratedSlugsAsync(CalendarDbContext db, IEnumerable<string> unknown, Dictionary<string, Guid> existing, CancellationToken ct)
    {
        var ids = unknown.Select(s => s.StartsWith("post-", StringComparison.Ordinal) && Guid.TryParseExact(s[5..], "N", out var id) ? id : Guid.Empty)
            .Where(id => id != Guid.Empty).ToList();
        if (ids.Count == 0) return;
        foreach (var post in await db.Posts.AsNoTracking().Where(p => ids.Contains(p.Id) && p.Slug == null).Select(p => p.Id).ToListAsync(ct))
            existing[GeneratedSlug(post)] = post;
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var db = context.Services.GetRequiredService<CalendarDbContext>();
        // In date order, then by slug: an export applied elsewhere exports again the same, line for line.
        var stored = (await db.Posts.AsNoTracking().Include(p => p.Variants).ToListAsync(ct))
            .OrderBy(p => p.StartsLocal is null).ThenBy(p => p.StartsLocal, StringComparer.Ordinal).ThenBy(p => p.Slug ?? GeneratedSlug(p.Id), StringComparer.Ordinal).ToList();
        if (stored.Count == 0) return null;
        var campaigns = await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Slug, ct);
        var now = context.Services.GetRequiredService<IClock>().GetCurrentInstant().ToDateTimeUtc();
        return new Model(stored.Select(p => new Item(
            p.Slug ?? GeneratedSlug(p.Id), p.Text,
            p.Variants.Count == 0 ? null : p.Variants.OrderBy(v => v.Position).Select(v => v.Network).ToList(),
            p.Variants.Where(v => v.Text is not null || v.Link is not null || v.Thread is not null).OrderBy(v => v.Position)
                .ToDictionary(v => v.Network, v => new Variant(v.Text, v.Link, v.Thread is null ? null : PostThread.Parse(v.Thread).ToList())) is { Count: > 0 } variants ? variants : null,
            p.StartsLocal, p.Recurrence, p.SkippedDates is null ? null : PostRules.Split(p.SkippedDates).ToList(),
            p.Pillar, p.CampaignId is { } c ? campaigns.GetValueOrDefault(c) : null, p.KeyDate, p.Persona,
            p.Labels is null ? null : PostRules.Split(p.Labels).ToList(), p.Notes, p.Evergreen, ExportedState(p, now))).ToList());
    }

    /// <summary>
    /// A scheduled one-off whose time has passed without being published is written "approved": a copy of the workspace
    /// must not send an old post out, and scheduling needs a date to come.
    /// </summary>
    private static PostState ExportedState(Post post, DateTime now) =>
        post.State == PostState.Scheduled && post.Recurrence is null && post.StartsUtc is { } at && at < now ? PostState.Approved : post.State;
}
