using CmPortal.Core.Admin;
using CmPortal.Core.Events;
using CmPortal.Core.Workspaces;
using CmPortal.Fixtures.ProbeBase;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

[assembly: PortalModule(typeof(CmPortal.Fixtures.ProbeDependent.ProbeDependentModule))]

namespace CmPortal.Fixtures.ProbeDependent;

/// <summary>A module that depends on ProbeBase: enabling it enables ProbeBase; ProbeBase cannot go off under it.</summary>
public sealed class ProbeDependentModule : PortalModule
{
    public static readonly Permission View = new("ProbeDependent.View", "See the dependent probe", DefaultRoles.Everyone);

    public override string Id => "ProbeDependent";
    public override string Name => "Probe dependent";
    public override string Description => "Test fixture that depends on Probe base.";
    public override string Category => "Tests";
    public override IReadOnlyList<string> Dependencies => ["ProbeBase"];
    public override IEnumerable<Permission> Permissions => [View];

    public override void ConfigureServices(ModuleServices module) => module.AddEventHandler<ProbeNoteAdded, ProbeDependentRecorder>();

    public override void MapAdminEndpoints(IEndpointRouteBuilder admin) =>
        admin.MapGet("/probe-dependent", () => Results.Text("dependent")).RequirePermission(View);

    public override void MapPublicEndpoints(IEndpointRouteBuilder site) =>
        site.MapGet("/probe-dependent", () => Results.Text("dependent"));

    public override void BuildAdminMenu(AdminMenuBuilder menu) => menu.Add("Tests", "Probe dependent", "probe-dependent", View);
}

/// <summary>Another module's handler of the probe event: runs only where Probe dependent is on.</summary>
public sealed class ProbeDependentRecorder(ProbeEventLog log, WorkspaceContext workspace) : IModuleEventHandler<ProbeNoteAdded>
{
    public Task HandleAsync(ProbeNoteAdded moduleEvent, CancellationToken ct)
    {
        log.Handled.Enqueue($"dependent:{workspace.Current!.Key}:{moduleEvent.Text}");
        return Task.CompletedTask;
    }
}
