using CmPortal.Core.Workspaces;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Infrastructure;

public static class SitePublishingExtensions
{
    /// <summary>
    /// Puts a workspace's public site online, as a brand manager's "Publish the site" does: a workspace a recipe
    /// creates starts offline unless the recipe publishes it.
    /// </summary>
    public static Task PublishSiteAsync(this PortalHost host, string key) => host.InScopeAsync(async services =>
    {
        var workspaces = services.GetRequiredService<WorkspaceService>();
        var workspace = await workspaces.FindAsync(key) ?? throw new InvalidOperationException($"No workspace \"{key}\" to publish.");
        await workspaces.SetSitePublishedAsync(workspace, true);
    });
}
