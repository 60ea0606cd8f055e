using CmPortal.Core.Validation;
using System.Text.Json.Nodes;
using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CmPortal.Core.Recipes;

/// <summary>Links a step handler to the module that provides it: the step needs that module on.</summary>
public sealed record RecipeStepOwner(Type StepType, string ModuleId);

public enum RecipeStepState { Pending, Running, Done, Failed }

/// <summary>Receives a run's progress, step by step (the admin shows it live).</summary>
public interface IRecipeProgress
{
    void Validated(IReadOnlyList<string> stepNames);
    void StepChanged(int index, RecipeStepState state);
}

/// <summary>
/// Applies a recipe: checks every step before touching the database, then runs all
/// steps in one transaction. On any error nothing is stored and a
/// <see cref="RecipeException"/> says where and what to do.
/// </summary>
public sealed class RecipeRunner(IServiceScopeFactory scopes, ILogger<RecipeRunner> logger)
{
    /// <param name="beforeCommit">Work that must succeed or fail with the recipe (setup creates its administrator
    /// there), run in the recipe's scope and transaction after the last step.</param>
    public async Task<RecipeResult> ApplyAsync(RecipeDocument recipe, IReadOnlyDictionary<string, string> parameters,
        IRecipeProgress? progress = null, CancellationToken ct = default, Func<IServiceProvider, Task>? beforeCommit = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var steps = recipe.Bind(parameters);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var connection = services.GetRequiredService<PortalConnection>();
        var workspace = services.GetRequiredService<WorkspaceContext>();

        var plan = await ValidateAsync(recipe.File, steps, services, ct);
        progress?.Validated(plan.Select(p => p.Handler.Name).ToList());

        // Every step saves its own changes. Forgetting the entities after each step keeps a step's cost its own:
        // otherwise each SaveChanges scans everything the earlier steps loaded, and a long recipe slows down quadratically.
        var contexts = services.GetServices<PortalDbContextRegistration>().Select(r => (DbContext)services.GetRequiredService(r.ContextType)).ToList();
        void Forget() { foreach (var db in contexts) db.ChangeTracker.Clear(); }
        Forget();

        var context = new RecipeStepContext(services, workspace);
        await connection.BeginTransactionAsync(ct);
        for (var i = 0; i < plan.Count; i++)
        {
            var (handler, model) = plan[i];
            progress?.StepChanged(i, RecipeStepState.Running);
            try
            {
                await handler.ApplyAsync(model, context, ct);
            }
            catch (RecipeStepException refused)
            {
                // A rule only the running step could check (it needed what earlier steps stored): name the step and field.
                await connection.RollbackAsync();
                progress?.StepChanged(i, RecipeStepState.Failed);
                throw new RecipeException(refused.Problems.Select(p => new RecipeError(recipe.File, i + 1, handler.Name, p)).ToList());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await connection.RollbackAsync();
                progress?.StepChanged(i, RecipeStepState.Failed);
                logger.LogInformation(e, "Recipe {File} failed at step {Index} {Step}; rolled back", recipe.File, i + 1, handler.Name);
                throw new RecipeException([new RecipeError(recipe.File, i + 1, handler.Name,
                    new Problem(null, "The step failed: {0} Nothing was stored. Fix the cause and apply the recipe again.", Inner(e).Message))]);
            }
            Forget();
            progress?.StepChanged(i, RecipeStepState.Done);
        }
        if (beforeCommit is not null)
        {
            try { await beforeCommit(services); }
            catch
            {
                await connection.RollbackAsync();
                throw;
            }
        }
        await connection.CommitAsync(ct);
        services.GetRequiredService<WorkspaceHostMap>().Invalidate();
        services.GetRequiredService<WorkspaceDirectory>().Invalidate();
        if (workspace.Current is { } changed) await services.GetRequiredService<Caching.IPublicPageCache>().EvictAsync(changed.Id, ct);
        foreach (var action in context.AfterCommitActions) await action();
        logger.LogInformation("Applied recipe {File} ({Steps} steps) to workspace {Workspace} in {Elapsed} ms",
            recipe.File, plan.Count, workspace.Current?.Key, clock.ElapsedMilliseconds);
        return new RecipeResult(workspace.Current?.Key, plan.Count, clock.Elapsed);
    }

    /// <summary>
    /// Checks the whole recipe, then says what each step would change, without storing anything (the preview before
    /// applying); throws <see cref="RecipeException"/> with every error found, as <see cref="ApplyAsync"/> would.
    /// </summary>
    public async Task<RecipePlan> PlanAsync(RecipeDocument recipe, IReadOnlyDictionary<string, string> parameters, CancellationToken ct = default)
    {
        var steps = recipe.Bind(parameters);
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var plan = await ValidateAsync(recipe.File, steps, services, ct);
        var workspace = services.GetRequiredService<WorkspaceContext>();
        var core = services.GetRequiredService<CoreDbContext>();
        var context = new RecipePlanContext(services, workspace);
        var targets = new List<RecipePlanTarget>();
        var planned = new List<RecipePlanStep>();
        string? key = null;
        for (var i = 0; i < plan.Count; i++)
        {
            var (handler, model) = plan[i];
            if (handler is IWorkspaceTargetStep target)
            {
                var (targetKey, name) = target.TargetOf(model);
                key = targetKey;
                // A workspace an earlier step of this recipe creates is still "new" here: it is not stored yet.
                var existing = await core.Workspaces.AsNoTracking().Include(w => w.Hosts).FirstOrDefaultAsync(w => w.Key == targetKey, ct);
                workspace.Set(existing);
                if (targets.All(t => t.Key != targetKey)) targets.Add(new RecipePlanTarget(targetKey, name, existing?.Name, existing is not null));
            }
            var changes = await handler.DescribeAsync(model, context, ct);
            planned.Add(new RecipePlanStep(i + 1, handler.Name, handler.Label, key, changes));
        }
        return new RecipePlan(targets, planned);
    }

    /// <summary>Checks the whole recipe without storing anything; throws with every error found.</summary>
    public async Task ValidateAsync(RecipeDocument recipe, IReadOnlyDictionary<string, string> parameters, CancellationToken ct = default)
    {
        var steps = recipe.Bind(parameters);
        await using var scope = scopes.CreateAsyncScope();
        await ValidateAsync(recipe.File, steps, scope.ServiceProvider, ct);
    }

    private static async Task<List<(IRecipeStep Handler, object Model)>> ValidateAsync(
        string file, IReadOnlyList<JsonObject> steps, IServiceProvider services, CancellationToken ct)
    {
        var handlers = services.GetServices<IRecipeStep>().ToDictionary(h => h.Name, StringComparer.Ordinal);
        var owners = services.GetServices<RecipeStepOwner>().ToDictionary(o => o.StepType, o => o.ModuleId);
        var context = new RecipeValidationContext(file, services);
        var plan = new List<(IRecipeStep, object)>();
        for (var i = 0; i < steps.Count; i++)
        {
            var name = steps[i]["step"]!.GetValue<string>();
            context.StepIndex = i + 1;
            context.StepName = name;
            if (!handlers.TryGetValue(name, out var handler))
            {
                context.Error("step", "There is no step \"{0}\". Known steps: {1}. " +
                                      "Check the spelling, or add the module that provides it to the host.", name, ProblemValue.List(handlers.Keys.Order()));
                continue;
            }
            if (context.WorkspaceKey is null && handler is not IWorkspaceTargetStep)
            {
                context.Error("step", "This step needs a workspace. Put a \"workspace\" step before it.");
                continue;
            }
            if (owners.TryGetValue(handler.GetType(), out var moduleId) && !context.EnabledModules.Contains(moduleId))
            {
                context.Error("step", "This step belongs to module \"{0}\", which is not on for the workspace at this point. " +
                                      "Add \"{0}\" to a \"modules\" step before it.", moduleId);
                continue;
            }
            var model = await handler.ValidateAsync(steps[i], context, ct);
            if (model is not null) plan.Add((handler, model));
        }
        if (context.ErrorCount > 0) throw new RecipeException(context.Errors);
        return plan;
    }

    private static Exception Inner(Exception e) => e.InnerException is { } inner && e is Microsoft.EntityFrameworkCore.DbUpdateException ? inner : e;
}

/// <summary>A step that selects the workspace the following steps target (the "workspace" step).</summary>
public interface IWorkspaceTargetStep
{
    /// <summary>The key and name of the workspace the checked <paramref name="model"/> targets.</summary>
    (string Key, string Name) TargetOf(object model);
}

/// <summary>A workspace a recipe targets: <paramref name="Exists"/> when it is stored already (then the recipe updates it).</summary>
public sealed record RecipePlanTarget(string Key, string Name, string? ExistingName, bool Exists);

/// <summary>One step of the preview: its number (from 1), names, the workspace it works in and what it would change.</summary>
public sealed record RecipePlanStep(int Index, string Name, string Label, string? WorkspaceKey, IReadOnlyList<RecipeChange> Changes);

/// <summary>What applying a recipe would do, computed without writing anything.</summary>
public sealed record RecipePlan(IReadOnlyList<RecipePlanTarget> Targets, IReadOnlyList<RecipePlanStep> Steps)
{
    /// <summary>True when the recipe would change a workspace that exists: the admin asks for an explicit confirmation.</summary>
    public bool ChangesExistingWorkspace => Targets.Any(t => t.Exists);
}

public sealed record RecipeResult(string? WorkspaceKey, int StepCount, TimeSpan Elapsed);
