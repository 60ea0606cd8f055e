namespace CmPortal.Core.Recipes;

/// <summary>
/// One thing wrong with a recipe: where (file, step index and name, field) and what to do.
/// Step indexes count from 1, as a person reads the file.
/// </summary>
public sealed record RecipeError(string File, int? StepIndex, string? StepName, string? Field, string Message)
{
    public override string ToString()
    {
        var where = File;
        if (StepIndex is { } index) where += $", step {index}" + (StepName is null ? "" : $" \"{StepName}\"");
        if (Field is not null) where += $", field \"{Field}\"";
        return $"{where}: {Message}";
    }
}

/// <summary>Thrown when a recipe cannot be applied; nothing was stored.</summary>
public sealed class RecipeException(IReadOnlyList<RecipeError> errors)
    : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<RecipeError> Errors { get; } = errors;
}
