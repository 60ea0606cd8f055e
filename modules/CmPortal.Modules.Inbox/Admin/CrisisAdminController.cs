using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Crisis;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.Inbox.Admin;

internal sealed record CrisisView(WorkspaceCrisis? Open, CrisisProcedure? Procedure, IReadOnlyList<WorkspaceCrisis> History,
    bool CanDeclare, string? Reason, IReadOnlyList<Core.Validation.Problem> Problems);

/// <summary>Crisis mode (/admin/{ws}/inbox/crisis): the procedure, declaring and lifting a crisis, the record of past ones.</summary>
[Route("admin/{workspace}/inbox/crisis")]
[RequirePermission("Inbox.View")]
internal sealed class CrisisAdminController(CrisisService crises, WorkspaceContext workspace, PermissionService permissions,
    IStringLocalizer<CrisisAdminController> T) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await ViewOfAsync(null, [], ct));

    [HttpPost("declare")]
    [RequirePermission("Inbox.Crisis")]
    public async Task<IActionResult> Declare(string? reason, CancellationToken ct)
    {
        var outcome = await crises.DeclareAsync(reason, Actor(), ct);
        if (!outcome.Succeeded)
        {
            Response.StatusCode = Microsoft.AspNetCore.Http.StatusCodes.Status422UnprocessableEntity;
            return View(nameof(Index), await ViewOfAsync(reason, outcome.Problems, ct));
        }
        TempData["Message"] = T["Crisis mode is on: promotional posts are held until it is lifted."].Value;
        return Redirect($"/admin/{workspace.Required.Key}/inbox/crisis");
    }

    [HttpPost("{id:guid}/lift")]
    [RequirePermission("Inbox.Crisis")]
    public async Task<IActionResult> Lift(Guid id, int version, CancellationToken ct) =>
        Done(await crises.LiftAsync(id, version, Actor(), ct),
            T["The crisis is lifted. Promotional posts held meanwhile wait in the publishing log: send or cancel each."].Value);

    [HttpPost("procedure")]
    [RequirePermission("Inbox.Crisis")]
    public async Task<IActionResult> Procedure(string? procedure, int version, CancellationToken ct) =>
        Done(await crises.SaveProcedureAsync(procedure, version, Actor(), ct), T["Procedure saved."].Value);

    private IActionResult Done(CrisisOutcome outcome, string message)
    {
        if (outcome.IsNotFound) return NotFound();
        if (outcome.Succeeded) TempData["Message"] = message;
        else TempData["Error"] = string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect($"/admin/{workspace.Required.Key}/inbox/crisis");
    }

    private async Task<CrisisView> ViewOfAsync(string? reason, IReadOnlyList<Core.Validation.Problem> problems, CancellationToken ct) =>
        new(await crises.OpenAsync(ct), await crises.ProcedureAsync(ct), await crises.HistoryAsync(20, ct),
            await permissions.HasAsync(User, workspace.Required, InboxPermissions.Crisis.Name, ct), reason, problems);

    private CrisisActor Actor() =>
        new(PermissionService.UserId(User) ?? Guid.Empty,
            User.FindFirst(System.Security.Claims.ClaimTypes.GivenName)?.Value ?? User.Identity?.Name ?? "");
}
