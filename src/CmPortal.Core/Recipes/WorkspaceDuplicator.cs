using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Recipes;

/// <summary>
/// "Duplicate this brand": exports a workspace and applies the export under a new key and name, in one transaction.
/// The copy starts with its public site offline and without host names (an export carries neither), and it never
/// lands on a workspace that exists: the key is checked first, and the apply is rolled back if the key was taken meanwhile.
/// </summary>
public sealed class WorkspaceDuplicator(RecipeExporter exporter, RecipeRunner runner, CoreDbContext db)
{
    /// <summary>What is wrong with the new key and name; empty when the copy can be made.</summary>
    public async Task<IReadOnlyList<Problem>> CheckAsync(string? key, string? name, CancellationToken ct = default)
    {
        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(key))
            problems.Add(new Problem("key", "Give the key of the new workspace: lowercase letters, digits and hyphens, such as maison-lumen-2."));
        else if (WorkspaceRules.CheckKey(key) is not null)
            problems.Add(new Problem("key", "«{0}» is not a valid key. Use 1 to 40 lowercase letters, digits and hyphens, starting and ending with a letter or digit, and not a word the portal reserves (admin, setup…).", key));
        else if (await db.Workspaces.AsNoTracking().Where(w => w.Key == key).Select(w => w.Name).FirstOrDefaultAsync(ct) is { } owner)
            problems.Add(new Problem("key", "The key «{0}» is already the address of the workspace «{1}». Choose another key.", key, owner));
        if (string.IsNullOrWhiteSpace(name))
            problems.Add(new Problem("name", "Give the brand name of the new workspace."));
        else if (WorkspaceRules.CheckName(name) is not null)
            problems.Add(new Problem("name", "The name must be one line of visible text of 100 characters at most."));
        return problems;
    }

    /// <summary>Copies the workspace <paramref name="sourceKey"/> as a new workspace; returns the problems, or none when it was created.</summary>
    public async Task<IReadOnlyList<Problem>> DuplicateAsync(string sourceKey, string? key, string? name, CancellationToken ct = default)
    {
        key = key?.Trim();
        name = name?.Trim();
        var problems = await CheckAsync(key, name, ct);
        if (problems.Count > 0) return problems;
        var recipe = RecipeDocument.Parse(await exporter.ExportAsync(sourceKey, ct), $"{sourceKey}.recipe.json");
        var started = DateTime.UtcNow.AddSeconds(-1);
        try
        {
            await runner.ApplyAsync(recipe, new Dictionary<string, string> { ["key"] = key!, ["name"] = name! }, ct: ct,
                beforeCommit: services =>
                {
                    // Another request may have created this key since the check: then the recipe updated it. Roll back.
                    var target = services.GetService(typeof(WorkspaceContext)) as WorkspaceContext;
                    if (target?.Current is not { } created || created.Key != key || created.CreatedUtc < started)
                        throw new WorkspaceTakenException();
                    return Task.CompletedTask;
                });
        }
        catch (WorkspaceTakenException)
        {
            return [new Problem("key", "The key «{0}» was taken while the copy was made. Nothing was stored: choose another key.", key)];
        }
        catch (RecipeException e)
        {
            // The copy's own recipe is refused: say so, then each reason, where it is in the copy does not matter to the reader.
            return [new Problem(null, "The copy could not be made and nothing was stored."), .. e.Errors.Select(x => x.Problem with { Field = null })];
        }
        return [];
    }

    private sealed class WorkspaceTakenException : Exception;
}
