using CmPortal.Core.Localization;
using CmPortal.Core.Networks;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.KeyDates.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>The posts: the list by state (the backlog among them), the editor, state changes and history.</summary>
[Route("admin/{workspace}/posts")]
[RequirePermission("ContentCalendar.View")]
internal sealed class PostsAdminController(
    PostService posts, OccurrenceService occurrences, PostLists lists, WorkspaceContext workspace, PermissionService permissions, MembershipService members,
    IEditorialPlan plans, IKeyDateCalendar keyDates, ReviewQueue reviewQueue, INetworkLimits limits, Core.Admin.AdminPanels panels, IStringLocalizer<PostsAdminController> T) : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/posts";

    [HttpGet("")]
    public async Task<IActionResult> Index(string? view, CancellationToken ct)
    {
        var list = PostListNames.Parse(view);
        var rows = await lists.ListAsync(list, ct);
        // An approver's "to review" is their queue: what they may approve now (others see every post in review).
        var actor = await ActorAsync(ct);
        if (actor.Holds(CalendarPermissions.Approve.Name))
        {
            var queue = await reviewQueue.ForAsync(actor, ct);
            ViewData["ReviewCount"] = queue.Count;
            if (list == PostList.ToReview) rows = queue.ToList();
        }
        ViewData["Counts"] = await lists.CountsByStateAsync(ct);
        ViewData["Backlog"] = await lists.BacklogCountAsync(ct);
        ViewData["List"] = list;
        ViewData["CanWrite"] = (await ActorAsync(ct)).Holds(CalendarPermissions.Write.Name);
        return View(rows);
    }

    [HttpGet("new")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Create(string? start, bool idea, CancellationToken ct)
    {
        var form = PostForm.New(start);
        if (idea) form.State = PostState.Idea;
        var plan = await plans.CurrentAsync(ct);
        // The editorial line's networks, but not the blog: ticking it makes the post an article whose other variants
        // wait for it as teasers, a choice the author makes, never a default.
        form.Networks = plan.Networks.Select(n => n.Id).Where(id => id != ArticleLink.Network).ToList();
        return await EditorAsync(form, null, ct);
    }

    [HttpPost("new")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Create(PostForm form, CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        var outcome = await posts.CreateAsync(form.ToInput(), form.State is PostState.Idea ? PostState.Idea : PostState.Draft, actor, ct);
        if (!outcome.Succeeded) return await RefusedAsync(form, null, outcome, ct);
        TempData["Message"] = T["Post saved."].Value;
        return Redirect($"{Base}/{outcome.Post!.Id}");
    }

    [HttpGet("{key:guid}")]
    public async Task<IActionResult> Edit(Guid key, string? occurrence, CancellationToken ct)
    {
        var post = await posts.FindAsync(key, ct);
        if (post is null) return NotFound();
        var form = PostForm.From(post, posts.InputOf(post));
        // One date of a recurring post: the editor asks what the edit applies to, the date fields showing that date.
        if (PostRules.ParseDay(occurrence) is { } day && occurrences.IsOccurrence(post, day))
        {
            ViewData["Occurrence"] = PostRules.Format(day);
            form.Date = PostRules.Format(day);
        }
        return await EditorAsync(form, post, ct);
    }

    /// <summary>Saves an edit of one date of a recurring post: that date alone, that date and the later ones, or all.</summary>
    [HttpPost("{key:guid}/occurrence")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Occurrence(Guid key, string? occurrence, OccurrenceScope scope, PostForm form, CancellationToken ct)
    {
        var series = await posts.FindAsync(key, ct);
        if (series is null) return NotFound();
        if (PostRules.ParseDay(occurrence) is not { } day) return BadRequest();
        var actor = await ActorAsync(ct);
        var input = form.ToInput();
        var outcome = scope switch
        {
            OccurrenceScope.This => await occurrences.DetachAsync(key, form.Version, day, input, actor, ct),
            OccurrenceScope.ThisAndFollowing => await occurrences.SplitAsync(key, form.Version, day, input, actor, ct),
            // The whole series keeps its first date; only the time of day can change from here.
            _ => await posts.UpdateAsync(key, form.Version, input with { StartsAt = $"{series.StartsLocal![..10]}T{input.StartsAt?[11..] ?? series.StartsLocal[11..]}" }, actor, ct),
        };
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsForbidden) return Forbid();
        if (!outcome.Succeeded)
        {
            ViewData["Occurrence"] = PostRules.Format(day);
            return await RefusedAsync(form, outcome.IsConflict ? outcome.Post : series, outcome, ct);
        }
        TempData["Message"] = scope switch
        {
            OccurrenceScope.This => T["The post of {0} now has its own text and time; the series skips that date.", PortalValues.Date(day.ToDateOnly())].Value,
            OccurrenceScope.ThisAndFollowing => T["From {0} on, the post follows a new series with your changes.", PortalValues.Date(day.ToDateOnly())].Value,
            _ => T["Post saved."].Value,
        };
        return Redirect($"{Base}/{outcome.Post!.Id}");
    }

    /// <summary>Skips one date of a recurring post.</summary>
    [HttpPost("{key:guid}/occurrence/skip")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> SkipOccurrence(Guid key, int version, string? occurrence, CancellationToken ct)
    {
        // An unknown post is 404 whatever the date asked (another workspace's post does not exist here).
        if (await posts.FindAsync(key, ct) is null) return NotFound();
        if (PostRules.ParseDay(occurrence) is not { } day) return BadRequest();
        var outcome = await occurrences.SkipAsync(key, version, day, await ActorAsync(ct), ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsForbidden) return Forbid();
        TempData[outcome.Succeeded ? "Message" : "Error"] = outcome.Succeeded
            ? T["The post will not go out on {0}.", PortalValues.Date(day.ToDateOnly())].Value
            : string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect($"{Base}/{key}");
    }

    [HttpPost("{key:guid}")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Edit(Guid key, PostForm form, CancellationToken ct)
    {
        var outcome = await posts.UpdateAsync(key, form.Version, form.ToInput(), await ActorAsync(ct), ct);
        if (outcome.IsNotFound) return NotFound();
        if (!outcome.Succeeded) return await RefusedAsync(form, outcome.IsConflict ? outcome.Post : await posts.FindAsync(key, ct), outcome, ct);
        TempData["Message"] = outcome.Post!.State == PostState.InReview && form.State != PostState.InReview
            ? T["Post saved. Its content changed after approval: it is back in review."].Value
            : T["Post saved."].Value;
        return Redirect($"{Base}/{key}");
    }

    [HttpPost("{key:guid}/state")]
    [RequirePermission("ContentCalendar.View")] // the service checks the permission of the move asked for
    public async Task<IActionResult> State(Guid key, int version, PostState to, string? comment, CancellationToken ct)
    {
        var outcome = await posts.TransitionAsync(key, version, to, await ActorAsync(ct), comment, ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsForbidden) return Forbid();
        if (!outcome.Succeeded)
        {
            TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
            return Redirect($"{Base}/{key}");
        }
        TempData["Message"] = T["The post is now “{0}”.", T.Declared(StateNames.Of(outcome.Post!.State)).Value].Value;
        return Redirect($"{Base}/{key}");
    }

    [HttpPost("{key:guid}/delete")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Delete(Guid key, int version, CancellationToken ct)
    {
        var outcome = await posts.DeleteAsync(key, version, await ActorAsync(ct), ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsForbidden) return Forbid();
        if (!outcome.Succeeded)
        {
            TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
            return Redirect($"{Base}/{key}");
        }
        TempData["Message"] = T["Post deleted."].Value;
        return Redirect(Base);
    }

    private Task<PostActor> ActorAsync(CancellationToken ct) => PostActor.ForAsync(User, permissions, workspace.Required, ct);

    private async Task<IActionResult> RefusedAsync(PostForm form, Post? current, PostOutcome outcome, CancellationToken ct)
    {
        foreach (var problem in outcome.Problems) ModelState.AddModelError(FormKey(problem.Field), T.Problem(problem).Value);
        if (outcome.IsConflict && current is not null)
        {
            ViewData["Theirs"] = current;
            form.Version = current.Version; // saving again overwrites theirs knowingly
        }
        Response.StatusCode = outcome.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        return await EditorAsync(form, current, ct);
    }

    /// <summary>The form's input for a problem's field ("variants.x.text" → "Variants[x].Text", "startsAt" → "Date").</summary>
    private static string FormKey(string? field) => field switch
    {
        null or "" => "",
        "startsAt" => nameof(PostForm.Date),
        "assigneeId" => nameof(PostForm.AssigneeId),
        _ when field.StartsWith("variants.", StringComparison.Ordinal) && field.Split('.') is { Length: 3 } parts =>
            $"Variants[{parts[1]}].{char.ToUpperInvariant(parts[2][0])}{parts[2][1..]}",
        _ => char.ToUpperInvariant(field[0]) + field[1..],
    };

    private async Task<IActionResult> EditorAsync(PostForm form, Post? post, CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        var mode = await posts.ApprovalModeAsync(ct);
        var model = new PostEditorModel
        {
            Form = form,
            Post = post,
            Plan = await plans.CurrentAsync(ct),
            Networks = await NetworksAsync(form.Channels, ct),
            Campaigns = await lists.CampaignsAsync(ct),
            KeyDates = await keyDates.ListAsync(ct),
            Members = (await members.ListAsync(workspace.Required.Id, ct)).Select(m => new MemberChoice(m.UserId, m.User!.DisplayName)).ToList(),
            Media = await lists.MediaAsync(ct),
            NextStates = post is null ? [] : PostStates.Next(post.State, mode, actor.Holds).ToList(),
            CanWrite = actor.Holds(CalendarPermissions.Write.Name),
            CanComment = actor.Holds(CalendarPermissions.Write.Name) || actor.Holds(CalendarPermissions.Approve.Name),
            CanShare = actor.Holds(CalendarPermissions.Approve.Name),
            ApprovalMode = mode,
            History = post is null ? [] : await posts.HistoryAsync(post.Id, ct),
            Comments = post is null ? [] : await posts.CommentsAsync(post.Id, ct),
            Zone = workspace.Required.TimeZone,
            // What other modules show about the post (publishing: its deliveries), where they are on.
            Panels = post is null ? [] : await panels.ForAsync(User, workspace.Required, Contracts.PostEditorPanels.Place, post.Id, ct),
        };
        return View("Edit", model);
    }

    /// <summary>Each network as the workspace's limits count it (a connected Mastodon instance's length and link count).</summary>
    private async Task<IReadOnlyDictionary<string, SocialNetwork>> NetworksAsync(IReadOnlyCollection<Guid> channels, CancellationToken ct)
    {
        var networks = new Dictionary<string, SocialNetwork>();
        foreach (var network in SocialNetworks.All) networks[network.Id] = (await limits.ForAsync(network.Id, channels, ct)).Network;
        return networks;
    }
}

internal enum PostList { Planned, Backlog, Ideas, ToReview, Failed, Archived }

internal static class PostListNames
{
    public static PostList Parse(string? view) => view switch
    {
        "backlog" => PostList.Backlog,
        "ideas" => PostList.Ideas,
        "review" => PostList.ToReview,
        "failed" => PostList.Failed,
        "archived" => PostList.Archived,
        _ => PostList.Planned,
    };
}

internal sealed record MemberChoice(Guid UserId, string Name);

internal sealed class PostEditorModel
{
    public required PostForm Form { get; init; }
    public Post? Post { get; init; }
    public required EditorialPlan Plan { get; init; }

    /// <summary>The networks by id, with the length and link count that apply in this workspace.</summary>
    public IReadOnlyDictionary<string, SocialNetwork> Networks { get; init; } = new Dictionary<string, SocialNetwork>();
    public required IReadOnlyList<Campaign> Campaigns { get; init; }
    public required IReadOnlyList<KeyDateOccurrence> KeyDates { get; init; }
    public required IReadOnlyList<MemberChoice> Members { get; init; }
    public required IReadOnlyList<MediaItem> Media { get; init; }
    public required IReadOnlyList<PostState> NextStates { get; init; }
    public bool CanWrite { get; init; }
    public bool CanComment { get; init; }
    public bool CanShare { get; init; }
    public ApprovalMode ApprovalMode { get; init; }
    public required IReadOnlyList<PostRevision> History { get; init; }
    public required IReadOnlyList<PostComment> Comments { get; init; }
    public required string Zone { get; init; }
    public IReadOnlyList<Core.Admin.DashboardCard> Panels { get; init; } = [];
}

/// <summary>An image in the editor's picker (no item: the template for one uploaded from the editor).</summary>
internal sealed record MediaChoiceView(MediaItem? Item, string LibraryUrl, bool Chosen);
