using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Web.Setup;
using Microsoft.AspNetCore.Mvc;

namespace CmPortal.Web.Controllers;

/// <summary>Apply a recipe from the library or an uploaded file, and watch it run step by step.</summary>
[Route("admin/recipes")]
[RequirePermission(CorePermissions.HostAdmin)]
internal sealed class RecipesController(RecipeLibrary library, RecipeRuns runs, DatabaseOptions database) : Controller
{
    private const long MaxUpload = 2 * 1024 * 1024;

    public sealed record ApplyPage(string Source, RecipeDocument? Recipe, string? Error, Dictionary<string, string> Values);

    private string UploadDirectory => Path.Combine(database.DataDirectory, "recipes", "uploads");

    [HttpGet("")]
    public IActionResult Index() => View(library.List());

    [HttpPost("upload")]
    [RequestSizeLimit(MaxUpload)]
    public async Task<IActionResult> Upload(IFormFile? file)
    {
        if (file is null || file.Length == 0)
        {
            TempData["Error"] = "Choose a recipe file (.json) to upload.";
            return Redirect("/admin/recipes");
        }
        Directory.CreateDirectory(UploadDirectory);
        var id = Guid.NewGuid().ToString("N");
        await using (var target = System.IO.File.Create(Path.Combine(UploadDirectory, id + ".json")))
            await file.CopyToAsync(target);
        // The original name names the file in error messages.
        await System.IO.File.WriteAllTextAsync(Path.Combine(UploadDirectory, id + ".name"), Path.GetFileName(file.FileName));
        return Redirect($"/admin/recipes/apply?source=upload:{id}");
    }

    [HttpGet("apply")]
    public IActionResult Apply(string source) => View(Load(source, []));

    [HttpPost("apply")]
    public IActionResult Apply(string source, Dictionary<string, string> values)
    {
        var page = Load(source, values);
        if (page.Recipe is null) return View(page);
        var parameters = values.Where(v => !string.IsNullOrEmpty(v.Value)).ToDictionary(v => v.Key, v => v.Value);
        var run = runs.Start(page.Recipe, parameters, PermissionService.UserId(User)!.Value);
        return Redirect($"/admin/recipes/runs/{run.Id}");
    }

    [HttpGet("runs/{id:guid}")]
    public IActionResult Run(Guid id) => runs.Find(id) is { } run ? View(run) : NotFound();

    [HttpGet("runs/{id:guid}/status")]
    public IActionResult Status(Guid id) => runs.Find(id) is { } run ? Json(run.Snapshot()) : NotFound();

    private ApplyPage Load(string source, Dictionary<string, string> values)
    {
        try
        {
            RecipeDocument recipe;
            if (source.StartsWith("upload:", StringComparison.Ordinal))
            {
                var id = source["upload:".Length..];
                if (!Guid.TryParseExact(id, "N", out _)) throw new SetupException("Unknown upload.");
                var path = Path.Combine(UploadDirectory, id + ".json");
                if (!System.IO.File.Exists(path)) throw new SetupException("The uploaded recipe is gone. Upload it again.");
                recipe = RecipeDocument.Parse(System.IO.File.ReadAllText(path), System.IO.File.ReadAllText(Path.Combine(UploadDirectory, id + ".name")));
            }
            else recipe = RecipeDocument.Load(library.PathOf(source));
            return new ApplyPage(source, recipe, null, values);
        }
        catch (Exception e) when (e is RecipeException or SetupException)
        {
            return new ApplyPage(source, null, e.Message, values);
        }
    }
}
