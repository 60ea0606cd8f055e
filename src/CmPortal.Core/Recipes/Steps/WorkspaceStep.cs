using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Core.Recipes.Steps;

/// <summary>
/// <c>{ "step": "workspace", "key": "...", "name": "...", "culture": "fr-FR", "timeZone": "Europe/Paris", "hosts": [],
/// "site": { "published": true, "publisherName": "...", ... } }</c>:
/// creates the workspace, or updates it when the key exists; the following steps target it.
/// </summary>
internal sealed class WorkspaceStep : RecipeStep<WorkspaceStep.Model>, IWorkspaceTargetStep
{
    /// <summary>Culture, time zone and hosts left out keep their current values (fr-FR and Europe/Paris for a new workspace).</summary>
    public sealed record Model(string Key, string Name, string? Culture = null, string? TimeZone = null, List<string>? Hosts = null, SiteModel? Site = null);

    /// <summary>
    /// The public site: "published" left out keeps the site as it is (offline for a new workspace); the legal notice
    /// fields, when "site" is given, replace the workspace's (a field left out is emptied).
    /// </summary>
    public sealed record SiteModel(bool? Published = null, string? PublisherName = null, string? PublisherAddress = null, string? PublisherRegistration = null,
        string? PublicationDirector = null, string? HostingName = null, string? HostingAddress = null, string? HostingPhone = null, string? ContactEmail = null)
    {
        [System.Text.Json.Serialization.JsonIgnore]
        public SiteInfo Info => new(PublisherName, PublisherAddress, PublisherRegistration, PublicationDirector, HostingName, HostingAddress, HostingPhone, ContactEmail);
    }

    public override string Name => "workspace";

    public override string Label => "Workspace";

    (string Key, string Name) IWorkspaceTargetStep.TargetOf(object model) => (((Model)model).Key, ((Model)model).Name);

    protected override Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var existing = context.Existing;
        if (existing is null)
        {
            changes.Add(new RecipeChange("A new workspace is created: «{0}» ({1}).", model.Name, model.Key));
            if (model.Hosts is { Count: > 0 } hosts) changes.Add(new RecipeChange("Host names bound: {0}.", string.Join(", ", hosts)));
            if (model.Site?.Published is true) changes.Add(new RecipeChange("The public site is put online."));
            return Task.CompletedTask;
        }
        if (existing.Name != model.Name) changes.Add(new RecipeChange("Name changed from «{0}» to «{1}».", existing.Name, model.Name));
        if (model.Culture is { } culture && culture != existing.Culture) changes.Add(new RecipeChange("Language of public pages changed from {0} to {1}.", existing.Culture, culture));
        if (model.TimeZone is { } zone && zone != existing.TimeZone) changes.Add(new RecipeChange("Time zone changed from {0} to {1}.", existing.TimeZone, zone));
        if (model.Hosts is { } wanted)
        {
            var current = existing.Hosts.Select(h => h.HostName).ToHashSet(StringComparer.Ordinal);
            if (wanted.Except(current).ToList() is { Count: > 0 } bound) changes.Add(new RecipeChange("Host names bound: {0}.", string.Join(", ", bound)));
            if (current.Except(wanted).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } unbound) changes.Add(new RecipeChange("Host names removed: {0}.", string.Join(", ", unbound)));
        }
        if (model.Site is { } site)
        {
            if (site.Info.Normalized() != existing.SiteInfo.Normalized()) changes.Add(new RecipeChange("Legal notice and contact replaced."));
            if (site.Published is { } published && published != existing.SitePublished)
                changes.Add(published ? new RecipeChange("The public site is put online.") : new RecipeChange("The public site is taken offline."));
        }
        return Task.CompletedTask;
    }

    protected override async Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var service = context.Services.GetRequiredService<WorkspaceService>();
        var existing = await service.FindAsync(model.Key, ct);
        foreach (var problem in await service.ProblemsAsync(ToSettings(model, existing), existing?.Id, ct)) context.Error(problem);
        foreach (var problem in model.Site?.Info.Normalized().Check() ?? []) context.Error(problem with { Field = $"site.{problem.Field}" });
        CheckHostsAcrossSteps(model, context);
        context.WorkspaceKey = model.Key;
        context.EnabledModules.Clear();
        if (existing is not null)
            context.EnabledModules.UnionWith(await context.Services.GetRequiredService<ModuleFeatures>().EnabledAsync(existing.Id, ct));
    }

    /// <summary>Host names bound by the recipe's workspace steps so far, both ways.</summary>
    private sealed class BoundHosts
    {
        public Dictionary<string, string> Owners { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, List<string>> ByWorkspace { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>
    /// A host name serves one workspace: one the database has bound elsewhere is refused by the workspace service,
    /// and one an earlier step of this recipe binds to another workspace is refused here, before anything runs.
    /// </summary>
    private static void CheckHostsAcrossSteps(Model model, RecipeValidationContext context)
    {
        if (model.Hosts is null) return;
        var bound = context.State<BoundHosts>();
        foreach (var host in model.Hosts)
        {
            if (bound.Owners.TryGetValue(host, out var owner) && owner != model.Key)
            {
                context.Error("hosts", "The host name \"{0}\" is bound to workspace \"{1}\" by an earlier step of this recipe. " +
                                       "A host name serves one workspace: list it in one workspace step only.", TextRules.Visible(host), owner);
                break;
            }
        }
        // This step sets the workspace's host names to exactly its list.
        if (bound.ByWorkspace.Remove(model.Key, out var previous))
            foreach (var host in previous) bound.Owners.Remove(host);
        var mine = new List<string>();
        foreach (var host in model.Hosts)
            if (bound.Owners.TryAdd(host, model.Key)) mine.Add(host);
        bound.ByWorkspace[model.Key] = mine;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var service = context.Services.GetRequiredService<WorkspaceService>();
        var workspace = await service.SaveAsync(ToSettings(model, await service.FindAsync(model.Key, ct)), ct);
        if (model.Site is { } site)
        {
            await service.SetSiteInfoAsync(workspace, site.Info, ct);
            if (site.Published is { } published) await service.SetSitePublishedAsync(workspace, published, ct);
        }
        context.Workspace.Set(workspace);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var workspace = context.Workspace.Required;
        var exported = await context.Services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().FirstAsync(w => w.Id == workspace.Id, ct);
        // The legal notice travels; "published" does not: a workspace made from an export starts offline.
        var info = exported.SiteInfo;
        var site = info == SiteInfo.Empty ? null : new SiteModel(null, info.PublisherName, info.PublisherAddress, info.PublisherRegistration,
            info.PublicationDirector, info.HostingName, info.HostingAddress, info.HostingPhone, info.ContactEmail);
        return new Model("{{key}}", "{{name}}", exported.Culture, exported.TimeZone, Site: site);
    }

    private static WorkspaceSettings ToSettings(Model model, Workspace? existing) =>
        new(model.Key, model.Name, model.Culture ?? existing?.Culture ?? "fr-FR", model.TimeZone ?? existing?.TimeZone ?? "Europe/Paris", null, model.Hosts);
}

/// <summary><c>{ "step": "modules", "enable": ["KeyDates"], "disable": [] }</c>: turns modules on (with their dependencies) and off.</summary>
internal sealed class ModulesStep : RecipeStep<ModulesStep.Model>
{
    public sealed record Model(List<string>? Enable = null, List<string>? Disable = null);

    public override string Name => "modules";

    public override string Label => "Modules";

    protected override async Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        var catalog = context.Services.GetRequiredService<ModuleCatalog>();
        IReadOnlySet<string> enabled = context.Existing is { } existing
            ? await context.Services.GetRequiredService<ModuleFeatures>().EnabledAsync(existing.Id, ct)
            : new HashSet<string>();
        var on = (model.Enable ?? []).SelectMany(catalog.WithDependencies).Distinct().Where(id => !enabled.Contains(id)).ToList();
        var off = (model.Disable ?? []).Where(id => enabled.Contains(id) || on.Contains(id)).ToList();
        on.RemoveAll(off.Contains);
        if (on.Count > 0) changes.Add(new RecipeChange("Modules turned on: {0}.", string.Join(", ", on)));
        if (off.Count > 0) changes.Add(new RecipeChange("Modules turned off: {0}.", string.Join(", ", off)));
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        var catalog = context.Services.GetRequiredService<ModuleCatalog>();
        var available = ProblemValue.List(catalog.Modules.Select(m => m.Id));
        for (var i = 0; i < (model.Enable?.Count ?? 0); i++)
        {
            var id = model.Enable![i];
            if (!catalog.Contains(id)) context.Error($"enable[{i}]", "There is no module \"{0}\". Available modules: {1}.", id, available);
            else context.EnabledModules.UnionWith(catalog.WithDependencies(id));
        }
        for (var i = 0; i < (model.Disable?.Count ?? 0); i++)
        {
            var id = model.Disable![i];
            if (!catalog.Contains(id)) { context.Error($"disable[{i}]", "There is no module \"{0}\". Available modules: {1}.", id, available); continue; }
            var dependents = catalog.Dependents(id, context.EnabledModules.Where(m => !model.Disable.Contains(m)));
            if (dependents.Count > 0)
                context.Error($"disable[{i}]", "\"{0}\" cannot be turned off while {1} use(s) it. Disable those too.", id, ProblemValue.List(dependents));
            context.EnabledModules.Remove(id);
        }
        return Task.CompletedTask;
    }

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var features = context.Services.GetRequiredService<ModuleFeatures>();
        var workspace = context.Workspace.Required;
        foreach (var id in model.Enable ?? []) await features.EnableAsync(workspace.Id, id, ct);
        // Dependents first, so that a module is never turned off under one that uses it.
        var catalog = context.Services.GetRequiredService<ModuleCatalog>();
        foreach (var id in (model.Disable ?? []).OrderByDescending(id => catalog.Modules.ToList().FindIndex(m => m.Id == id)))
            await features.DisableAsync(workspace.Id, id, ct);
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var enabled = await context.Services.GetRequiredService<ModuleFeatures>().EnabledAsync(context.Workspace.Required.Id, ct);
        var ordered = context.Services.GetRequiredService<ModuleCatalog>().Modules.Select(m => m.Id).Where(enabled.Contains).ToList();
        return ordered.Count == 0 ? null : new Model(ordered);
    }
}

/// <summary><c>{ "step": "theme", "site": "Brand" }</c>: selects the site theme of the workspace's public pages.</summary>
internal sealed class ThemeStep : RecipeStep<ThemeStep.Model>
{
    public sealed record Model(string Site);

    public override string Name => "theme";

    public override string Label => "Site theme";

    protected override Task DescribeAsync(Model model, RecipePlanContext context, List<RecipeChange> changes, CancellationToken ct)
    {
        if (context.Existing?.SiteTheme != model.Site) changes.Add(new RecipeChange("Site theme set to {0}.", model.Site));
        return Task.CompletedTask;
    }

    protected override Task ValidateAsync(Model model, RecipeValidationContext context, CancellationToken ct)
    {
        if (context.Services.GetRequiredService<Themes.ThemeCatalog>().SiteThemeProblem(model.Site) is { } problem)
            context.Error(problem with { Field = "site" });
        return Task.CompletedTask;
    }

    protected override Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct) =>
        context.Services.GetRequiredService<WorkspaceService>().SetSiteThemeAsync(context.Workspace.Required, model.Site, ct);

    protected override Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct) =>
        Task.FromResult<Model?>(new Model(context.Workspace.Required.SiteTheme));
}
