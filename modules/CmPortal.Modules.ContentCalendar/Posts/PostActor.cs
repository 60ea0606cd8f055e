using System.Security.Claims;
using CmPortal.Core.Security;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>Who acts on a post, and what they may do in the workspace: the service checks it, whoever calls it.</summary>
/// <param name="Name">As the post's history shows it.</param>
internal sealed record PostActor(Guid? UserId, string Name, WorkspaceAccess Access)
{
    /// <summary>A recipe or a command run by an administrator of the host: every permission.</summary>
    public static PostActor System(string name) => new(null, name, new WorkspaceAccess(true, true, new HashSet<string>()));

    public bool Holds(string permission) => Access.Holds(permission);

    /// <summary>
    /// A recipe restores posts as they were planned, dates already past included (an export applied a month later, a
    /// copy of a brand): the rule "a new date must be to come" is for people choosing a date, not for such restores.
    /// </summary>
    public bool KeepsPastDates { get; init; }

    /// <summary>The actor of recipe steps: every permission, past dates kept.</summary>
    public static PostActor Recipe() => System(RecipeName) with { KeepsPastDates = true };

    /// <summary>The names of the portal's own actors, stored in English in a post's history and translated when shown.</summary>
    public const string RecipeName = "Recipe", PublishingName = "Publishing";

    /// <summary>Whether a history entry's author (without a member's id) is one of the portal's own actors.</summary>
    public static bool IsSystemName(string author) => author is RecipeName or PublishingName;

    public static async Task<PostActor> ForAsync(ClaimsPrincipal user, PermissionService permissions, Core.Workspaces.Workspace workspace, CancellationToken ct = default)
    {
        var access = await permissions.AccessAsync(user, workspace, ct);
        var name = user.FindFirstValue(ClaimTypes.GivenName) ?? user.Identity?.Name ?? "";
        return new PostActor(PermissionService.UserId(user), name, access);
    }
}
