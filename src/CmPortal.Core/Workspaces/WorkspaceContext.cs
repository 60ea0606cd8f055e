namespace CmPortal.Core.Workspaces;

/// <summary>The workspace the current request (or job, or recipe step) works in.</summary>
public sealed class WorkspaceContext
{
    public Workspace? Current { get; private set; }

    public Workspace Required =>
        Current ?? throw new InvalidOperationException("No workspace is selected for this operation.");

    /// <summary>The modules on in the current workspace, when the request pipeline resolved it (null otherwise: ask <see cref="Modules.ModuleFeatures"/>).</summary>
    public IReadOnlySet<string>? EnabledModules { get; private set; }

    public void Set(Workspace? workspace, IReadOnlySet<string>? enabledModules = null)
    {
        Current = workspace;
        EnabledModules = enabledModules;
    }
}

/// <summary>URL shapes the engine relies on.</summary>
public static class AdminPaths
{
    public static bool IsAdmin(Microsoft.AspNetCore.Http.PathString path) =>
        path.StartsWithSegments("/admin", StringComparison.OrdinalIgnoreCase);
}
