using CmPortal.Core.Jobs;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Themes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Modules;

/// <summary>What a module may register: its services, its DbContext, its recipe steps and its jobs.</summary>
public sealed class ModuleServices(PortalModule module, IServiceCollection services, IConfiguration configuration)
{
    public PortalModule Module { get; } = module;
    public IServiceCollection Services { get; } = services;
    public IConfiguration Configuration { get; } = configuration;

    /// <summary>Registers the module's DbContext on the portal's database; its migrations run at start.</summary>
    public ModuleServices AddDbContext<TContext>() where TContext : ModuleDbContext
    {
        Services.AddPortalDbContext<TContext>(Module.Id);
        return this;
    }

    public ModuleServices AddRecipeStep<TStep>() where TStep : class, IRecipeStep
    {
        Services.AddScoped<IRecipeStep, TStep>();
        Services.AddSingleton(new RecipeStepOwner(typeof(TStep), Module.Id));
        return this;
    }

    /// <summary>A job the module schedules for one workspace at one instant, through <see cref="WorkspaceJobScheduler"/>.</summary>
    public ModuleServices AddScheduledJob<TJob>() where TJob : class, IScheduledWorkspaceJob
    {
        Services.AddScoped<TJob>();
        Services.AddSingleton(new ScheduledJobRegistration(Module.Id, typeof(TJob)));
        return this;
    }

    /// <summary>A job that runs on a cron schedule (UTC) once for each workspace where this module is on.</summary>
    public ModuleServices AddWorkspaceJob<TJob>(string cronExpression) where TJob : class, IWorkspaceJob
    {
        Services.AddScoped<TJob>();
        Services.AddSingleton(new WorkspaceJobRegistration(Module.Id, typeof(TJob), cronExpression));
        return this;
    }

    /// <summary>
    /// Runs <typeparamref name="THandler"/> after each committed <typeparamref name="TEvent"/> of a workspace where this
    /// module is on (raised by any module with <see cref="Events.IModuleEvents"/>).
    /// </summary>
    public ModuleServices AddEventHandler<TEvent, THandler>() where TEvent : class where THandler : class, Events.IModuleEventHandler<TEvent>
    {
        Services.AddScoped<THandler>();
        Services.AddSingleton(new Events.ModuleEventHandlerRegistration(Module.Id, Events.ModuleEventAttribute.NameOf(typeof(TEvent)), typeof(TEvent), typeof(THandler)));
        return this;
    }

    /// <summary>The brand's colours, fonts and logo for the public site, where this module is on.</summary>
    public ModuleServices AddBrandStyleSource<TSource>() where TSource : class, IBrandStyleSource => AddSiteContribution<TSource>();

    /// <summary>Links the public site shows in its header and home page, where this module is on.</summary>
    public ModuleServices AddSiteLinks<TSource>() where TSource : class, ISiteLinkSource => AddSiteContribution<TSource>();

    /// <summary>Public addresses the site's <c>sitemap.xml</c> lists, where this module is on.</summary>
    public ModuleServices AddSitemapSource<TSource>() where TSource : class, ISitemapSource => AddSiteContribution<TSource>();

    /// <summary>A card on the workspace's dashboard (what needs attention), where this module is on.</summary>
    public ModuleServices AddDashboardCard<TSource>() where TSource : class, Admin.IDashboardCardSource => AddSiteContribution<TSource>();

    /// <summary>A panel on another module's page about one thing (the post editor's publishing panel), where this module is on.</summary>
    public ModuleServices AddAdminPanel<TSource>() where TSource : class, Admin.IAdminPanelSource => AddSiteContribution<TSource>();

    private ModuleServices AddSiteContribution<T>() where T : class
    {
        Services.AddScoped<T>();
        Services.AddSingleton(new SiteContribution(typeof(T), Module.Id));
        return this;
    }
}
