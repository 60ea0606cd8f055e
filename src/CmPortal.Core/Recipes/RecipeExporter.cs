using CmPortal.Core.Validation;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Recipes;

/// <summary>
/// Writes a workspace as a recipe that, applied under another key, reproduces it.
/// The key and the name become parameters; host names are left out (they bind one deployment).
/// </summary>
public sealed class RecipeExporter(IServiceScopeFactory scopes, ModuleCatalog modules)
{
    /// <summary>Order of the engine's own steps in an export; module steps follow in dependency order.</summary>
    private static readonly string[] EngineSteps = ["workspace", "modules", "theme", "roles"];

    public async Task<string> ExportAsync(string workspaceKey, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var core = services.GetRequiredService<CoreDbContext>();
        var workspace = await core.Workspaces.AsNoTracking().Include(w => w.Modules).FirstOrDefaultAsync(w => w.Key == workspaceKey, ct)
            ?? throw new RecipeException([new RecipeError(workspaceKey, null, null,
                new Problem("workspace", "There is no workspace \"{0}\". List them in the admin under Workspaces.", workspaceKey))]);
        var workspaceContext = services.GetRequiredService<WorkspaceContext>();
        workspaceContext.Set(workspace);

        var handlers = services.GetServices<IRecipeStep>().ToList();
        var owners = services.GetServices<RecipeStepOwner>().ToDictionary(o => o.StepType, o => o.ModuleId);
        var enabled = workspace.Modules.Select(m => m.ModuleId).ToHashSet();
        var moduleOrder = modules.Modules.Select(m => m.Id).ToList();
        var ordered = handlers
            .Where(h => !owners.TryGetValue(h.GetType(), out var owner) || enabled.Contains(owner))
            .OrderBy(h => Array.IndexOf(EngineSteps, h.Name) is var i && i >= 0 ? i : EngineSteps.Length)
            .ThenBy(h => owners.TryGetValue(h.GetType(), out var owner) ? moduleOrder.IndexOf(owner) : -1)
            .ThenBy(h => h.Name, StringComparer.Ordinal);

        var context = new RecipeStepContext(services, workspaceContext);
        var steps = new JsonArray();
        foreach (var handler in ordered)
        {
            if (await handler.ExportAsync(context, ct) is { } step) steps.Add(step);
        }

        var recipe = new JsonObject
        {
            ["name"] = $"{workspace.Key}-export",
            ["description"] = $"Export of the workspace \"{workspace.Name}\" ({workspace.Key}) on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.",
            // The key has no default: applied without one, an export must not land silently on the workspace it came from.
            // Whoever means to update that workspace gives its key, and the admin previews what it replaces.
            ["parameters"] = new JsonArray(
                new JsonObject
                {
                    ["name"] = "key", ["type"] = "string", ["required"] = true,
                    ["description"] = new JsonObject
                    {
                        ["en"] = $"Key of the workspace to create (its address). Exported from \"{workspace.Key}\": give that key only to update that workspace.",
                        ["fr"] = $"Clé de l’espace à créer (son adresse). Exporté depuis «\u00a0{workspace.Key}\u00a0»\u00a0: ne donnez cette clé que pour mettre à jour cet espace.",
                    },
                },
                new JsonObject
                {
                    ["name"] = "name", ["type"] = "string", ["default"] = workspace.Name,
                    ["description"] = new JsonObject { ["en"] = "Brand name of the workspace.", ["fr"] = "Nom de la marque de l’espace." },
                }),
            ["steps"] = steps,
        };
        return recipe.ToJsonString(RecipeJson.Options);
    }
}
