using CmPortal.Core;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Localization;
using CmPortal.Core.Security;
using CmPortal.Core.Validation;
using CmPortal.Web.Setup;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CmPortal.Web.Controllers;

/// <summary>Apply a recipe from the library or an uploaded file, and watch it run step by step.</summary>
[Route("admin/recipes")]
[RequirePermission(CorePermissions.HostAdmin)]
internal sealed class RecipesController(RecipeLibrary library, RecipeRuns runs, RecipeRunner runner, DatabaseOptions database,
    IEnumerable<IRecipeStep> steps, IStringLocalizer<RecipesController> T) : Controller
{
    /// <summary>A recipe may have <see cref="RecipeDocument.MaxBytes"/>; the form around it gets a little more.</summary>
    private const long MaxRequest = RecipeDocument.MaxBytes + 64 * 1024;

    private const string ValuePrefix = "values[";

    /// <param name="FieldErrors">Translated problems by parameter name, shown beside its field.</param>
    /// <param name="RecipeErrors">What the check of the recipe with these values found, shown above the form.</param>
    /// <param name="StepLabels">Step name → its English label, for the list of steps.</param>
    public sealed record ApplyPage(string? Source, RecipeDocument? Recipe, string? Error, Dictionary<string, string> Values,
        IReadOnlyDictionary<string, string>? FieldErrors = null, IReadOnlyList<string>? RecipeErrors = null, IReadOnlyDictionary<string, string>? StepLabels = null);

    /// <summary>The preview: what the recipe would change, and the confirmation it needs before anything is written.</summary>
    public sealed record PreviewPage(string Source, RecipeDocument Recipe, Dictionary<string, string> Values, RecipePlan Plan, string? ConfirmError);

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
    public IActionResult Apply(string? source)
    {
        var loaded = Load(source, []);
        // The fields start with the defaults as real values: what the form shows is what applies.
        if (loaded.Page.Recipe is { } recipe)
            foreach (var parameter in recipe.Parameters)
                if (parameter.DefaultText is { } text) loaded.Page.Values[parameter.Name] = text;
        return Show(loaded);
    }

    /// <summary>
    /// Three steps: the form posts here and gets the preview (nothing is written); the preview's "Apply" posts
    /// <c>apply=1</c>, with the confirmation ticked when the recipe changes an existing workspace, and starts the run;
    /// its "Change the values" posts <c>edit=1</c> and gets the form back as typed.
    /// </summary>
    [HttpPost("apply")]
    [ActionName("Apply")]
    public async Task<IActionResult> ApplyPost(string? source, CancellationToken ct)
    {
        // Only the fields named values[…] are the recipe's parameters: not the source, nor the form's token.
        var values = Request.Form.Where(f => f.Key.StartsWith(ValuePrefix, StringComparison.Ordinal) && f.Key.EndsWith(']'))
            .ToDictionary(f => f.Key[ValuePrefix.Length..^1], f => f.Value.ToString(), StringComparer.Ordinal);
        var loaded = Load(source, values);
        if (loaded.Page.Recipe is not { } recipe) return Show(loaded);
        if (Request.Form["edit"].Contains("1")) return Show(loaded);

        var fieldErrors = CheckValues(recipe, values).ToDictionary(p => p.Field!, p => T.Problem(p).Value, StringComparer.Ordinal);
        if (fieldErrors.Count > 0) return Show((loaded.Page with { FieldErrors = fieldErrors }, StatusCodes.Status200OK));

        // An empty field that passed the check is a parameter without value (optional, no default).
        var parameters = values.Where(v => !string.IsNullOrWhiteSpace(v.Value)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        RecipePlan plan;
        try
        {
            plan = await runner.PlanAsync(recipe, parameters, ct);
        }
        catch (RecipeException e)
        {
            // A value the recipe refuses (wrong type, unsafe character) is told beside its field; the rest above the form.
            var beside = e.Errors.Where(x => x.StepIndex is null && x.Field is { } f && f.StartsWith("parameters.", StringComparison.Ordinal) && recipe.Parameters.Any(p => p.Name == f["parameters.".Length..]))
                .GroupBy(x => x.Field!["parameters.".Length..]).ToDictionary(g => g.Key, g => T.Problem(g.First().Problem).Value, StringComparer.Ordinal);
            var above = e.Errors.Where(x => !(x.Field is { } f && f.StartsWith("parameters.", StringComparison.Ordinal) && beside.ContainsKey(f["parameters.".Length..])))
                .Select(x => T.Recipe(x).Value).ToList();
            return Show((loaded.Page with { FieldErrors = beside, RecipeErrors = above }, StatusCodes.Status200OK));
        }

        var page = new PreviewPage(source!, recipe, values, plan, null);
        if (!Request.Form["apply"].Contains("1")) return View("Preview", page);
        if (plan.ChangesExistingWorkspace && !Request.Form["confirm"].Contains("true"))
            return View("Preview", page with { ConfirmError = T["Tick the box to confirm that this recipe changes an existing workspace."].Value });

        var run = runs.Start(recipe, parameters, PermissionService.UserId(User)!.Value);
        return Redirect($"/admin/recipes/runs/{run.Id}");
    }

    /// <summary>
    /// Every field of the form must have a value when its parameter is required or has a default (the field started
    /// with it): emptied, the recipe would silently fall back on a value nobody saw, such as the workspace an export came from.
    /// </summary>
    private static IEnumerable<Problem> CheckValues(RecipeDocument recipe, Dictionary<string, string> values)
    {
        foreach (var parameter in recipe.Parameters)
        {
            if (!string.IsNullOrWhiteSpace(values.GetValueOrDefault(parameter.Name))) continue;
            if (parameter.Required || parameter.Default is not null)
                yield return new Problem(parameter.Name, "Fill in this field: the recipe needs a value for «{0}».", parameter.Name);
        }
    }

    [HttpGet("runs/{id:guid}")]
    public IActionResult Run(Guid id) => runs.Find(id) is { } run ? View(run) : NotFound();

    [HttpGet("runs/{id:guid}/status")]
    public IActionResult Status(Guid id)
    {
        if (runs.Find(id) is not { } run) return NotFound();
        var labels = steps.ToDictionary(s => s.Name, s => s.Label, StringComparer.Ordinal);
        return Json(run.Snapshot(error => T.Recipe(error).Value, name => labels.TryGetValue(name, out var label) ? T.Declared(label).Value : name));
    }

    private IActionResult Show((ApplyPage Page, int Status) loaded)
    {
        Response.StatusCode = loaded.Status;
        return View("Apply", loaded.Page with { StepLabels = steps.ToDictionary(s => s.Name, s => s.Label, StringComparer.Ordinal) });
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
            return (new ApplyPage(source, null, T.Recipe(e.Errors), values), StatusCodes.Status200OK);
        }
        catch (IOException)
        {
            return Problem(StatusCodes.Status404NotFound, T["The recipe file cannot be read. Upload it again, or check the recipes folder."]);
        }
    }
}
