using CmPortal.Core.Caching;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Persistence;

/// <summary>
/// The engine's own tables (prefix <c>Core_</c>): workspaces, their modules and host
/// names, users, roles, memberships and sign-in sessions. Not filtered by workspace: the engine scopes
/// its queries explicitly, since it is what switches between workspaces.
/// </summary>
public sealed class CoreDbContext(DbContextOptions<CoreDbContext> options, PortalDbContextDependencies dependencies)
    : PortalDbContext(options, dependencies)
{
    public const string Prefix = "Core";

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<WorkspaceHost> WorkspaceHosts => Set<WorkspaceHost>();
    public DbSet<WorkspaceModule> WorkspaceModules => Set<WorkspaceModule>();
    public DbSet<PortalUser> Users => Set<PortalUser>();
    public DbSet<WorkspaceRole> Roles => Set<WorkspaceRole>();
    public DbSet<RolePermission> RolePermissions => Set<RolePermission>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<UserSession> Sessions => Set<UserSession>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<PublicPageVersion> PublicPageVersions => Set<PublicPageVersion>();
    public DbSet<Events.StoredModuleEvent> ModuleEvents => Set<Events.StoredModuleEvent>();
    public DbSet<Events.ModuleEventDelivery> ModuleEventDeliveries => Set<Events.ModuleEventDelivery>();
    public DbSet<Notifications.PortalNotification> Notifications => Set<Notifications.PortalNotification>();
    public DbSet<AccessToken> AccessTokens => Set<AccessToken>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Workspace>(b =>
        {
            b.ToTable("Core_Workspaces");
            b.Property(w => w.Key).HasMaxLength(40);
            b.Property(w => w.Name).HasMaxLength(100);
            b.Property(w => w.Culture).HasMaxLength(10);
            b.Property(w => w.TimeZone).HasMaxLength(64);
            b.Property(w => w.SiteTheme).HasMaxLength(64);
            b.HasIndex(w => w.Key).IsUnique();
            b.HasMany(w => w.Hosts).WithOne().HasForeignKey(h => h.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(w => w.Modules).WithOne().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<WorkspaceHost>(b =>
        {
            b.ToTable("Core_WorkspaceHosts");
            b.Property(h => h.HostName).HasMaxLength(253);
            b.HasIndex(h => h.HostName).IsUnique();
        });
        modelBuilder.Entity<WorkspaceModule>(b =>
        {
            b.ToTable("Core_WorkspaceModules");
            b.HasKey(m => new { m.WorkspaceId, m.ModuleId });
            b.Property(m => m.ModuleId).HasMaxLength(64);
        });
        modelBuilder.Entity<PortalUser>(b =>
        {
            b.ToTable("Core_Users");
            b.Property(u => u.Email).HasMaxLength(256);
            b.Property(u => u.NormalizedEmail).HasMaxLength(256);
            b.Property(u => u.DisplayName).HasMaxLength(100);
            b.Property(u => u.SecurityStamp).HasMaxLength(64);
            b.Property(u => u.PreferredCulture).HasMaxLength(10);
            b.HasIndex(u => u.NormalizedEmail).IsUnique();
        });
        modelBuilder.Entity<WorkspaceRole>(b =>
        {
            b.ToTable("Core_Roles");
            b.Property(r => r.Name).HasMaxLength(64);
            b.HasIndex(r => new { r.WorkspaceId, r.Name }).IsUnique();
            b.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            b.HasMany(r => r.Permissions).WithOne().HasForeignKey(p => p.RoleId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<RolePermission>(b =>
        {
            b.ToTable("Core_RolePermissions");
            b.HasKey(p => new { p.RoleId, p.Permission });
            b.Property(p => p.Permission).HasMaxLength(128);
        });
        modelBuilder.Entity<Membership>(b =>
        {
            b.ToTable("Core_Memberships");
            b.HasIndex(m => new { m.WorkspaceId, m.UserId }).IsUnique();
            b.HasIndex(m => m.UserId);
            b.HasOne<Workspace>().WithMany().HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne(m => m.Role).WithMany().HasForeignKey(m => m.RoleId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<UserSession>(b =>
        {
            b.ToTable("Core_Sessions");
            b.Property(s => s.Id).HasMaxLength(64);
            b.HasIndex(s => s.UserId);
            b.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Invitation>(b =>
        {
            b.ToTable("Core_Invitations");
            b.Property(i => i.Email).HasMaxLength(256);
            b.Property(i => i.DisplayName).HasMaxLength(100);
            b.Property(i => i.TokenHash).HasMaxLength(64);
            b.HasIndex(i => i.TokenHash).IsUnique();
            b.HasIndex(i => i.WorkspaceId);
            b.HasOne<Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne(i => i.Role).WithMany().HasForeignKey(i => i.RoleId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<PublicPageVersion>(b =>
        {
            b.ToTable("Core_PublicPageVersions");
            b.HasKey(v => v.WorkspaceId);
            b.Property(v => v.WorkspaceId).ValueGeneratedNever();
            b.HasOne<Workspace>().WithMany().HasForeignKey(v => v.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        MapEventsAndNotifications(modelBuilder);
        MapAccessTokens(modelBuilder);
        // Data Protection's key ring, shared by every node (migration 20261130100200_CoreDataProtectionKeys).
        modelBuilder.Entity<DataProtectionKey>(b =>
        {
            b.ToTable("Core_DataProtectionKeys");
            b.Property(k => k.FriendlyName).HasMaxLength(200);
        });
    }

    // Module events and in-portal notifications (migration 20261130100000_CoreEventsAndNotifications).
    private static void MapEventsAndNotifications(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Events.StoredModuleEvent>(b =>
        {
            b.ToTable("Core_ModuleEvents");
            b.Property(e => e.Name).HasMaxLength(128);
            b.Property(e => e.LastError).HasMaxLength(2000);
            b.HasIndex(e => new { e.State, e.NextAttemptUtc });
            b.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Events.ModuleEventDelivery>(b =>
        {
            b.ToTable("Core_ModuleEventDeliveries");
            b.HasKey(d => new { d.EventId, d.Handler });
            b.Property(d => d.Handler).HasMaxLength(256);
            b.HasOne<Events.StoredModuleEvent>().WithMany().HasForeignKey(d => d.EventId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Notifications.PortalNotification>(b =>
        {
            b.ToTable("Core_Notifications");
            b.Property(n => n.ModuleId).HasMaxLength(64);
            b.Property(n => n.Kind).HasMaxLength(64);
            b.Property(n => n.Template).HasMaxLength(500);
            b.Property(n => n.Url).HasMaxLength(500);
            b.HasIndex(n => new { n.UserId, n.ReadUtc });
            b.HasIndex(n => n.WorkspaceId);
            b.HasOne<PortalUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Workspace>().WithMany().HasForeignKey(n => n.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
    }

    // Personal access tokens (migration 20261130100100_CoreAccessTokens), in a block of their own.
    private static void MapAccessTokens(ModelBuilder modelBuilder) =>
        modelBuilder.Entity<AccessToken>(b =>
        {
            b.ToTable("Core_AccessTokens");
            b.Property(t => t.Name).HasMaxLength(AccessTokenService.NameLength);
            b.Property(t => t.SecretHash).HasMaxLength(64);
            b.Property(t => t.Prefix).HasMaxLength(AccessTokenService.PrefixLength);
            b.HasIndex(t => t.SecretHash).IsUnique();
            b.HasIndex(t => t.UserId);
            b.HasIndex(t => t.WorkspaceId);
            b.HasOne<PortalUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
            b.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        });
}
