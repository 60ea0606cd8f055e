using System.Reflection;

namespace CmPortal.ArchitectureTests.Rules;

/// <summary>
/// Rule 2: only a module's contract types are public. What another assembly can see must live in a
/// namespace ending with <c>.Contracts</c> (or under one), so the contract is all other modules can couple to.
/// </summary>
public static class PublicSurfaceRule
{
    public static IReadOnlyList<string> Check(Assembly moduleAssembly) => LeakingTypes(moduleAssembly).Select(Describe).ToList();

    /// <summary>Exported types outside a contract namespace (public nested types of internal types are not exported).</summary>
    public static IReadOnlyList<Type> LeakingTypes(Assembly moduleAssembly) =>
        moduleAssembly.GetExportedTypes().Where(type => !IsContractNamespace(type.Namespace)).ToList();

    public static string Describe(Type leak) =>
        $"{leak.Assembly.GetName().Name}: public type {leak.FullName} is outside a .Contracts namespace " +
        "(make it internal, or move it to the module's Contracts namespace).";

    public static bool IsContractNamespace(string? ns) =>
        ns is not null && (ns.EndsWith(".Contracts", StringComparison.Ordinal) || ns.Contains(".Contracts.", StringComparison.Ordinal));
}
