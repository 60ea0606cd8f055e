using CmPortal.Core.Validation;

namespace CmPortal.Core.Recipes;

/// <summary>
/// One thing wrong with a recipe: where (file, step index and name) and the <see cref="Validation.Problem"/>
/// (field, English template, values). Pages translate the problem and the location in the reader's language
/// (<c>RecipeErrorText</c>); the command line and logs read <see cref="Message"/> and <see cref="ToString"/>, in English.
/// Step indexes count from 1, as a person reads the file.
/// </summary>
public sealed record RecipeError(string File, int? StepIndex, string? StepName, Problem Problem)
{
    public string? Field => Problem.Field;

    /// <summary>The problem in English, values in place.</summary>
    public string Message => Problem.ToString();

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

/// <summary>
/// Thrown by a step while it is applied when a rule refuses what it would store (a rule that needs what earlier steps
/// of the same recipe wrote, so it could not run while the recipe was checked). The runner rolls back and reports each
/// problem with the step's index and name, its field as the recipe names it (<c>posts[3].pillar</c>).
/// </summary>
public sealed class RecipeStepException(IReadOnlyList<Problem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<Problem> Problems { get; } = problems;
}
