using CmPortal.Core.Validation;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Workspaces;

namespace CmPortal.Core.Recipes;

/// <summary>A named handler for one kind of recipe step. Most steps derive from <see cref="RecipeStep{TModel}"/>.</summary>
public interface IRecipeStep
{
    /// <summary>The value of the step's "step" field, camelCase, e.g. "keyDates".</summary>
    string Name { get; }

    /// <summary>Binds and checks the step; returns the bound model, or null after adding errors.</summary>
    Task<object?> ValidateAsync(JsonObject step, RecipeValidationContext context, CancellationToken ct);

    Task ApplyAsync(object model, RecipeStepContext context, CancellationToken ct);

    /// <summary>The step that reproduces the current workspace's state, or null when there is nothing to export.</summary>
    Task<JsonObject?> ExportAsync(RecipeStepContext context, CancellationToken ct);

    /// <summary>The step's name for people, in English (pages translate it with <c>T.Declared</c>), e.g. "Key dates".</summary>
    string Label => Name;

    /// <summary>
    /// What applying the checked <paramref name="model"/> would change, read from the database without writing
    /// (the preview before a recipe is applied). Empty when nothing would change.
    /// </summary>
    Task<IReadOnlyList<RecipeChange>> DescribeAsync(object model, RecipePlanContext context, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<RecipeChange>>([new RecipeChange("Applied as written in the recipe.")]);
}

/// <summary>
/// One change a step would make, for the preview: an English template declared in code (translated by the page
/// with <c>T.Template</c>) and the values it names, which are data and never templates.
/// </summary>
public sealed record RecipeChange(string Template, params object?[] Values)
{
    public override string ToString() => string.Format(System.Globalization.CultureInfo.InvariantCulture,
        Localization.PluralText.Choose(Template, Values, System.Globalization.CultureInfo.InvariantCulture), Values);
}

/// <summary>
/// A recipe step bound to a typed model. The JSON is bound strictly: an unknown field,
/// a missing required field or a value of the wrong type is an error naming the field.
/// </summary>
public abstract class RecipeStep<TModel> : IRecipeStep where TModel : class
{
    public abstract string Name { get; }

    async Task<object?> IRecipeStep.ValidateAsync(JsonObject step, RecipeValidationContext context, CancellationToken ct)
    {
        var model = RecipeJson.Bind<TModel>(step, context);
        if (model is null) return null;
        var before = context.ErrorCount;
        await ValidateAsync(model, context, ct);
        return context.ErrorCount == before ? model : null;
    }

    Task IRecipeStep.ApplyAsync(object model, RecipeStepContext context, CancellationToken ct) => ApplyAsync((TModel)model, context, ct);

    /// <inheritdoc cref="IRecipeStep.Label"/>
    public virtual string Label => Name;

    async Task<IReadOnlyList<RecipeChange>> IRecipeStep.DescribeAsync(object model, RecipePlanContext context, CancellationToken ct)
    {
        var changes = new List<RecipeChange>();
        await DescribeAsync((TModel)model, context, changes, ct);
        return changes;
    }

    /// <summary>
    /// Adds to <paramref name="changes"/> what applying the step would change, without writing anything. The default says
    /// the step applies as written; a step that can compare with what is stored says precisely what it replaces or adds.
    /// </summary>
    protected virtual Task DescribeAsync(TModel model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        changes.Add(new RecipeChange("Applied as written in the recipe."));
        return Task.CompletedTask;
    }

    async Task<JsonObject?> IRecipeStep.ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var model = await ExportAsync(context, ct);
        if (model is null) return null;
        var json = JsonSerializer.SerializeToNode(model, RecipeJson.Options)!.AsObject();
        var step = new JsonObject { ["step"] = Name };
        foreach (var property in json.ToList())
        {
            json.Remove(property.Key);
            step[property.Key] = property.Value;
        }
        return step;
    }

    /// <summary>Checks what binding cannot (references, ranges); report with <see cref="RecipeValidationContext.Error"/>.</summary>
    protected virtual Task ValidateAsync(TModel model, RecipeValidationContext context, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Applies the step. It must be idempotent: applying it twice changes nothing the second time.</summary>
    protected abstract Task ApplyAsync(TModel model, RecipeStepContext context, CancellationToken ct);

    protected virtual Task<TModel?> ExportAsync(RecipeStepContext context, CancellationToken ct) => Task.FromResult<TModel?>(null);
}

/// <summary>What a step sees while the recipe is checked, before anything is stored.</summary>
public sealed class RecipeValidationContext(string file, IServiceProvider services)
{
    private readonly List<RecipeError> _errors = [];

    public string File { get; } = file;
    public IServiceProvider Services { get; } = services;
    public int StepIndex { get; internal set; }
    public string StepName { get; internal set; } = "";

    /// <summary>The key of the workspace the steps so far target (set by the workspace step).</summary>
    public string? WorkspaceKey { get; set; }

    /// <summary>Modules that will be on for the workspace when the current step runs.</summary>
    public HashSet<string> EnabledModules { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<RecipeError> Errors => _errors;
    public int ErrorCount => _errors.Count;

    private readonly Dictionary<Type, object> _state = [];

    /// <summary>What a kind of step remembers from one step to the next while the recipe is checked (one instance per recipe).</summary>
    public T State<T>() where T : class, new()
    {
        if (!_state.TryGetValue(typeof(T), out var state)) _state[typeof(T)] = state = new T();
        return (T)state;
    }

    /// <summary>
    /// Reports a problem with a field of the current step: say what is wrong and what to do. The template is a
    /// literal in English (translated in the module's fr.json); user data goes in the values, never in the template.
    /// </summary>
    public void Error(string? field, string template, params object?[] values) => Error(new Problem(field, template, values));

    /// <summary>Reports a problem a rule or service has found (its field already named as the recipe names it).</summary>
    public void Error(Problem problem) => _errors.Add(new RecipeError(File, StepIndex, StepName, problem));
}

/// <summary>What a step sees while it is applied, inside the recipe's transaction.</summary>
public sealed class RecipeStepContext(IServiceProvider services, WorkspaceContext workspace)
{
    private readonly List<Func<Task>> _afterCommit = [];

    public IServiceProvider Services { get; } = services;
    public WorkspaceContext Workspace { get; } = workspace;

    /// <summary>Work to do once the whole recipe has committed (cache invalidation, scheduling).</summary>
    public void AfterCommit(Func<Task> action) => _afterCommit.Add(action);

    internal IReadOnlyList<Func<Task>> AfterCommitActions => _afterCommit;
}

/// <summary>What a step sees while the preview of a recipe is computed: nothing may be written.</summary>
public sealed class RecipePlanContext(IServiceProvider services, WorkspaceContext workspace)
{
    public IServiceProvider Services { get; } = services;

    /// <summary>The workspace as stored, selected for module queries; null when the recipe creates it.</summary>
    public Workspace? Existing => Workspace.Current;

    public WorkspaceContext Workspace { get; } = workspace;
}
