using System.Reflection;
using Microsoft.Extensions.DependencyModel;

namespace CmPortal.Core.Modules;

/// <summary>
/// The modules the host was built with, in dependency order (a module comes after
/// the modules it depends on). Built once at start from the referenced assemblies.
/// </summary>
public sealed class ModuleCatalog
{
    private readonly Dictionary<string, PortalModule> _byId;

    public ModuleCatalog(IEnumerable<PortalModule> modules)
    {
        var list = modules.ToList();
        _byId = new Dictionary<string, PortalModule>(StringComparer.Ordinal);
        foreach (var module in list)
        {
            if (!_byId.TryAdd(module.Id, module))
                throw new InvalidOperationException($"Two modules declare the id '{module.Id}'. Module ids must be unique.");
        }
        foreach (var module in list)
        foreach (var dependency in module.Dependencies)
        {
            if (!_byId.ContainsKey(dependency))
                throw new InvalidOperationException(
                    $"Module '{module.Id}' depends on '{dependency}', which the host does not reference. Add a project reference to it.");
        }
        Modules = TopologicalOrder(list);
    }

    public IReadOnlyList<PortalModule> Modules { get; }

    public PortalModule? Find(string id) => _byId.GetValueOrDefault(id);

    public bool Contains(string id) => _byId.ContainsKey(id);

    public PortalModule? FindByAssembly(Assembly assembly) =>
        Modules.FirstOrDefault(m => m.GetType().Assembly == assembly);

    /// <summary>The module and everything it depends on, directly or not.</summary>
    public IReadOnlyList<string> WithDependencies(string id)
    {
        var result = new List<string>();
        void Visit(string current)
        {
            if (result.Contains(current)) return;
            foreach (var dependency in _byId[current].Dependencies) Visit(dependency);
            result.Add(current);
        }
        Visit(id);
        return result;
    }

    /// <summary>Modules among <paramref name="enabled"/> that depend, directly or not, on <paramref name="id"/>.</summary>
    public IReadOnlyList<string> Dependents(string id, IEnumerable<string> enabled) =>
        enabled.Where(other => other != id && _byId.ContainsKey(other) && WithDependencies(other).Contains(id)).ToList();

    private IReadOnlyList<PortalModule> TopologicalOrder(List<PortalModule> modules)
    {
        var ordered = new List<PortalModule>();
        var state = new Dictionary<string, bool>(); // false: visiting, true: done
        void Visit(PortalModule module, Stack<string> path)
        {
            if (state.TryGetValue(module.Id, out var done))
            {
                if (!done)
                    throw new InvalidOperationException(
                        $"Modules depend on each other in a cycle: {string.Join(" -> ", path.Reverse().Append(module.Id))}.");
                return;
            }
            state[module.Id] = false;
            path.Push(module.Id);
            foreach (var dependency in module.Dependencies) Visit(_byId[dependency], path);
            path.Pop();
            state[module.Id] = true;
            ordered.Add(module);
        }
        foreach (var module in modules.OrderBy(m => m.Id, StringComparer.Ordinal)) Visit(module, new Stack<string>());
        return ordered;
    }

    /// <summary>Finds every assembly of the application that declares a module or a theme.</summary>
    public static IReadOnlyList<Assembly> PortalAssemblies()
    {
        var context = DependencyContext.Default;
        var names = context is null
            ? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName())
            : context.RuntimeLibraries
                .Where(l => l.Dependencies.Any(d => d.Name == "CmPortal.Core"))
                .SelectMany(l => l.GetDefaultAssemblyNames(context));
        var assemblies = new List<Assembly>();
        foreach (var name in names.DistinctBy(n => n.Name))
        {
            Assembly assembly;
            try { assembly = Assembly.Load(name); }
            catch (FileNotFoundException) { continue; }
            if (assembly.IsDefined(typeof(PortalModuleAttribute)) || assembly.IsDefined(typeof(Themes.PortalThemeAttribute)))
                assemblies.Add(assembly);
        }
        return assemblies;
    }

    public static ModuleCatalog FromAssemblies(IEnumerable<Assembly> assemblies) =>
        new(assemblies
            .SelectMany(a => a.GetCustomAttributes<PortalModuleAttribute>())
            .Select(a => (PortalModule)Activator.CreateInstance(a.ModuleType, nonPublic: true)!));
}
