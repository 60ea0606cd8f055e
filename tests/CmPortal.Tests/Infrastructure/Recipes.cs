using CmPortal.Core.Recipes;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

public static class RecipeHostExtensions
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CmPortal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CmPortal.sln not found above the test binaries.");
    }

    public static string ShippedRecipe(string name) => Path.Combine(RepositoryRoot, "recipes", name);

    /// <summary>Applies recipe JSON through the real runner; the file name appears in errors.</summary>
    public static Task<RecipeResult> ApplyRecipeAsync(this PortalHost host, string json, Dictionary<string, string>? parameters = null, string file = "test.recipe.json") =>
        host.Services.GetRequiredService<RecipeRunner>().ApplyAsync(RecipeDocument.Parse(json, file), parameters ?? []);

    public static Task<string> ExportAsync(this PortalHost host, string key) =>
        host.Services.GetRequiredService<RecipeExporter>().ExportAsync(key);
}
