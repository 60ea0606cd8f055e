namespace CmPortal.ArchitectureTests.Infrastructure;

/// <summary>The source tree the tests run from (the folder holding CmPortal.sln).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CmPortal.sln"))) return directory.FullName;
        throw new InvalidOperationException($"CmPortal.sln not found above {AppContext.BaseDirectory}.");
    }
}
