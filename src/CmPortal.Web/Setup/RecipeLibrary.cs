using CmPortal.Core.Recipes;

namespace CmPortal.Web.Setup;

/// <summary>The recipes shipped in <c>recipes/</c> (copied beside the binary), or the folder <c>Recipes:Directory</c> names.</summary>
public sealed class RecipeLibrary(IConfiguration configuration)
{
    public string Directory { get; } = Path.GetFullPath(configuration["Recipes:Directory"] is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "recipes"));

    public IReadOnlyList<(string File, RecipeDocument? Recipe, string? Error)> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return System.IO.Directory.GetFiles(Directory, "*.json").Order().Select(path =>
        {
            try { return (Path.GetFileName(path), (RecipeDocument?)RecipeDocument.Load(path), (string?)null); }
            catch (RecipeException e) { return (Path.GetFileName(path), null, e.Message); }
            catch (IOException e) { return (Path.GetFileName(path), null, $"{Path.GetFileName(path)}: the file cannot be read ({e.Message})."); }
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
