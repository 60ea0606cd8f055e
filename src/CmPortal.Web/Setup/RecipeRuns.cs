using System.Collections.Concurrent;
using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;

namespace CmPortal.Web.Setup;

/// <summary>A recipe applied from the admin: its steps' states, read by the progress page while it runs.</summary>
public sealed class RecipeRun : IRecipeProgress
{
    private readonly Lock _lock = new();

    public Guid Id { get; } = Guid.NewGuid();
    public required string RecipeName { get; init; }
    public required Guid StartedBy { get; init; }
    public List<string> StepNames { get; private set; } = [];
    public List<RecipeStepState> States { get; private set; } = [];
    public string Status { get; private set; } = "validating";
    /// <summary>Kept as problems, so that each page shows them in its reader's language.</summary>
    public List<RecipeError> Errors { get; } = [];
    public string? WorkspaceKey { get; private set; }

    public void Validated(IReadOnlyList<string> stepNames)
    {
        lock (_lock)
        {
            StepNames = stepNames.ToList();
            States = stepNames.Select(_ => RecipeStepState.Pending).ToList();
            Status = "running";
        }
    }

    public void StepChanged(int index, RecipeStepState state)
    {
        lock (_lock) States[index] = state;
    }

    internal void Finish(RecipeResult result) { lock (_lock) { Status = "succeeded"; WorkspaceKey = result.WorkspaceKey; } }

    internal void Fail(IEnumerable<RecipeError> errors) { lock (_lock) { Status = "failed"; Errors.AddRange(errors); } }

    /// <param name="error">An error as the page shows it (in its language).</param>
    /// <param name="label">The name to show for a step name (the page's language); the name itself when null.</param>
    public object Snapshot(Func<RecipeError, string> error, Func<string, string>? label = null)
    {
        lock (_lock)
            return new
            {
                id = Id, recipe = RecipeName, status = Status, workspace = WorkspaceKey, errors = Errors.Select(error).ToList(),
                steps = StepNames.Select((name, i) => new { name, label = label?.Invoke(name) ?? name, state = States[i].ToString().ToLowerInvariant() }).ToList(),
            };
    }
}

/// <summary>Runs recipes in the background for the admin and keeps the latest runs for their progress pages.</summary>
public sealed class RecipeRuns(RecipeRunner runner, ILogger<RecipeRuns> logger)
{
    private readonly ConcurrentDictionary<Guid, RecipeRun> _runs = new();

    public RecipeRun? Find(Guid id) => _runs.GetValueOrDefault(id);

    public RecipeRun Start(RecipeDocument recipe, IReadOnlyDictionary<string, string> parameters, Guid userId)
    {
        var run = new RecipeRun { RecipeName = recipe.Name, StartedBy = userId };
        foreach (var old in _runs.Values.Where(r => r.Status is "succeeded" or "failed").Skip(50)) _runs.TryRemove(old.Id, out _);
        _runs[run.Id] = run;
        _ = Task.Run(async () =>
        {
            try { run.Finish(await runner.ApplyAsync(recipe, parameters, run)); }
            catch (RecipeException e) { run.Fail(e.Errors); }
            catch (Exception e)
            {
                logger.LogError(e, "Recipe {Recipe} failed unexpectedly", recipe.Name);
                run.Fail([new RecipeError(recipe.File, null, null,
                    new Problem(null, "Unexpected error ({0}). Nothing was stored; see the portal's log.", e.GetType().Name))]);
            }
        });
        return run;
    }
}
