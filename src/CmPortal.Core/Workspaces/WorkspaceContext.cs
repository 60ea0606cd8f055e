namespace CmPortal.Core.Workspaces;

/// <summary>The workspace the current request (or job, or recipe step) works in.</summary>
public sealed class WorkspaceContext
{
    public Workspace? Current { get; private set; }

    public Workspace Required =>
        Current ?? throw new InvalidOperationException("No workspace is selected for this operation.");

    public void Set(Workspace? workspace) => Current = workspace;
}

/// <summary>URL shapes the engine relies on.</summary>
public static class AdminPaths
{
    public static bool IsAdmin(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase);
}
