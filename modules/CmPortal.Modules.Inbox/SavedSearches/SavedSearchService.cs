using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Search;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.Inbox.SavedSearches;

/// <summary>A saved search as a member sees it, with how many mentions still new match it now.</summary>
internal sealed record SavedSearchItem(SavedSearch Search, bool Mine, int NewCount, bool NewCountIsAtLeast);

/// <summary>
/// Saved searches: a member saves, renames and deletes their own; sharing one with the workspace (and renaming or
/// deleting a shared one) needs Inbox.Manage. Each is listed with its count of mentions in the "new" status, counted
/// with the search's own index (capped like the list's count).
/// </summary>
internal sealed class SavedSearchService(InboxDbContext db, MentionSearch search, WorkspaceContext workspace, TimeProvider clock)
{
    /// <summary>A member keeps at most this many; the list beside the search box stays short.</summary>
    public const int MaxPerMember = 30;
    /// <summary>The query string's parameters a saved search keeps (paging is left out: a saved search starts at the top).</summary>
    public static readonly string[] Parameters = ["q", "source", "sentiment", "status", "assignee", "label", "language", "from", "to", "sort", "query", "hidden"];

    /// <summary>The member's own searches and the workspace's shared ones, by name, each with its count of new mentions.</summary>
    public async Task<IReadOnlyList<SavedSearchItem>> ListAsync(Guid memberId, Func<string, MentionFilter?> filterOf, CancellationToken ct = default)
    {
        var searches = await db.SavedSearches.AsNoTracking().Where(s => s.OwnerId == memberId || s.Shared)
            .OrderBy(s => s.Name).ThenBy(s => s.Id).Take(MaxPerMember * 3).ToListAsync(ct);
        var items = new List<SavedSearchItem>(searches.Count);
        foreach (var saved in searches)
        {
            var (count, atLeast) = filterOf(saved.Query) is { } filter ? await search.CountAsync(filter with { Status = MentionStatus.New }, ct) : (0, false);
            items.Add(new SavedSearchItem(saved, saved.OwnerId == memberId, count, atLeast));
        }
        return items;
    }

    public async Task<(SavedSearch? Saved, IReadOnlyList<Problem> Problems)> SaveAsync(Guid memberId, string? name, string? query, bool shared, bool canManage, CancellationToken ct = default)
    {
        name = name?.Trim() ?? "";
        var problems = CheckName(name);
        query = (query ?? "").TrimStart('?');
        if (query.Length > SavedSearch.MaxQuery) problems.Add(new Problem("query", "This search is too long to save."));
        if (shared && !canManage) problems.Add(new Problem("shared", "Sharing a search with the workspace needs the right to set up listening."));
        if (problems.Count == 0 && await db.SavedSearches.CountAsync(s => s.OwnerId == memberId, ct) >= MaxPerMember)
            problems.Add(new Problem("name", "You have {0} saved searches already: delete one first.", MaxPerMember));
        if (problems.Count > 0) return (null, problems);
        var saved = new SavedSearch
        {
            WorkspaceId = workspace.Required.Id, OwnerId = memberId, Name = name, Query = query, Shared = shared, CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(saved);
        await db.SaveChangesAsync(ct);
        return (saved, []);
    }

    /// <summary>Renames a saved search: the owner's own, or a shared one by a member who may manage the inbox. Null when not found (or not theirs).</summary>
    public async Task<IReadOnlyList<Problem>?> RenameAsync(long id, Guid memberId, bool canManage, string? name, CancellationToken ct = default)
    {
        if (await EditableAsync(id, memberId, canManage, ct) is not { } saved) return null;
        name = name?.Trim() ?? "";
        var problems = CheckName(name);
        if (problems.Count > 0) return problems;
        saved.Name = name;
        saved.Version++;
        await db.SaveChangesAsync(ct);
        return [];
    }

    /// <summary>Deletes a saved search (same rights as renaming); false when not found.</summary>
    public async Task<bool> DeleteAsync(long id, Guid memberId, bool canManage, CancellationToken ct = default)
    {
        if (await EditableAsync(id, memberId, canManage, ct) is not { } saved) return false;
        db.Remove(saved);
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task<SavedSearch?> EditableAsync(long id, Guid memberId, bool canManage, CancellationToken ct)
    {
        var saved = await db.SavedSearches.FirstOrDefaultAsync(s => s.Id == id, ct);
        return saved is not null && (saved.OwnerId == memberId || (saved.Shared && canManage)) ? saved : null;
    }

    private static List<Problem> CheckName(string name) =>
        name.Length is 0 or > SavedSearch.MaxName ? [new Problem("name", "Give the search a name (up to {0} characters).", SavedSearch.MaxName)] : [];
}
