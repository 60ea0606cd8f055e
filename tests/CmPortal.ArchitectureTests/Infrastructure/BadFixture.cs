using System.Reflection;
using CmPortal.ArchitectureTests.Rules;
using CmPortal.Core.Modules;

namespace CmPortal.ArchitectureTests.Infrastructure;

/// <summary>
/// The module that breaks every rule. The test project builds it without referencing it and loads it
/// from fixtures/ (see the csproj), so the real portal started by the tests never discovers it.
/// </summary>
public static class BadFixture
{
    public const string AssemblyName = "CmPortal.Fixtures.BadModule";

    private static readonly Lazy<Assembly> LoadedAssembly =
        new(() => Assembly.LoadFrom(Path.Combine(AppContext.BaseDirectory, "fixtures", AssemblyName + ".dll")));

    public static Assembly Assembly => LoadedAssembly.Value;

    public static PortalModule Module => ModuleManifests.Of(Assembly);
}
