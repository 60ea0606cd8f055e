using CmPortal.Core.Recipes;
using CmPortal.Core.Validation;

namespace CmPortal.Web.Setup;

/// <summary>The recipes shipped in <c>recipes/</c> (copied beside the binary), or the folder <c>Recipes:Directory</c> names.</summary>
public sealed class RecipeLibrary(IConfiguration configuration)
{
    public string Directory { get; } = Path.GetFullPath(configuration["Recipes:Directory"] is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "recipes"));

    /// <summary>The recipes of the library, or what is wrong with each file that is not one (pages translate it).</summary>
    public IReadOnlyList<(string File, RecipeDocument? Recipe, IReadOnlyList<RecipeError>? Errors)> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.GetFiles(Directory, "*.json").Order().Select(path =>
        {
            try { return (Path.GetFileName(path), (RecipeDocument?)RecipeDocument.Load(path), (IReadOnlyList<RecipeError>?)null); }
            catch (RecipeException e) { return (Path.GetFileName(path), null, e.Errors); }
            catch (IOException e)
            {
                return (Path.GetFileName(path), null, [new RecipeError(Path.GetFileName(path), null, null, new Problem(null, "The file cannot be read ({0}).", e.Message))]);
            }
        }).ToList();
    }

    /// <summary>The full path of a shipped recipe; refuses anything but a plain file name.</summary>
    public string PathOf(string fileName)
    {
        if (fileName != Path.GetFileName(fileName) || !fileName.EndsWith(".json"))
            throw new SetupException($"\"{fileName}\" is not a recipe of the library.");
        var path = Path.Combine(Directory, fileName);
        return File.Exists(path) ? path : throw new SetupException($"There is no recipe \"{fileName}\" in {Directory}.");
    }
}
