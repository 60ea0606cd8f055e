using CmPortal.Core.Caching;
using CmPortal.Core.Events;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Themes;
using CmPortal.Core.Validation;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Workspaces;

/// <summary>The settings a workspace is created or edited with; checked by <see cref="WorkspaceService.Check"/>.</summary>
public sealed record WorkspaceSettings(string Key, string Name, string Culture, string TimeZone, string? SiteTheme, IReadOnlyList<string>? Hosts);
// Hosts: null leaves the bound host names as they are.

/// <summary>Creates, finds and edits workspaces. The one place their rules are enforced.</summary>
public sealed class WorkspaceService(CoreDbContext db, ThemeCatalog themes, WorkspaceHostMap hostMap, WorkspaceDirectory directory, PortalHostNames portalHosts, IPublicPageCache pages,
    IModuleEvents events)
{
    public Task<Workspace?> FindAsync(string key, CancellationToken ct = default) =>
        db.Workspaces.Include(w => w.Hosts).FirstOrDefaultAsync(w => w.Key == key, ct);

    public Task<List<Workspace>> ListAsync(CancellationToken ct = default) =>
        db.Workspaces.AsNoTracking().OrderBy(w => w.Name).ToListAsync(ct);

    /// <summary>Every invalid setting, at most one problem per field; empty when the settings can be saved.</summary>
    public async Task<IReadOnlyList<Problem>> ProblemsAsync(WorkspaceSettings settings, Guid? existingId, CancellationToken ct = default)
    {
        var problems = Problems(settings).ToList();
        void Add(Problem problem) { if (problems.All(p => p.Field != problem.Field)) problems.Add(problem); }
        if (problems.All(p => p.Field != "key") && await db.Workspaces.AnyAsync(w => w.Key == settings.Key && w.Id != existingId, ct))
            Add(new Problem("key", "A workspace with the key \"{0}\" already exists. Choose another key.", settings.Key));
        foreach (var host in settings.Hosts ?? [])
        {
            var owner = await db.WorkspaceHosts.Where(h => h.HostName == host && h.WorkspaceId != existingId)
                .Join(db.Workspaces, h => h.WorkspaceId, w => w.Id, (h, w) => w.Key).FirstOrDefaultAsync(ct);
            if (owner is not null) Add(new Problem("hosts", "The host name \"{0}\" is already bound to workspace \"{1}\". Remove it there first.", host, owner));
        }
        return problems;
    }

    /// <summary>The checks that need no database, at most one problem per field.</summary>
    public IReadOnlyList<Problem> Problems(WorkspaceSettings settings)
    {
        var problems = new List<Problem>();
        void Add(Problem? problem) { if (problem is not null && problems.All(p => p.Field != problem.Field)) problems.Add(problem); }
        Add(WorkspaceRules.CheckKey(settings.Key));
        Add(WorkspaceRules.CheckName(settings.Name));
        Add(WorkspaceRules.CheckCulture(settings.Culture));
        Add(WorkspaceRules.CheckTimeZone(settings.TimeZone));
        if (settings.SiteTheme is not null) Add(themes.SiteThemeProblem(settings.SiteTheme));
        foreach (var host in settings.Hosts ?? []) Add(WorkspaceRules.CheckHostName(host));
        foreach (var host in (settings.Hosts ?? []).Where(portalHosts.IsReserved))
            Add(new Problem("hosts", "\"{0}\" is an address of the portal itself (its admin and sign-in pages answer there), so no workspace can take it. Give the brand's own host name, such as \"www.example.fr\".", host));
        if (settings.Hosts is { } hosts && hosts.Distinct().Count() != hosts.Count) Add(new Problem("hosts", "A host name is listed twice. List each once."));
        return problems;
    }

    /// <summary>Creates the workspace with its default roles, or updates it if the key exists. Call <see cref="ProblemsAsync"/> first.</summary>
    public async Task<Workspace> SaveAsync(WorkspaceSettings settings, CancellationToken ct = default)
    {
        var workspace = await FindAsync(settings.Key, ct);
        var created = workspace is null;
        var previousZone = workspace?.TimeZone;
        workspace ??= db.Workspaces.Add(new Workspace { Key = settings.Key, Name = settings.Name, SiteTheme = themes.DefaultSiteTheme }).Entity;
        workspace.Name = settings.Name;
        workspace.Culture = settings.Culture;
        workspace.TimeZone = settings.TimeZone;
        workspace.SiteTheme = settings.SiteTheme ?? workspace.SiteTheme;
        if (settings.Hosts is { } hosts)
        {
            workspace.Hosts.RemoveAll(h => !hosts.Contains(h.HostName));
            foreach (var host in hosts.Distinct().Where(h => workspace.Hosts.All(x => x.HostName != h)))
                workspace.Hosts.Add(new WorkspaceHost { HostName = host });
        }
        if (created)
        {
            foreach (var role in DefaultRoles.All)
                db.Roles.Add(new WorkspaceRole
                {
                    WorkspaceId = workspace.Id,
                    Name = role,
                    Permissions = CorePermissions.All.Where(p => p.DefaultRoles.Contains(role))
                        .Select(p => new RolePermission { Permission = p.Name }).ToList(),
                });
        }
        if (previousZone is not null && previousZone != workspace.TimeZone)
        {
            // The event is stored with the change: modules recompute what they derived from the old zone.
            await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            await db.SaveChangesAsync(ct);
            await events.RaiseForAsync(workspace.Id, new WorkspaceTimeZoneChanged(previousZone, workspace.TimeZone), ct);
            if (transaction is not null) await transaction.CommitAsync(ct);
        }
        else await db.SaveChangesAsync(ct);
        hostMap.Invalidate();
        directory.Invalidate();
        await pages.EvictAsync(workspace.Id, ct);
        return workspace;
    }

    /// <summary>Puts the workspace's public site online (<paramref name="published"/>) or takes it offline: offline, its public pages answer 404.</summary>
    public async Task SetSitePublishedAsync(Workspace workspace, bool published, CancellationToken ct = default)
    {
        var tracked = await db.Workspaces.FirstAsync(w => w.Id == workspace.Id, ct);
        tracked.SitePublished = published;
        workspace.SitePublished = published;
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        await pages.EvictAsync(workspace.Id, ct);
    }

    /// <summary>Saves the legal notice and contact of the public site. Check it first with <see cref="SiteInfo.Check"/>.</summary>
    public async Task SetSiteInfoAsync(Workspace workspace, SiteInfo info, CancellationToken ct = default)
    {
        info = info.Normalized();
        var tracked = await db.Workspaces.FirstAsync(w => w.Id == workspace.Id, ct);
        foreach (var target in new[] { tracked, workspace })
        {
            target.PublisherName = info.PublisherName;
            target.PublisherAddress = info.PublisherAddress;
            target.PublisherRegistration = info.PublisherRegistration;
            target.PublicationDirector = info.PublicationDirector;
            target.HostingName = info.HostingName;
            target.HostingAddress = info.HostingAddress;
            target.HostingPhone = info.HostingPhone;
            target.ContactEmail = info.ContactEmail;
        }
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        await pages.EvictAsync(workspace.Id, ct);
    }

    public async Task SetSiteThemeAsync(Workspace workspace, string theme, CancellationToken ct = default)
    {
        var tracked = await db.Workspaces.FirstAsync(w => w.Id == workspace.Id, ct);
        tracked.SiteTheme = theme;
        workspace.SiteTheme = theme;
        await db.SaveChangesAsync(ct);
        await pages.EvictAsync(workspace.Id, ct);
    }
}
