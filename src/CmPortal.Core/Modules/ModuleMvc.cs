using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace CmPortal.Core.Modules;

/// <summary>
/// Lets portal assemblies keep their controllers internal: a module's public surface is its
/// contract namespace only.
/// </summary>
internal sealed class InternalControllerFeatureProvider(IEnumerable<Assembly> portalAssemblies) : ControllerFeatureProvider
{
    private readonly HashSet<Assembly> _assemblies = portalAssemblies.ToHashSet();

    protected override bool IsController(TypeInfo typeInfo) =>
        base.IsController(typeInfo) ||
        (_assemblies.Contains(typeInfo.Assembly) && typeInfo.IsClass && !typeInfo.IsAbstract && !typeInfo.ContainsGenericParameters
         && typeof(ControllerBase).IsAssignableFrom(typeInfo) && !typeInfo.IsDefined(typeof(NonControllerAttribute)));
}

/// <summary>Marks a module's controllers with their module (for the module gate) and their area (for views).</summary>
internal sealed class ModuleControllerConvention(ModuleCatalog catalog) : IControllerModelConvention
{
    public void Apply(ControllerModel controller)
    {
        if (catalog.FindByAssembly(controller.ControllerType.Assembly) is not { } module) return;
        controller.RouteValues["area"] = module.Id;
        foreach (var selector in controller.Selectors.Concat(controller.Actions.SelectMany(a => a.Selectors)))
            selector.EndpointMetadata.Add(new ModuleEndpointMetadata(module.Id));
    }
}
