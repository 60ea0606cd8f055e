using CmPortal.Core;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Web.Setup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Web.Controllers;

/// <summary>Apply a recipe from the library or an uploaded file, and watch it run step by step.</summary>
[Route("admin/recipes")]
[RequirePermission(CorePermissions.HostAdmin)]
internal sealed class RecipesController(RecipeLibrary library, RecipeRuns runs, DatabaseOptions database, IStringLocalizer<RecipesController> T) : Controller
{
    /// <summary>A recipe may have <see cref="RecipeDocument.MaxBytes"/>; the form around it gets a little more.</summary>
    private const long MaxRequest = RecipeDocument.MaxBytes + 64 * 1024;

    private const string ValuePrefix = "values[";

    public sealed record ApplyPage(string? Source, RecipeDocument? Recipe, string? Error, Dictionary<string, string> Values);

    private string UploadDirectory => Path.Combine(database.DataDirectory, "recipes", "uploads");

    [HttpGet("")]
    public IActionResult Index() => View(library.List());

    [HttpPost("upload")]
    [RequestSizeLimit(MaxRequest)]
    [RequestFormLimits(MultipartBodyLengthLimit = MaxRequest)]
    public async Task<IActionResult> Upload(IFormFile? file)
    {
        if (file is null || file.Length == 0)
        {
            TempData["Error"] = T["Choose a recipe file (.json) to upload."].Value;
            return Redirect("/admin/recipes");
        }
        if (file.Length > RecipeDocument.MaxBytes)
        {
            TempData["Error"] = T["The file has {0:N0} bytes; a recipe may have 16 MiB at most. Split it into several recipes.", file.Length].Value;
            return Redirect("/admin/recipes");
        }
        Directory.CreateDirectory(UploadDirectory);
        var id = Guid.NewGuid().ToString("N");
        await using (var target = System.IO.File.Create(Path.Combine(UploadDirectory, id + ".json")))
            await file.CopyToAsync(target);
        // The original name names the file in error messages; shown, so kept to visible characters.
        var name = TextRules.Visible(Path.GetFileName(file.FileName));
        await System.IO.File.WriteAllTextAsync(Path.Combine(UploadDirectory, id + ".name"), name.Length > 200 ? name[..200] : name);
        return Redirect($"/admin/recipes/apply?source=upload:{id}");
    }

    [HttpGet("apply")]
    public IActionResult Apply(string? source) => Show(Load(source, []));

    [HttpPost("apply")]
    [ActionName("Apply")]
    public IActionResult ApplyPost(string? source)
    {
        // Only the fields named values[…] are the recipe's parameters: not the source, nor the form's token.
        var values = Request.Form.Where(f => f.Key.StartsWith(ValuePrefix, StringComparison.Ordinal) && f.Key.EndsWith(']'))
            .ToDictionary(f => f.Key[ValuePrefix.Length..^1], f => f.Value.ToString(), StringComparer.Ordinal);
        var loaded = Load(source, values);
        if (loaded.Page.Recipe is null) return Show(loaded);
        var parameters = values.Where(v => !string.IsNullOrEmpty(v.Value)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var run = runs.Start(loaded.Page.Recipe, parameters, PermissionService.UserId(User)!.Value);
        return Redirect($"/admin/recipes/runs/{run.Id}");
    }

    [HttpGet("runs/{id:guid}")]
    public IActionResult Run(Guid id) => runs.Find(id) is { } run ? View(run) : NotFound();

    [HttpGet("runs/{id:guid}/status")]
    public IActionResult Status(Guid id) => runs.Find(id) is { } run ? Json(run.Snapshot()) : NotFound();

    private IActionResult Show((ApplyPage Page, int Status) loaded)
    {
        Response.StatusCode = loaded.Status;
        return View("Apply", loaded.Page);
    }

    /// <summary>The recipe <paramref name="source"/> names (a library file, or <c>upload:{id}</c>), or a page saying why not.</summary>
    private (ApplyPage Page, int Status) Load(string? source, Dictionary<string, string> values)
    {
        (ApplyPage, int) Problem(int status, LocalizedString message) => (new ApplyPage(source, null, message.Value, values), status);

        if (string.IsNullOrWhiteSpace(source))
            return Problem(StatusCodes.Status400BadRequest, T["No recipe was chosen. Pick one in the list of recipes, or upload one."]);
        string path, file;
        if (source.StartsWith("upload:", StringComparison.Ordinal))
        {
            var id = source["upload:".Length..];
            if (!Guid.TryParseExact(id, "N", out _))
                return Problem(StatusCodes.Status400BadRequest, T["This is neither a recipe of the list nor an upload. Pick one in the list of recipes, or upload one."]);
            path = Path.Combine(UploadDirectory, id + ".json");
            if (!System.IO.File.Exists(path))
                return Problem(StatusCodes.Status404NotFound, T["The uploaded recipe is gone. Upload it again."]);
            var namePath = Path.Combine(UploadDirectory, id + ".name");
            file = System.IO.File.Exists(namePath) ? System.IO.File.ReadAllText(namePath) : "upload.json";
        }
        else
        {
            if (source != Path.GetFileName(source) || !source.EndsWith(".json", StringComparison.Ordinal) || TextRules.IndexOfUnsafe(source, singleLine: true) >= 0)
                return Problem(StatusCodes.Status400BadRequest, T["This is neither a recipe of the list nor an upload. Pick one in the list of recipes, or upload one."]);
            path = Path.Combine(library.Directory, source);
            if (!System.IO.File.Exists(path))
                return Problem(StatusCodes.Status404NotFound, T["There is no recipe {0} in the library. Pick one in the list of recipes.", source]);
            file = source;
        }
        try
        {
            return (new ApplyPage(source, RecipeDocument.Load(path, file), null, values), StatusCodes.Status200OK);
        }
        catch (RecipeException e)
        {
            // The recipe was found and read: the page lists what is wrong in it.
            return (new ApplyPage(source, null, e.Message, values), StatusCodes.Status200OK);
        }
        catch (IOException)
        {
            return Problem(StatusCodes.Status404NotFound, T["The recipe file cannot be read. Upload it again, or check the recipes folder."]);
        }
    }
}
