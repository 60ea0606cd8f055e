using CmPortal.Core.Events;
using CmPortal.Core.Networks;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Recurrence;
using CmPortal.Modules.KeyDates.Contracts;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>What a post operation gave: the saved post, or the problems (nothing saved), a conflict, or not found.</summary>
internal sealed record PostOutcome(Post? Post, IReadOnlyList<Problem> Problems)
{
    public bool Succeeded => Post is not null && Problems.Count == 0;

    /// <summary>Someone saved the post after the caller read it; nothing was saved.</summary>
    public bool IsConflict { get; init; }
    public bool IsNotFound { get; init; }

    /// <summary>The actor lacks the permission the change takes.</summary>
    public bool IsForbidden { get; init; }

    public static PostOutcome Saved(Post post) => new(post, []);
    public static PostOutcome Refused(params Problem[] problems) => new(null, problems);
    public static readonly PostOutcome NotFound = new(null, [new Problem(null, "This post no longer exists.")]) { IsNotFound = true };

    public static PostOutcome Conflict(Post current) =>
        new(current, [new Problem(null, "Someone saved this post after you opened it. Nothing of yours was saved: your text is below; compare it with theirs, then save again.")])
        { IsConflict = true };

    public static PostOutcome Forbidden(string? field, string template, params object?[] values) =>
        new(null, [new Problem(field, template, values)]) { IsForbidden = true };
}

/// <summary>
/// The one place the rules of a post live: create, edit, move, change state, delete. Validates (every failure a
/// <see cref="Problem"/>), checks the actor's permissions, refuses stale edits, records the history. Forms, the API,
/// imports and recipes all call it.
/// </summary>
internal sealed class PostService(
    CalendarDbContext db, WorkspaceContext workspace, MembershipService members,
    IEditorialPlan plans, IKeyDateCalendar keyDates, IClock clock, IModuleEvents events, INetworkLimits limits, PublicUrls urls)
{
    public Task<Post?> FindAsync(Guid id, CancellationToken ct = default) =>
        db.Posts.AsNoTracking().Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == id, ct);

    public async Task<ApprovalMode> ApprovalModeAsync(CancellationToken ct = default) =>
        (await db.Settings.AsNoTracking().FirstOrDefaultAsync(ct))?.Approval ?? ApprovalMode.OneStep;

    public DateTimeZone Zone => WorkspaceTime.ZoneOf(workspace.Required.TimeZone);

    public Task<PostOutcome> CreateAsync(PostInput input, PostState state, PostActor actor, CancellationToken ct = default) =>
        CreateAsync(input, state, actor, null, ct);

    /// <summary>
    /// A new post, one of a file's lines: checked and saved as <see cref="CreateAsync(PostInput, PostState, PostActor, CancellationToken)"/>
    /// does, with what the file's lines share read once for the file (<paramref name="import"/>, from <see cref="NewImport"/>).
    /// </summary>
    public async Task<PostOutcome> CreateAsync(PostInput input, PostState state, PostActor actor, PostImportContext? import, CancellationToken ct = default)
    {
        var prepared = await PrepareAsync(input, state, actor, import, ct);
        if (!prepared.Succeeded) return prepared;
        var post = prepared.Post!;
        db.Posts.Add(post);
        AddRevision(post, actor, [new PostChange("created", null, state.ToString())]);
        await db.SaveChangesAsync(ct);
        return PostOutcome.Saved(post);
    }

    /// <summary>What <see cref="CreateAsync(PostInput, PostState, PostActor, PostImportContext?, CancellationToken)"/> would refuse, without saving anything: the CSV import's preview.</summary>
    public async Task<IReadOnlyList<Problem>> CheckCreateAsync(PostInput input, PostState state, PostActor actor, PostImportContext? import = null, CancellationToken ct = default) =>
        (await PrepareAsync(input, state, actor, import, ct)).Problems;

    /// <summary>What the lines of one file share, to read once for the file: hand it to each line's create or check.</summary>
    public static PostImportContext NewImport() => new();

    /// <summary>The new post built from <paramref name="input"/> and checked, not yet added to the database.</summary>
    private async Task<PostOutcome> PrepareAsync(PostInput input, PostState state, PostActor actor, PostImportContext? import, CancellationToken ct)
    {
        if (!actor.Holds(CalendarPermissions.Write.Name))
            return PostOutcome.Forbidden("state", "You may not write posts in this workspace.");
        var mode = import is null ? await ApprovalModeAsync(ct) : import.Mode ??= await ApprovalModeAsync(ct);
        if (state is PostState.Published or PostState.Failed && actor.UserId is not null)
            return PostOutcome.Refused(new Problem("state", "Only publishing marks a post published or failed."));
        if (state is not (PostState.Idea or PostState.Draft) && actor.UserId is not null
            && PermissionFor(PostState.Draft, state, mode) is var needed && (needed is null || !actor.Holds(needed)))
            return PostOutcome.Forbidden("state", "You may not create a post in the state “{0}”.", ProblemValue.Declared(StateNames.Of(state)));

        var now = clock.GetCurrentInstant();
        var post = new Post { Id = Guid.NewGuid(), AuthorId = actor.UserId, CreatedUtc = now.ToDateTimeUtc(), UpdatedUtc = now.ToDateTimeUtc(), State = state, Version = 1 };
        var problems = await ApplyAsync(post, input, startChanged: !actor.KeepsPastDates, ct, import);
        if (problems.Count == 0 && state is PostState.Approved or PostState.Scheduled)
            problems.AddRange(await GatesAsync(post, state, ct, import));
        return problems.Count > 0 ? new PostOutcome(null, problems) : PostOutcome.Saved(post);
    }

    /// <summary>Saves an edit made on <paramref name="basedOn"/> (the version the editor loaded).</summary>
    public async Task<PostOutcome> UpdateAsync(Guid id, int basedOn, PostInput input, PostActor actor, CancellationToken ct = default)
    {
        var post = await db.Posts.Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (post is null) return PostOutcome.NotFound;
        if (post.Version != basedOn) return PostOutcome.Conflict(post);
        if (!actor.Holds(CalendarPermissions.Write.Name))
            return PostOutcome.Forbidden("text", "You may not write posts in this workspace.");
        if (post.State is PostState.Published)
            return PostOutcome.Refused(new Problem(null, "A published post cannot be changed; duplicate it to post it again."));

        var before = PostChanges.Fields(post);
        var dateChanged = !string.Equals(Start(input), post.StartsLocal, StringComparison.Ordinal) || !string.Equals(Blank(input.Recurrence), post.Recurrence, StringComparison.Ordinal);
        if (dateChanged && PostStates.Approved.Contains(post.State) && !actor.Holds(CalendarPermissions.Schedule.Name))
            return PostOutcome.Forbidden("startsAt", "You may not move a post that is approved or scheduled: ask someone who schedules posts.");

        var startChanged = !string.Equals(Start(input), post.StartsLocal, StringComparison.Ordinal);
        var problems = await ApplyAsync(post, input, startChanged && !actor.KeepsPastDates, ct);
        if (problems.Count > 0) return new PostOutcome(null, problems);
        var changes = PostChanges.Between(before, PostChanges.Fields(post));
        if (changes.Count == 0) return PostOutcome.Saved(post);

        var mode = await ApprovalModeAsync(ct);
        if (PostStates.Approved.Contains(post.State) && PostChanges.TouchContent(changes) && mode != ApprovalMode.None)
        {
            // What was approved is no longer what would go out.
            changes.Add(new PostChange("state", post.State.ToString(), nameof(PostState.InReview)));
            post.State = PostState.InReview;
            post.Approvals = 0;
            return await SaveAsync(post, actor, changes, ct, [new PostSubmitted(post.Id, PostEvents.Excerpt(post.Text), post.AuthorId, actor.UserId, actor.Name, 1)]);
        }
        else if (post.State is PostState.Scheduled && (await GatesAsync(post, PostState.Scheduled, ct)) is { Count: > 0 } blocked)
            return new PostOutcome(null, blocked);

        return await SaveAsync(post, actor, changes, ct);
    }

    /// <summary>Moves a post (or a one-off's date) to <paramref name="startsAt"/>, keeping everything else: drag and drop, the list's date field.</summary>
    public async Task<PostOutcome> MoveAsync(Guid id, int basedOn, string startsAt, PostActor actor, CancellationToken ct = default)
    {
        var post = await FindAsync(id, ct);
        if (post is null) return PostOutcome.NotFound;
        if (post.State is PostState.Published)
            return PostOutcome.Refused(new Problem("startsAt", "A published post cannot be moved."));
        if (!actor.Holds(PostStates.Approved.Contains(post.State) ? CalendarPermissions.Schedule.Name : CalendarPermissions.Write.Name))
            return PostOutcome.Forbidden("startsAt", "You may not move this post: ask someone who schedules posts.");
        return await UpdateAsync(id, basedOn, InputOf(post) with { StartsAt = startsAt }, actor, ct);
    }

    /// <summary>Moves a post to another state, with the permission that takes; a reviewer sending it back must say why.</summary>
    public async Task<PostOutcome> TransitionAsync(Guid id, int basedOn, PostState to, PostActor actor, string? comment = null, CancellationToken ct = default)
    {
        var post = await db.Posts.Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (post is null) return PostOutcome.NotFound;
        if (post.Version != basedOn) return PostOutcome.Conflict(post);
        var mode = await ApprovalModeAsync(ct);
        var from = post.State;
        if (PermissionFor(from, to, mode) is not { } permission)
            return PostOutcome.Refused(new Problem("state", "A post that is “{0}” cannot become “{1}”.",
                ProblemValue.Declared(StateNames.Of(from)), ProblemValue.Declared(StateNames.Of(to))));
        if (!actor.Holds(permission))
            return PostOutcome.Forbidden("state", "You may not make this post “{0}”.", ProblemValue.Declared(StateNames.Of(to)));

        var changesRequested = from == PostState.InReview && to == PostState.Draft && actor.UserId != post.AuthorId && actor.Holds(CalendarPermissions.Approve.Name);
        if (changesRequested && string.IsNullOrWhiteSpace(comment))
            return PostOutcome.Refused(new Problem("comment", "Say what should change: the author reads your comment."));
        if (comment is { Length: > 4000 }) return PostOutcome.Refused(new Problem("comment", "A comment is at most {0} characters long.", 4000));

        if (to is PostState.Approved or PostState.Scheduled && (await GatesAsync(post, to, ct)) is { Count: > 0 } blocked)
            return new PostOutcome(null, blocked);

        var now = clock.GetCurrentInstant().ToDateTimeUtc();
        var target = to;
        if (to == PostState.Approved && from == PostState.InReview)
        {
            if (mode == ApprovalMode.TwoSteps)
            {
                var last = await LastApproverAsync(post.Id, ct);
                if (post.Approvals >= 1 && last == actor.UserId && actor.UserId is not null)
                    return PostOutcome.Refused(new Problem("state", "You gave the first approval: the second must come from someone else."));
                if (post.Approvals >= 1 && !actor.Holds(CalendarPermissions.ApproveFinal.Name))
                    return PostOutcome.Forbidden("state", "The second approval takes the final approval permission (a brand manager).");
                if (post.Approvals == 0) target = PostState.InReview; // first of two steps
            }
            post.Approvals++;
            db.Comments.Add(new PostComment { PostId = post.Id, AuthorId = actor.UserId, Author = actor.Name, Kind = CommentKind.Approval, Text = comment?.Trim() ?? "", CreatedUtc = now });
        }
        else if (changesRequested)
            db.Comments.Add(new PostComment { PostId = post.Id, AuthorId = actor.UserId, Author = actor.Name, Kind = CommentKind.ChangesRequested, Text = comment!.Trim(), CreatedUtc = now });
        else if (!string.IsNullOrWhiteSpace(comment))
            db.Comments.Add(new PostComment { PostId = post.Id, AuthorId = actor.UserId, Author = actor.Name, Kind = CommentKind.Comment, Text = comment.Trim(), CreatedUtc = now });

        if (to is PostState.InReview or PostState.Draft or PostState.Idea) post.Approvals = 0;
        var changes = new List<PostChange> { new("state", from.ToString(), target.ToString()) };
        if (target == from) changes = [new PostChange("approval", post.Approvals.ToString(System.Globalization.CultureInfo.InvariantCulture), null)];
        post.State = target;
        return await SaveAsync(post, actor, changes, ct, PostEvents.OfTransition(post, from, target, actor, changesRequested, comment?.Trim()));
    }

    /// <summary>Adds a comment by someone who writes or approves posts; the members it @mentions (by first name or e-mail) are told.</summary>
    public async Task<PostOutcome> CommentAsync(Guid id, string? text, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Write.Name) && !actor.Holds(CalendarPermissions.Approve.Name))
            return PostOutcome.Forbidden("comment", "You may not comment on posts in this workspace.");
        var post = await FindAsync(id, ct);
        if (post is null) return PostOutcome.NotFound;
        if (string.IsNullOrWhiteSpace(text)) return PostOutcome.Refused(new Problem("comment", "Write your comment first."));
        if (text.Length > 4000) return PostOutcome.Refused(new Problem("comment", "A comment is at most {0} characters long.", 4000));

        var comment = new PostComment { Id = Guid.NewGuid(), PostId = id, AuthorId = actor.UserId, Author = actor.Name, Kind = CommentKind.Comment, Text = text.Trim(), CreatedUtc = clock.GetCurrentInstant().ToDateTimeUtc() };
        var mentioned = Mentions.Resolve(comment.Text, await members.ListAsync(workspace.Required.Id, ct)).Where(u => u != actor.UserId).ToList();
        db.Comments.Add(comment);
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.SaveChangesAsync(ct);
        await events.RaiseAsync(new PostCommented(id, PostEvents.Excerpt(post.Text), comment.Id, actor.UserId, actor.Name, comment.Text, mentioned), ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return PostOutcome.Saved(post);
    }

    /// <summary>
    /// Puts a post straight into the state a recipe writes, without the workflow's steps (a system actor only: people
    /// go through <see cref="TransitionAsync"/>); approved and scheduled still need their gates.
    /// </summary>
    public async Task<PostOutcome> RestoreStateAsync(Guid id, int basedOn, PostState to, PostActor actor, CancellationToken ct = default)
    {
        if (actor.UserId is not null) return PostOutcome.Forbidden("state", "Only a recipe sets a post's state directly.");
        var post = await db.Posts.Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (post is null) return PostOutcome.NotFound;
        if (post.Version != basedOn) return PostOutcome.Conflict(post);
        if (post.State == to) return PostOutcome.Saved(post);
        if (to is PostState.Approved or PostState.Scheduled && (await GatesAsync(post, to, ct)) is { Count: > 0 } blocked)
            return new PostOutcome(null, blocked);
        var changes = new List<PostChange> { new("state", post.State.ToString(), to.ToString()) };
        post.State = to;
        post.Approvals = 0;
        return await SaveAsync(post, actor, changes, ct);
    }

    /// <summary>Deletes a post that never went out (a published one is archived instead, to keep its record).</summary>
    public async Task<PostOutcome> DeleteAsync(Guid id, int basedOn, PostActor actor, CancellationToken ct = default)
    {
        var post = await db.Posts.Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (post is null) return PostOutcome.NotFound;
        if (post.Version != basedOn) return PostOutcome.Conflict(post);
        if (!actor.Holds(PostStates.Approved.Contains(post.State) ? CalendarPermissions.Schedule.Name : CalendarPermissions.Write.Name))
            return PostOutcome.Forbidden(null, "You may not delete this post.");
        if (post.State == PostState.Published)
            return PostOutcome.Refused(new Problem(null, "A published post cannot be deleted; archive it instead."));
        db.Posts.Remove(post);
        await db.Revisions.Where(r => r.PostId == id).ExecuteDeleteAsync(ct);
        await db.Comments.Where(c => c.PostId == id).ExecuteDeleteAsync(ct);
        await db.SaveChangesAsync(ct);
        return PostOutcome.Saved(post);
    }

    /// <summary>
    /// What publishing says of a scheduled post (a system actor only): a one-off post becomes Published, or Failed with
    /// the network's message in its history; a recurring post stays scheduled (each occurrence has its own log).
    /// </summary>
    public async Task<PostOutcome> RecordPublishingAsync(Guid id, bool published, string? message, PostActor actor, CancellationToken ct = default)
    {
        if (actor.UserId is not null) return PostOutcome.Forbidden("state", "Only publishing marks a post published or failed.");
        var post = await db.Posts.Include(p => p.Variants).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (post is null) return PostOutcome.NotFound;
        var to = published ? PostState.Published : PostState.Failed;
        // A failure stays visible: a later success on another channel does not hide it.
        if (post.Recurrence is not null || post.State == to || post.State is not (PostState.Scheduled or PostState.Published or PostState.Failed)
            || (published && post.State == PostState.Failed)) return PostOutcome.Saved(post);
        var changes = new List<PostChange> { new("state", post.State.ToString(), to.ToString()) };
        post.State = to;
        if (!published && !string.IsNullOrWhiteSpace(message))
            db.Comments.Add(new PostComment { PostId = post.Id, AuthorId = null, Author = actor.Name, Kind = CommentKind.Comment,
                Text = message.Length > 4000 ? message[..4000] : message, CreatedUtc = clock.GetCurrentInstant().ToDateTimeUtc() });
        return await SaveAsync(post, actor, changes, ct);
    }

    /// <summary>A page of the workspace's posts, latest start first (the backlog last): the API's list.</summary>
    /// <param name="from">First local day of the start, inclusive; <paramref name="to"/> exclusive.</param>
    public async Task<(IReadOnlyList<Post> Posts, int Total)> PageAsync(PostState? state, LocalDate? from, LocalDate? to, int page, int size, CancellationToken ct = default)
    {
        var query = db.Posts.AsNoTracking().AsQueryable();
        if (state is { } only) query = query.Where(p => p.State == only);
        // StartsLocal is "yyyy-MM-ddTHH:mm": comparing the text compares the wall-clock times.
        if (from is { } first) { var bound = PostRules.Format(first); query = query.Where(p => p.StartsLocal != null && p.StartsLocal.CompareTo(bound) >= 0); }
        if (to is { } end) { var bound = PostRules.Format(end); query = query.Where(p => p.StartsLocal != null && p.StartsLocal.CompareTo(bound) < 0); }
        var total = await query.CountAsync(ct);
        var posts = await query.Include(p => p.Variants).OrderBy(p => p.StartsLocal == null).ThenByDescending(p => p.StartsLocal).ThenBy(p => p.Id)
            .Skip((page - 1) * size).Take(size).AsSplitQuery().ToListAsync(ct);
        return (posts, total);
    }

    public async Task<IReadOnlyList<PostRevision>> HistoryAsync(Guid id, CancellationToken ct = default) =>
        await db.Revisions.AsNoTracking().Where(r => r.PostId == id).OrderByDescending(r => r.Version).ThenByDescending(r => r.CreatedUtc).ToListAsync(ct);

    public async Task<IReadOnlyList<PostComment>> CommentsAsync(Guid id, CancellationToken ct = default) =>
        await db.Comments.AsNoTracking().Where(c => c.PostId == id).OrderBy(c => c.CreatedUtc).ToListAsync(ct);

    /// <summary>The post as the input that would save it unchanged (campaigns by slug): edit forms and moves start from it.</summary>
    public PostInput InputOf(Post post, string? campaignSlug = null) => new()
    {
        Text = post.Text,
        Networks = post.Variants.OrderBy(v => v.Position).Select(v => v.Network).ToList(),
        Variants = post.Variants.Where(v => v.Text is not null || v.Link is not null || v.Media is not null || v.AcknowledgedWarnings is not null || v.Thread is not null)
            .ToDictionary(v => v.Network, v => new VariantInput(v.Text, v.Link, v.Media is null ? null : PostRules.SplitIds(v.Media),
                v.AcknowledgedWarnings?.Split('\n', StringSplitOptions.RemoveEmptyEntries), v.Thread is null ? null : PostThread.Parse(v.Thread))),
        StartsAt = post.StartsLocal,
        Recurrence = post.Recurrence,
        SkippedDates = PostRules.Split(post.SkippedDates),
        Pillar = post.Pillar,
        Campaign = campaignSlug ?? CampaignSlug(post.CampaignId),
        KeyDate = post.KeyDate,
        Persona = post.Persona,
        AssigneeId = post.AssigneeId,
        Labels = PostRules.Split(post.Labels),
        Notes = post.Notes,
        Evergreen = post.Evergreen,
        Media = PostRules.SplitIds(post.Media),
        Channels = PostRules.SplitIds(post.Channels),
    };

    private string? CampaignSlug(Guid? id) => id is null ? null : db.Campaigns.AsNoTracking().Where(c => c.Id == id).Select(c => c.Slug).FirstOrDefault();

    private static string? PermissionFor(PostState from, PostState to, ApprovalMode mode) => PostStates.PermissionFor(from, to, mode);

    private async Task<Guid?> LastApproverAsync(Guid postId, CancellationToken ct) =>
        await db.Comments.AsNoTracking().Where(c => c.PostId == postId && c.Kind == CommentKind.Approval)
            .OrderByDescending(c => c.CreatedUtc).Select(c => c.AuthorId).FirstOrDefaultAsync(ct);

    /// <summary>Saves the post with its revision, and raises <paramref name="raised"/> in the same transaction (no event of a change that did not happen).</summary>
    private async Task<PostOutcome> SaveAsync(Post post, PostActor actor, List<PostChange> changes, CancellationToken ct, IReadOnlyList<object>? raised = null)
    {
        post.Version++;
        post.UpdatedUtc = clock.GetCurrentInstant().ToDateTimeUtc();
        AddRevision(post, actor, changes);
        try
        {
            await using var transaction = raised is { Count: > 0 } && db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            await db.SaveChangesAsync(ct);
            foreach (var moduleEvent in raised ?? []) await events.RaiseAsync(moduleEvent, ct);
            if (transaction is not null) await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return PostOutcome.Conflict((await FindAsync(post.Id, ct))!);
        }
        return PostOutcome.Saved(post);
    }

    private void AddRevision(Post post, PostActor actor, IEnumerable<PostChange> changes) =>
        db.Revisions.Add(new PostRevision
        {
            PostId = post.Id, Version = post.Version, CreatedUtc = clock.GetCurrentInstant().ToDateTimeUtc(),
            AuthorId = actor.UserId, Author = actor.Name.Length > 256 ? actor.Name[..256] : actor.Name, Changes = PostChanges.Serialize(changes),
        });

    /// <summary>Validates <paramref name="input"/> and copies it onto <paramref name="post"/>; returns the problems (the post is then left as it was read).</summary>
    private async Task<List<Problem>> ApplyAsync(Post post, PostInput input, bool startChanged, CancellationToken ct, PostImportContext? import = null)
    {
        var zone = Zone;
        var vocabulary = await VocabularyAsync(input, import, ct);
        var problems = PostRules.Check(input, vocabulary, zone).ToList();
        var start = PostRules.ParseStart(input.StartsAt);
        // A running series keeps its past start when its text or rule is edited; a new or moved date must be to come.
        if (problems.Count == 0 && startChanged && start is { } local && post.State is not (PostState.Published or PostState.Failed)
            && zone.AtLeniently(local).ToInstant() < clock.GetCurrentInstant())
            problems.Add(new Problem("startsAt", "{0} is already past. Choose a later date and time.", local.ToDateTimeUnspecified()));
        if (problems.Count > 0) return problems;

        post.Text = input.Text.Trim();
        if (input.Slug is not null) post.Slug = input.Slug;
        post.StartsLocal = start is null ? null : PostRules.Format(start.Value);
        post.Recurrence = start is null ? null : Blank(input.Recurrence)?.ToUpperInvariant();
        post.SkippedDates = post.Recurrence is null ? null : Blank(PostRules.Join(input.SkippedDates.Select(d => PostRules.Format(PostRules.ParseDay(d)!.Value)).Distinct().Order()));
        (post.StartsUtc, post.EndsUtc) = Span(post, zone);
        post.Pillar = vocabulary.Plan.Pillar(input.Pillar)?.Name;
        post.CampaignId = input.Campaign is not { Length: > 0 } slug ? null
            : import?.Campaigns is { } campaignIds ? (campaignIds.TryGetValue(slug, out var campaignId) ? campaignId : null)
            : await db.Campaigns.Where(c => c.Slug == slug).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        post.KeyDate = Blank(input.KeyDate);
        post.Persona = vocabulary.Plan.Personas.FirstOrDefault(p => string.Equals(p.Name, input.Persona, StringComparison.OrdinalIgnoreCase))?.Name;
        post.AssigneeId = input.AssigneeId;
        post.Labels = Blank(PostRules.Join(input.Labels.Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)));
        post.Notes = Blank(input.Notes?.Trim());
        post.Evergreen = input.Evergreen;
        post.Media = Blank(PostRules.Join(input.Media.Select(m => m.ToString())));
        post.Channels = Blank(PostRules.Join(input.Channels.Distinct().Select(c => c.ToString())));

        var position = 0;
        var kept = new List<PostVariant>();
        foreach (var network in input.Networks)
        {
            var variant = post.Variants.FirstOrDefault(v => v.Network == network);
            if (variant is null)
            {
                variant = new PostVariant { Id = Guid.NewGuid(), PostId = post.Id, Network = network };
                post.Variants.Add(variant);
            }
            var given = input.Variants.GetValueOrDefault(network);
            // A variant identical to the main text follows it again, so later edits of the main text reach it.
            variant.Text = given?.Text is { } own && own.Trim() != post.Text ? own.Trim() : null;
            variant.Link = Blank(given?.Link?.Trim());
            variant.Media = given?.Media is { } media ? PostRules.Join(media.Select(m => m.ToString())) : null;
            variant.AcknowledgedWarnings = given?.AcknowledgedWarnings is { Count: > 0 } acknowledged ? string.Join('\n', acknowledged.Distinct()) : null;
            variant.Thread = PostThread.Serialize(given?.Thread);
            variant.Position = position++;
            kept.Add(variant);
        }
        foreach (var gone in post.Variants.Except(kept).ToList()) post.Variants.Remove(gone);
        post.Networks = Blank(PostRules.Join(kept.Select(v => v.Network)));
        return problems;
    }

    /// <summary>The names a post may use (pillars, campaigns, key dates, members, images): read for this post, or once for a file's lines.</summary>
    private async Task<PostVocabulary> VocabularyAsync(PostInput input, PostImportContext? import, CancellationToken ct)
    {
        var plan = await PlanAsync(import, ct);
        IReadOnlySet<string> campaigns = input.Campaign is not { Length: > 0 } ? new HashSet<string>()
            : import is null ? (await db.Campaigns.AsNoTracking().Select(c => c.Slug).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal)
            : (import.Campaigns ??= await db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Slug, c => c.Id, StringComparer.Ordinal, ct)).Keys.ToHashSet(StringComparer.Ordinal);
        IReadOnlySet<string> dates = input.KeyDate is not { Length: > 0 } ? new HashSet<string>()
            : import is null ? await KeyDateIdsAsync(ct)
            : import.KeyDates ??= await KeyDateIdsAsync(ct);
        IReadOnlySet<Guid> memberIds = input.AssigneeId is null ? new HashSet<Guid>()
            : import is null ? await MemberIdsAsync(ct)
            : import.Members ??= await MemberIdsAsync(ct);
        var mediaIds = input.Media.Concat(input.Variants.Values.SelectMany(v => v.Media ?? [])).Distinct().ToList();
        var media = mediaIds.Count > 0 ? (await MediaAsync(mediaIds, import, ct)).Keys.ToHashSet() : new HashSet<Guid>();
        return new PostVocabulary(plan, campaigns, dates, memberIds, media);
    }

    private async Task<HashSet<string>> KeyDateIdsAsync(CancellationToken ct) =>
        (await keyDates.ListAsync(ct)).Select(k => k.Id).ToHashSet(StringComparer.Ordinal);

    private async Task<HashSet<Guid>> MemberIdsAsync(CancellationToken ct) =>
        (await members.ListAsync(workspace.Required.Id, ct)).Select(m => m.UserId).ToHashSet();

    private async Task<EditorialPlan> PlanAsync(PostImportContext? import, CancellationToken ct) =>
        import is null ? await plans.CurrentAsync(ct) : import.Plan ??= await plans.CurrentAsync(ct);

    /// <summary>The workspace's images among <paramref name="ids"/>; for a file's lines, each image read once.</summary>
    private async Task<Dictionary<Guid, MediaItem>> MediaAsync(IReadOnlyList<Guid> ids, PostImportContext? import, CancellationToken ct)
    {
        var missing = import is null ? ids : ids.Where(id => !import.Media.ContainsKey(id)).ToList();
        var read = missing.Count == 0 ? [] : await db.Media.AsNoTracking().Where(m => missing.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        if (import is null) return read;
        foreach (var id in missing) import.Media[id] = read.GetValueOrDefault(id);
        return ids.Select(id => import.Media[id]).OfType<MediaItem>().ToDictionary(m => m.Id);
    }

    /// <summary>
    /// What must hold before a post is approved or scheduled: networks, no variant too long for its network, alt text
    /// on every image, and for scheduling a date to come.
    /// </summary>
    public async Task<List<Problem>> GatesAsync(Post post, PostState to, CancellationToken ct = default, PostImportContext? import = null)
    {
        var problems = new List<Problem>();
        if (post.Variants.Count == 0) problems.Add(new Problem("networks", "Choose at least one network before the post is approved or scheduled."));
        var plan = await PlanAsync(import, ct);
        var channels = PostRules.SplitIds(post.Channels);
        var mediaIds = PostRules.SplitIds(post.Media).Concat(post.Variants.SelectMany(v => PostRules.SplitIds(v.Media))).Distinct().ToList();
        var media = mediaIds.Count == 0 ? [] : await MediaAsync(mediaIds, import, ct);
        var article = ArticleAddress(post);
        foreach (var variant in post.Variants.OrderBy(v => v.Position))
        {
            // The workspace's limits: a connected Mastodon instance's own length and images, else the catalogue's.
            var rules = await limits.ForAsync(variant.Network, channels, ct);
            var network = rules.Network;
            // A teaser's {article} is counted as the article's address, as the network will count it.
            var text = ArticleLink.ForCounting(variant.Text ?? post.Text, article);
            problems.AddRange(rules.ImageProblems(ImagesOf(PostRules.SplitIds(variant.Media ?? post.Media), media), "media"));
            if (NetworkTextLength.Limit(network, plan.Network(network.Id)?.MaxLength) is not { } limit) continue;
            var length = NetworkTextLength.Count(network, text);
            if (length > limit)
                problems.Add(new Problem($"variants.{network.Id}.text",
                    "The {0} text is {1} characters long, as {0} counts them; the limit is {2}. It goes beyond from character {3}: shorten it.",
                    network.Name, length, limit, (NetworkTextLength.FirstBeyond(network, text, limit) ?? 0) + 1));
            // Each part of a thread is a post of its own on the network: each is counted against the limit.
            var thread = PostThread.Parse(variant.Thread);
            for (var i = 0; i < thread.Count; i++)
                if (NetworkTextLength.Count(network, thread[i]) is var partLength && partLength > limit)
                    problems.Add(new Problem($"variants.{network.Id}.thread",
                        "Part {0} of the {1} thread is {2} characters long, as {1} counts them; the limit is {3}. It goes beyond from character {4}: shorten it.",
                        i + 2, network.Name, partLength, limit, (NetworkTextLength.FirstBeyond(network, thread[i], limit) ?? 0) + 1));
        }
        foreach (var image in media.Values.Where(m => string.IsNullOrEmpty(m.AltText)))
            problems.Add(new Problem("media", "Describe the image “{0}” (its alt text, for people who cannot see it) before the post is approved.", image.FileName));
        if (to == PostState.Scheduled)
        {
            if (post.StartsLocal is null) problems.Add(new Problem("startsAt", "Give the post a date and time before scheduling it."));
            else if (Blank(post.Recurrence) is null && post.StartsUtc is { } at && at < clock.GetCurrentInstant().ToDateTimeUtc())
                problems.Add(new Problem("startsAt", "{0} is already past. Choose a later date and time.",
                    PostRules.ParseStart(post.StartsLocal)!.Value.ToDateTimeUnspecified()));
        }
        return problems;
    }

    /// <summary>
    /// What the workspace's limits for a network say of a variant's images (too many, too large, a type refused): the
    /// rule <see cref="GatesAsync"/> applies at approval, for the editor's live check.
    /// </summary>
    public async Task<(NetworkRules Rules, IReadOnlyList<Problem> Problems)> ImageCheckAsync(string networkId, IReadOnlyList<Guid> mediaIds,
        IReadOnlyCollection<Guid> channels, CancellationToken ct = default)
    {
        var rules = await limits.ForAsync(networkId, channels, ct);
        if (mediaIds.Count == 0) return (rules, []);
        var media = await db.Media.AsNoTracking().Where(m => mediaIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        return (rules, rules.ImageProblems(ImagesOf(mediaIds, media), "media").ToList());
    }

    /// <summary>The images of a variant, in order, as the network limits see them.</summary>
    internal static IReadOnlyList<ImageFacts> ImagesOf(IEnumerable<Guid> ids, IReadOnlyDictionary<Guid, MediaItem> media) =>
        ids.Select(id => media.GetValueOrDefault(id)).OfType<MediaItem>().Select(m => new ImageFacts(m.FileName, m.ContentType, m.Size)).ToList();

    /// <summary>The address the post's article will likely have (for counting {article} in its teasers); see <see cref="ArticleLink.Estimate"/>.</summary>
    public string ArticleAddress(Post post) =>
        ArticleLink.Estimate(urls.SiteBase(workspace.Required), post.Variants.FirstOrDefault(v => v.Network == ArticleLink.Network) is { } blog ? blog.Text ?? post.Text : post.Text);

    /// <summary>The instants of a post's first and last occurrences (the last null when a series never ends).</summary>
    public static (DateTime? Start, DateTime? End) Span(Post post, DateTimeZone zone)
    {
        if (PostRules.ParseStart(post.StartsLocal) is not { } local) return (null, null);
        var skipped = PostRules.Split(post.SkippedDates).Select(PostRules.ParseDay).OfType<LocalDate>();
        if (post.Recurrence is null || !RecurrenceRule.TryParse(post.Recurrence, out var rule, out _))
        {
            var at = zone.AtLeniently(local).ToInstant().ToDateTimeUtc();
            return (at, at);
        }
        var occurrences = new Occurrences(rule, local, zone, skipped);
        var first = occurrences.Next(zone.AtLeniently(local).ToInstant().Minus(Duration.FromDays(1)), 1).FirstOrDefault();
        var start = first == default ? zone.AtLeniently(local).ToInstant() : first.ToInstant();
        return (start.ToDateTimeUtc(), occurrences.LastInstant()?.ToDateTimeUtc());
    }

    private static string? Start(PostInput input) => PostRules.ParseStart(input.StartsAt) is { } s ? PostRules.Format(s) : Blank(input.StartsAt);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
