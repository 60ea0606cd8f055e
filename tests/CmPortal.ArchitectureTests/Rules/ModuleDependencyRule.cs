using System.Reflection;

namespace CmPortal.ArchitectureTests.Rules;

/// <summary>
/// Rule 1: a module uses only the modules it declares. Every module assembly it references must be
/// listed, directly, in its manifest's Dependencies: otherwise a workspace can enable it without
/// the module it calls into, and the call fails at run time.
/// </summary>
public static class ModuleDependencyRule
{
    public static IReadOnlyList<string> Check(Assembly moduleAssembly)
    {
        var module = ModuleManifests.Of(moduleAssembly);
        var declared = module.Dependencies.ToHashSet(StringComparer.Ordinal);
        return moduleAssembly.GetReferencedAssemblies()
            .Select(TryLoad).OfType<Assembly>()
            .Select(used => (Assembly: used, Module: ModuleManifests.TryOf(used)))
            .Where(used => used.Module is not null && used.Module.Id != module.Id && !declared.Contains(used.Module.Id))
            .Select(used => $"Module '{module.Id}' ({moduleAssembly.GetName().Name}) uses module '{used.Module!.Id}' " +
                            $"({used.Assembly.GetName().Name}) but does not list \"{used.Module.Id}\" in its Dependencies.")
            .ToList();
    }

    /// <summary>A reference the process cannot load is not a module the host could run.</summary>
    private static Assembly? TryLoad(AssemblyName name)
    {
        try { return Assembly.Load(name); }
        catch (FileNotFoundException) { return null; }
    }
}
