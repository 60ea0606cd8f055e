using System.Reflection;
using CmPortal.Core.Modules;

namespace CmPortal.ArchitectureTests.Rules;

/// <summary>Reads the module an assembly declares with <c>[assembly: PortalModule(...)]</c>.</summary>
public static class ModuleManifests
{
    public static bool IsModuleAssembly(Assembly assembly) => assembly.IsDefined(typeof(PortalModuleAttribute));

    public static PortalModule Of(Assembly assembly) =>
        TryOf(assembly) ?? throw new ArgumentException($"{assembly.GetName().Name} declares no portal module.", nameof(assembly));

    /// <summary>Instantiated the way ModuleCatalog does; not through a catalog, which would reject undeclared dependencies.</summary>
    public static PortalModule? TryOf(Assembly assembly) =>
        assembly.GetCustomAttribute<PortalModuleAttribute>() is { } declaration
            ? (PortalModule)Activator.CreateInstance(declaration.ModuleType, nonPublic: true)!
            : null;
}
