using CmPortal.Core.Notifications;
using CmPortal.Core.Security;
using Microsoft.AspNetCore.Mvc;

namespace CmPortal.Web.Controllers;

/// <summary>
/// The signed-in user's own notifications, from every workspace they belong to: newest first, opened one by one
/// (marked read, then followed to the portal page they name) or all marked read at once.
/// </summary>
[Route("admin/notifications")]
[RequirePermission(CorePermissions.SignedIn)]
internal sealed class NotificationsController(NotificationInbox inbox) : Controller
{
    private Guid Me => PermissionService.UserId(User) ?? throw new InvalidOperationException("A signed-in user has an id.");

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await inbox.ListAsync(Me, ct));

    /// <summary>Someone else's notification (or a made-up id) answers 404, as if it did not exist.</summary>
    [HttpPost("{id:guid}/open")]
    public async Task<IActionResult> Open(Guid id, CancellationToken ct) =>
        await inbox.OpenAsync(Me, id, ct) is { } url ? LocalRedirect(url) : NotFound();

    [HttpPost("read")]
    public async Task<IActionResult> MarkAllRead(CancellationToken ct)
    {
        await inbox.MarkAllReadAsync(Me, ct);
        return Redirect("/admin/notifications");
    }
}
