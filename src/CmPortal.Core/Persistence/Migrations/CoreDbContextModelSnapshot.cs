using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace CmPortal.Core.Persistence.Migrations;

/// <summary>
/// The model as the migrations leave it, written by hand (the EF design-time package does not
/// restore here). Provider-neutral: store types are inferred. The migration tests fail when
/// this and <see cref="CoreDbContext"/> disagree.
/// </summary>
[DbContext(typeof(CoreDbContext))]
internal sealed class CoreDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder)
    {
        const string ns = "CmPortal.Core";
        modelBuilder.Entity($"{ns}.Workspaces.Workspace", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<string>("Key").IsRequired().HasMaxLength(40);
            b.Property<string>("Name").IsRequired().HasMaxLength(100);
            b.Property<string>("Culture").IsRequired().HasMaxLength(10);
            b.Property<string>("TimeZone").IsRequired().HasMaxLength(64);
            b.Property<string>("SiteTheme").IsRequired().HasMaxLength(64);
            b.Property<DateTime>("CreatedUtc");
            b.Property<bool>("SitePublished");
            b.Property<string>("PublisherName").HasMaxLength(150);
            b.Property<string>("PublisherAddress").HasMaxLength(300);
            b.Property<string>("PublisherRegistration").HasMaxLength(150);
            b.Property<string>("PublicationDirector").HasMaxLength(100);
            b.Property<string>("HostingName").HasMaxLength(150);
            b.Property<string>("HostingAddress").HasMaxLength(300);
            b.Property<string>("HostingPhone").HasMaxLength(40);
            b.Property<string>("ContactEmail").HasMaxLength(254);
            b.HasKey("Id");
            b.HasIndex("Key").IsUnique();
            b.ToTable("Core_Workspaces");
        });
        modelBuilder.Entity($"{ns}.Security.PortalUser", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<string>("Email").IsRequired().HasMaxLength(256);
            b.Property<string>("NormalizedEmail").IsRequired().HasMaxLength(256);
            b.Property<string>("DisplayName").IsRequired().HasMaxLength(100);
            b.Property<string>("PasswordHash");
            b.Property<string>("SecurityStamp").IsRequired().HasMaxLength(64);
            b.Property<bool>("IsHostAdmin");
            b.Property<string>("PreferredCulture").HasMaxLength(10);
            b.Property<bool>("MustChangePassword");
            b.Property<int>("AccessFailedCount");
            b.Property<DateTime?>("LockoutEndUtc");
            b.Property<DateTime>("CreatedUtc");
            b.HasKey("Id");
            b.HasIndex("NormalizedEmail").IsUnique();
            b.ToTable("Core_Users");
        });
        modelBuilder.Entity($"{ns}.Workspaces.WorkspaceHost", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("HostName").IsRequired().HasMaxLength(253);
            b.HasKey("Id");
            b.HasIndex("HostName").IsUnique();
            b.HasIndex("WorkspaceId");
            b.ToTable("Core_WorkspaceHosts");
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany("Hosts").HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Workspaces.WorkspaceModule", b =>
        {
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("ModuleId").HasMaxLength(64);
            b.HasKey("WorkspaceId", "ModuleId");
            b.ToTable("Core_WorkspaceModules");
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany("Modules").HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Security.WorkspaceRole", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Name").IsRequired().HasMaxLength(64);
            b.HasKey("Id");
            b.HasIndex("WorkspaceId", "Name").IsUnique();
            b.ToTable("Core_Roles");
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany().HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Security.RolePermission", b =>
        {
            b.Property<Guid>("RoleId");
            b.Property<string>("Permission").HasMaxLength(128);
            b.HasKey("RoleId", "Permission");
            b.ToTable("Core_RolePermissions");
            b.HasOne($"{ns}.Security.WorkspaceRole", null).WithMany("Permissions").HasForeignKey("RoleId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Security.Membership", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<Guid>("UserId");
            b.Property<Guid>("RoleId");
            b.HasKey("Id");
            b.HasIndex("RoleId");
            b.HasIndex("UserId");
            b.HasIndex("WorkspaceId", "UserId").IsUnique();
            b.ToTable("Core_Memberships");
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany().HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
            b.HasOne($"{ns}.Security.PortalUser", "User").WithMany().HasForeignKey("UserId").OnDelete(DeleteBehavior.Cascade).IsRequired();
            b.HasOne($"{ns}.Security.WorkspaceRole", "Role").WithMany().HasForeignKey("RoleId").OnDelete(DeleteBehavior.Restrict).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Security.UserSession", b =>
        {
            b.Property<string>("Id").HasMaxLength(64);
            b.Property<Guid>("UserId");
            b.Property<byte[]>("Ticket").IsRequired();
            b.Property<DateTime>("CreatedUtc");
            b.Property<DateTime>("ExpiresUtc");
            b.HasKey("Id");
            b.HasIndex("UserId");
            b.ToTable("Core_Sessions");
            b.HasOne($"{ns}.Security.PortalUser", null).WithMany().HasForeignKey("UserId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Security.Invitation", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Email").IsRequired().HasMaxLength(256);
            b.Property<string>("DisplayName").HasMaxLength(100);
            b.Property<Guid>("RoleId");
            b.Property<string>("TokenHash").IsRequired().HasMaxLength(64);
            b.Property<Guid>("InvitedBy");
            b.Property<DateTime>("CreatedUtc");
            b.Property<DateTime>("ExpiresUtc");
            b.Property<DateTime?>("AcceptedUtc");
            b.HasKey("Id");
            b.HasIndex("RoleId");
            b.HasIndex("TokenHash").IsUnique();
            b.HasIndex("WorkspaceId");
            b.ToTable("Core_Invitations");
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany().HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
            b.HasOne($"{ns}.Security.WorkspaceRole", "Role").WithMany().HasForeignKey("RoleId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Caching.PublicPageVersion", b =>
        {
            b.Property<Guid>("WorkspaceId");
            b.Property<long>("Version");
            b.HasKey("WorkspaceId");
            b.ToTable("Core_PublicPageVersions");
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany().HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        BuildEventsAndNotifications(modelBuilder, ns);
        // 20261130100100_CoreAccessTokens
        modelBuilder.Entity($"{ns}.Security.AccessToken", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("UserId");
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Name").IsRequired().HasMaxLength(100);
            b.Property<string>("SecretHash").IsRequired().HasMaxLength(64);
            b.Property<string>("Prefix").IsRequired().HasMaxLength(8);
            b.Property<DateTime>("CreatedUtc");
            b.Property<DateTime?>("LastUsedUtc");
            b.Property<DateTime?>("ExpiresUtc");
            b.Property<DateTime?>("RevokedUtc");
            b.HasKey("Id");
            b.HasIndex("SecretHash").IsUnique();
            b.HasIndex("UserId");
            b.HasIndex("WorkspaceId");
            b.ToTable("Core_AccessTokens");
            b.HasOne($"{ns}.Security.PortalUser", null).WithMany().HasForeignKey("UserId").OnDelete(DeleteBehavior.Cascade).IsRequired();
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany().HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        // 20261130100200_CoreDataProtectionKeys
        modelBuilder.Entity($"{ns}.Security.DataProtectionKey", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<string>("FriendlyName").HasMaxLength(200);
            b.Property<string>("Xml").IsRequired();
            b.HasKey("Id");
            b.ToTable("Core_DataProtectionKeys");
        });
    }

    // Module events and in-portal notifications (20261130100000_CoreEventsAndNotifications).
    private static void BuildEventsAndNotifications(ModelBuilder modelBuilder, string ns)
    {
        modelBuilder.Entity($"{ns}.Events.StoredModuleEvent", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Name").IsRequired().HasMaxLength(128);
            b.Property<string>("Payload").IsRequired();
            b.Property<DateTime>("RaisedUtc");
            b.Property<int>("State");
            b.Property<int>("Attempts");
            b.Property<DateTime>("NextAttemptUtc");
            b.Property<string>("LastError").HasMaxLength(2000);
            b.Property<DateTime?>("HandledUtc");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId");
            b.HasIndex("State", "NextAttemptUtc");
            b.ToTable("Core_ModuleEvents");
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany().HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Events.ModuleEventDelivery", b =>
        {
            b.Property<Guid>("EventId");
            b.Property<string>("Handler").HasMaxLength(256);
            b.Property<DateTime>("HandledUtc");
            b.HasKey("EventId", "Handler");
            b.ToTable("Core_ModuleEventDeliveries");
            b.HasOne($"{ns}.Events.StoredModuleEvent", null).WithMany().HasForeignKey("EventId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
        modelBuilder.Entity($"{ns}.Notifications.PortalNotification", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("UserId");
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("ModuleId").IsRequired().HasMaxLength(64);
            b.Property<string>("Kind").IsRequired().HasMaxLength(64);
            b.Property<string>("Template").IsRequired().HasMaxLength(500);
            b.Property<string>("Values").IsRequired();
            b.Property<string>("Url").IsRequired().HasMaxLength(500);
            b.Property<DateTime>("CreatedUtc");
            b.Property<DateTime?>("ReadUtc");
            b.HasKey("Id");
            b.HasIndex("WorkspaceId");
            b.HasIndex("UserId", "ReadUtc");
            b.ToTable("Core_Notifications");
            b.HasOne($"{ns}.Security.PortalUser", null).WithMany().HasForeignKey("UserId").OnDelete(DeleteBehavior.Cascade).IsRequired();
            b.HasOne($"{ns}.Workspaces.Workspace", null).WithMany().HasForeignKey("WorkspaceId").OnDelete(DeleteBehavior.Cascade).IsRequired();
        });
    }
}