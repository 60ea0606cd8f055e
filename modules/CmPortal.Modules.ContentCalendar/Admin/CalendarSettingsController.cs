using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.ContentCalendar.Settings;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>The calendar's settings: how posts are approved, and whether a preview link may approve.</summary>
[Route("admin/{workspace}/calendar/settings")]
[RequirePermission("ContentCalendar.Manage")]
internal sealed class CalendarSettingsController(CalendarSettingsService settings, WorkspaceContext workspace, PermissionService permissions,
    IStringLocalizer<CalendarSettingsController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await settings.GetAsync(ct));

    [HttpPost("")]
    public async Task<IActionResult> Index(ApprovalMode approval, bool externalApproval, CancellationToken ct)
    {
        var actor = await PostActor.ForAsync(User, permissions, workspace.Required, ct);
        var problems = await settings.SaveAsync(approval, externalApproval, actor, ct);
        if (problems.Count > 0)
        {
            foreach (var problem in problems) ModelState.AddModelError(problem.Field ?? "", T.Problem(problem).Value);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return View(new CalendarSettings { Approval = approval, ExternalApproval = externalApproval });
        }
        TempData["Message"] = T["Settings saved."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/calendar/settings");
    }
}
