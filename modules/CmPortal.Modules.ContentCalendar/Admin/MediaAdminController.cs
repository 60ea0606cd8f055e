using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Media;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Modules.ContentCalendar.Admin;

/// <summary>
/// The workspace's media library: upload images, describe them (alt text), delete those no post uses, and serve them
/// to members. The editor uploads here too, asking for JSON (<c>Accept: application/json</c>).
/// </summary>
[Route("admin/{workspace}/media")]
[RequirePermission("ContentCalendar.View")]
internal sealed class MediaAdminController(MediaService media, WorkspaceContext workspace, PermissionService permissions, IStringLocalizer<MediaAdminController> T)
    : Controller
{
    private string Base => $"/admin/{workspace.Required.Key}/media";

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct)
    {
        var actor = await ActorAsync(ct);
        return View(new MediaLibraryModel(await media.ListAsync(ct), await media.UseCountsAsync(ct), actor.Holds(CalendarPermissions.Write.Name)));
    }

    [HttpPost("")]
    [RequirePermission("ContentCalendar.Write")]
    [RequestSizeLimit(MediaService.MaxBytes * 2)] // above the rule's limit, so that a too-big image gets the rule's message
    [RequestFormLimits(MultipartBodyLengthLimit = MediaService.MaxBytes * 2)]
    public async Task<IActionResult> Upload(IFormFile? file, string? altText, CancellationToken ct)
    {
        var json = Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.Ordinal) == true);
        MediaOutcome outcome;
        if (file is null) outcome = MediaOutcome.Refused(new Core.Validation.Problem("file", "Choose an image to upload."));
        else
        {
            await using var stream = file.OpenReadStream();
            outcome = await media.UploadAsync(file.FileName, stream, altText, await ActorAsync(ct), ct);
        }
        if (outcome.IsForbidden) return Forbid();
        var message = !outcome.Succeeded ? string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value))
            : outcome.WasThere ? T["This image was already in the library: it is reused."].Value
            : T["Image “{0}” added.", outcome.Item!.FileName].Value;
        if (json)
        {
            if (!outcome.Succeeded) return UnprocessableEntity(new { error = message });
            return Ok(MediaJson.Of(outcome.Item!, Base, message));
        }
        TempData[outcome.Succeeded ? "Message" : "Error"] = message;
        return Redirect(Base);
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Content(Guid id, CancellationToken ct)
    {
        if (await media.ContentAsync(id, ct) is not { } found) return NotFound();
        // Only the types the service accepted are ever stored; nosniff keeps browsers from guessing otherwise.
        Response.Headers.XContentTypeOptions = "nosniff";
        Response.Headers.CacheControl = "private, max-age=3600";
        Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return File(found.Content, found.Item.ContentType);
    }

    [HttpPost("{id:guid}/alt")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Describe(Guid id, string? altText, CancellationToken ct)
    {
        var outcome = await media.DescribeAsync(id, altText, await ActorAsync(ct), ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsForbidden) return Forbid();
        TempData[outcome.Succeeded ? "Message" : "Error"] = outcome.Succeeded
            ? T["Description of “{0}” saved.", outcome.Item!.FileName].Value
            : string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect($"{Base}#media-{id}");
    }

    [HttpPost("{id:guid}/delete")]
    [RequirePermission("ContentCalendar.Write")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken ct)
    {
        var outcome = await media.DeleteAsync(id, await ActorAsync(ct), ct);
        if (outcome.IsNotFound) return NotFound();
        if (outcome.IsForbidden) return Forbid();
        TempData[outcome.Succeeded ? "Message" : "Error"] = outcome.Succeeded
            ? T["Image “{0}” deleted.", outcome.Item!.FileName].Value
            : string.Join(" ", outcome.Problems.Select(p => T.Problem(p).Value));
        return Redirect(Base);
    }

    private Task<PostActor> ActorAsync(CancellationToken ct) => PostActor.ForAsync(User, permissions, workspace.Required, ct);
}

internal sealed record MediaLibraryModel(IReadOnlyList<MediaItem> Items, IReadOnlyDictionary<Guid, int> Uses, bool CanWrite);

/// <summary>An image as the editor's script reads it.</summary>
internal static class MediaJson
{
    public static object Of(MediaItem item, string libraryBase, string? message = null) => new
    {
        id = item.Id, fileName = item.FileName, altText = item.AltText ?? "", width = item.Width, height = item.Height,
        url = $"{libraryBase}/{item.Id}", message,
    };
}
