using System.Reflection;
using CmPortal.Core.Admin;
using CmPortal.Core.Api;
using CmPortal.Core.Caching;
using CmPortal.Core.Events;
using CmPortal.Core.Notifications;
using CmPortal.Core.Jobs;
using CmPortal.Core.Localization;
using CmPortal.Core.Mail;
using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Recipes.Steps;
using CmPortal.Core.Security;
using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Quartz;

namespace CmPortal.Core;

/// <summary>Registers the engine and every module and theme the host references.</summary>
public static class PortalEngine
{
    public static IServiceCollection AddPortalEngine(this IServiceCollection services, IConfiguration configuration,
        Assembly hostAssembly, IEnumerable<Assembly>? extraAssemblies = null)
    {
        var portalAssemblies = ModuleCatalog.PortalAssemblies().Concat(extraAssemblies ?? []).Distinct().ToList();
        var catalog = ModuleCatalog.FromAssemblies(portalAssemblies);
        var themes = ThemeCatalog.FromAssemblies(portalAssemblies);
        var database = DatabaseOptions.FromConfiguration(configuration);

        services.AddSingleton(catalog);
        services.AddSingleton(themes);
        services.AddSingleton(database);
        services.AddSingleton(new PortalTranslations(portalAssemblies.Append(typeof(PortalEngine).Assembly).Append(hostAssembly)));
        services.AddSingleton<PortalStringLocalizerFactory>();
        services.AddSingleton<IStringLocalizerFactory>(s => s.GetRequiredService<PortalStringLocalizerFactory>());
        services.AddSingleton(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));

        // French text stays readable in the HTML (é, not &#xE9;); markup characters are still escaped.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddScoped<PortalConnection>();
        services.AddScoped<WorkspaceContext>();
        services.AddScoped<PortalDbContextDependencies>();
        services.AddPortalDbContext<CoreDbContext>(CoreDbContext.Prefix);
        services.AddScoped<WorkspaceService>();
        services.AddScoped<ModuleFeatures>();
        services.AddScoped<PermissionService>();
        services.AddScoped<MembershipService>();
        var mail = MailSettings.FromConfiguration(configuration); // a wrong value stops the start with what to fix
        services.AddSingleton(sp => new MailSender(sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<MailSender>>(), mail));
        services.AddSingleton<InvitationMailer>();
        services.AddScoped<WorkspaceRoleService>();
        services.AddScoped<AdminMenu>();
        services.AddScoped<IModuleEvents, ModuleEvents>();
        services.AddSingleton<ModuleEventDispatcher>();
        services.AddScoped<INotifier, Notifier>();
        services.AddScoped<NotificationInbox>();
        services.AddSingleton<WorkspaceHostMap>();
        services.AddSingleton<PortalHostNames>();
        services.AddSingleton<WorkspaceDirectory>();
        services.AddPortalSecurity(configuration);
        services.AddScoped<AdminNavigation>();
        services.AddScoped<DashboardCards>();
        // The catalogue's limits per network, unless a module that connects accounts gives the workspace's own.
        services.TryAddScoped<Networks.INetworkLimits, Networks.CatalogueNetworkLimits>();
        services.AddScoped<AdminPanels>();
        services.AddScoped<BrandStyles>();
        services.AddMemoryCache();
        services.AddPublicPageCache();
        services.AddSingleton<NodaTime.IClock>(NodaTime.SystemClock.Instance);

        services.AddSingleton<RecipeRunner>();
        services.AddSingleton<RecipeExporter>();
        services.AddScoped<WorkspaceDuplicator>();
        services.AddScoped<IRecipeStep, WorkspaceStep>();
        services.AddScoped<IRecipeStep, ModulesStep>();
        services.AddScoped<IRecipeStep, ThemeStep>();
        services.AddScoped<IRecipeStep, RolesStep>();
        services.AddScoped<IRecipeStep, MembersStep>();

        AddIdentity(services, configuration);
        // Sign-in cookies and channel secrets survive a restart and are read by every node: keys live in the
        // database (Core_DataProtectionKeys); those an older install kept in {data}/keys are imported once.
        services.AddDataProtection().SetApplicationName("CmPortal");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<IServiceScopeFactory>(),
                Path.Combine(database.DataDirectory, "keys"))));

        foreach (var module in catalog.Modules)
            module.ConfigureServices(new ModuleServices(module, services, configuration));

        AddJobs(services, database);

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<SchedulerHealthCheck>("scheduler");

        var mvc = services.AddControllersWithViews(o => o.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()))
            .AddViewLocalization()
            .AddPortalValidationMessages()
            .ConfigureApplicationPartManager(parts =>
            {
                // The host's references are parts already; modules and themes found otherwise (tests) are added,
                // both as code (controllers) and as compiled views. Themes override views by path (see
                // ThemeViewLocationExpander), so part order does not matter.
                foreach (var assembly in portalAssemblies)
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                    if (!parts.ApplicationParts.Any(p => p.GetType() == part.GetType() && p.Name == part.Name)) parts.ApplicationParts.Add(part);
                parts.FeatureProviders.Add(new InternalControllerFeatureProvider(portalAssemblies.Append(hostAssembly)));
            });
        mvc.AddMvcOptions(o => o.Conventions.Add(new ModuleControllerConvention(catalog)));
        // After AddViewLocalization: views show the values of translated texts as controllers do (PortalValues).
        services.Replace(ServiceDescriptor.Singleton<Microsoft.AspNetCore.Mvc.Localization.IHtmlLocalizerFactory, PortalHtmlLocalizerFactory>());
        services.Configure<RazorViewEngineOptions>(o => o.ViewLocationExpanders.Add(new ThemeViewLocationExpander()));
        return services;
    }

    private static void AddIdentity(IServiceCollection services, IConfiguration configuration)
    {
        services.AddPortalApi(); // the default scheme: bearer tokens under /api, the sign-in cookie elsewhere
        services.AddAuthentication().AddIdentityCookies();
        services.TryAddSingleton(TimeProvider.System);
        services.AddUserSessions(IdentityConstants.ApplicationScheme);
        services.AddSignInRateLimit(configuration);
        services.AddIdentityCore<PortalUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
            })
            .AddUserStore<PortalUserStore>()
            .AddErrorDescriber<PortalIdentityErrors>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<PortalClaimsFactory>();
        services.AddSingleton<IAuthorizationPolicyProvider, PermissionPolicyProvider>();
        services.AddScoped<IAuthorizationHandler, PermissionHandler>();
        services.AddAuthorization();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, WorkspaceAuthorizationResultHandler>();
    }

    private static void AddJobs(IServiceCollection services, DatabaseOptions database)
    {
        var registrations = services.Where(d => d.ServiceType == typeof(WorkspaceJobRegistration) && d.ImplementationInstance is not null)
            .Select(d => (WorkspaceJobRegistration)d.ImplementationInstance!).ToList();
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(o => { o.InstanceName = "CmPortal"; o.GenerateInstanceId = true; });
            q.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                if (database.Provider == DatabaseProvider.Sqlite)
                    store.UseSqlite(database.ConnectionString);
                else
                {
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering();
                }
                store.ProvisionSchema();
            });
            q.AddJobType<ScheduledWorkspaceJobDispatcher>();
            // Module events are drained every few seconds; a round missed while stopped is not replayed, the next one drains all.
            q.AddJob<ModuleEventsJob>(j => j.WithIdentity(ModuleEventsJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(ModuleEventsJob.Key).WithIdentity(ModuleEventsJob.Key.Name, ModuleEventsJob.Key.Group).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(ModuleEventsJob.Interval).RepeatForever()));
            foreach (var registration in registrations)
            {
                q.AddJob<WorkspaceJobDispatcher>(j => j.WithIdentity(registration.Key).StoreDurably()
                    .UsingJobData(WorkspaceJobDispatcher.ModuleKey, registration.ModuleId)
                    .UsingJobData(WorkspaceJobDispatcher.TypeKey, registration.JobType.FullName!));
                q.AddTrigger(t => t.ForJob(registration.Key).WithIdentity(registration.Key.Name, registration.Key.Group)
                    .WithCronSchedule(registration.CronExpression, c => c.InTimeZone(TimeZoneInfo.Utc)));
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        services.AddSingleton<WorkspaceJobScheduler>();
    }
}
