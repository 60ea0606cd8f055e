using System.Reflection;
using CmPortal.ArchitectureTests.Rules;
using CmPortal.Core.Modules;

namespace CmPortal.ArchitectureTests.Infrastructure;

/// <summary>The product's module assemblies: what the portal discovers (modules/ via CmPortal.Web), minus test fixtures.</summary>
public static class ProductModules
{
    public static IReadOnlyList<Assembly> Assemblies { get; } = ModuleCatalog.PortalAssemblies()
        .Where(ModuleManifests.IsModuleAssembly)
        .Where(a => !a.GetName().Name!.StartsWith("CmPortal.Fixtures", StringComparison.Ordinal))
        .OrderBy(a => a.GetName().Name, StringComparer.Ordinal)
        .ToList();

    /// <summary>One xunit case per module, so a failure names the module.</summary>
    public static TheoryData<string> Names => new(Assemblies.Select(a => a.GetName().Name!));

    public static Assembly Named(string name) => Assemblies.Single(a => a.GetName().Name == name);
}
