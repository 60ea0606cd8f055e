using System.Collections.Concurrent;
using CmPortal.Core.Admin;
using CmPortal.Core.Events;
using CmPortal.Core.Api;
using CmPortal.Core.Validation;
using CmPortal.Core.Jobs;
using CmPortal.Core.Modules;
using CmPortal.Core.Notifications;
using CmPortal.Core.Persistence;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

[assembly: PortalModule(typeof(CmPortal.Fixtures.ProbeBase.ProbeBaseModule))]

namespace CmPortal.Fixtures.ProbeBase;

/// <summary>
/// A module that exists to test the engine: notes owned by a workspace, admin and public
/// endpoints, a recipe step that can fail halfway, and a job that records where it ran.
/// </summary>
public sealed class ProbeBaseModule : PortalModule
{
    public static readonly Permission View = new("ProbeBase.View", "See probe notes", DefaultRoles.Everyone);
    public static readonly Permission Manage = new("ProbeBase.Manage", "Write probe notes", DefaultRoles.BrandManager);

    public override string Id => "ProbeBase";
    public override string Name => "Probe base";
    public override string Description => "Test fixture.";
    public override string Category => "Tests";
    public override IEnumerable<Permission> Permissions => [View, Manage];

    public override void ConfigureServices(ModuleServices module)
    {
        module.AddDbContext<ProbeDbContext>().AddRecipeStep<ProbeNotesStep>().AddWorkspaceJob<ProbeJob>("0 0 0 1 1 ? 2099")
            .AddScheduledJob<ProbeScheduledJob>()
            .AddEventHandler<ProbeNoteAdded, ProbeNoteRecorder>().AddEventHandler<ProbeNoteAdded, ProbeFlakyHandler>()
            .AddEventHandler<ProbeReviewRequested, ProbeReviewNotifier>();
        module.Services.AddSingleton<ProbeJobLog>();
        module.Services.AddSingleton<ProbeEventLog>();
    }

    public override void MapAdminEndpoints(IEndpointRouteBuilder admin)
    {
        admin.MapGet("/probe/notes/{id:guid}", async (Guid id, ProbeDbContext db) =>
            await db.Notes.FirstOrDefaultAsync(n => n.Id == id) is { } note ? Results.Ok(note) : Results.NotFound()).RequirePermission(View);
        admin.MapGet("/probe/notes", async (ProbeDbContext db) => Results.Ok(await db.Notes.OrderBy(n => n.Text).ToListAsync())).RequirePermission(View);
        // A write through a minimal API, as a module's button would post it (no form fields of its own).
        admin.MapPost("/probe/notes/{id:guid}/delete", async (Guid id, ProbeDbContext db) =>
        {
            if (await db.Notes.FirstOrDefaultAsync(n => n.Id == id) is not { } note) return Results.NotFound();
            db.Notes.Remove(note);
            await db.SaveChangesAsync();
            return Results.NoContent();
        }).RequirePermission(Manage);
    }

    public override void MapPublicEndpoints(IEndpointRouteBuilder site)
    {
        site.MapGet("/probe/notes/{id:guid}", async (Guid id, ProbeDbContext db) =>
            await db.Notes.FirstOrDefaultAsync(n => n.Id == id) is { } note ? Results.Text(note.Text) : Results.NotFound());
    }

    /// <summary>The API as a module fills it: a read for View, a write for Manage answering problems as RFC 9457.</summary>
    public override void MapApiEndpoints(IEndpointRouteBuilder api)
    {
        api.MapGet("/probe/notes", async (ProbeDbContext db) =>
            Results.Ok(await db.Notes.OrderBy(n => n.Text).Select(n => new ProbeNoteModel(n.Id, n.Text)).ToListAsync())).RequirePermission(View);
        api.MapPost("/probe/notes", async (ProbeNoteModel note, ProbeDbContext db) =>
        {
            // Rules of the engine's own, so that the answer's French is the product's.
            if (string.IsNullOrWhiteSpace(note.Text)) return ApiProblems.Validation([new Problem("text", "The name is empty. Give the brand's display name.")]);
            if (note.Text.Length > 200) return ApiProblems.Validation([new Problem("text", "The name is longer than {0} characters. Shorten it.", 200)]);
            var row = new ProbeNote { Text = note.Text };
            db.Notes.Add(row);
            await db.SaveChangesAsync();
            return Results.Created($"probe/notes/{row.Id}", new ProbeNoteModel(row.Id, row.Text));
        }).RequirePermission(Manage);
    }

    public override void BuildAdminMenu(AdminMenuBuilder menu) => menu.Add("Tests", "Probe notes", "probe/notes", View);
}

public sealed record ProbeNoteModel(Guid Id, string? Text);

public sealed class ProbeNote : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Text { get; set; }
}

public sealed class ProbeDbContext(DbContextOptions<ProbeDbContext> options, PortalDbContextDependencies dependencies) : ModuleDbContext(options, dependencies)
{
    public DbSet<ProbeNote> Notes => Set<ProbeNote>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ProbeNote>(b =>
        {
            b.ToTable("ProbeBase_Notes");
            b.Property(n => n.Text).HasMaxLength(200);
        });
        base.OnModelCreating(modelBuilder);
    }
}

[DbContext(typeof(ProbeDbContext))]
[Migration("20261121000200_ProbeInitial")]
public sealed class ProbeInitial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateTable("ProbeBase_Notes", table => new
        {
            Id = table.Column<Guid>(nullable: false),
            WorkspaceId = table.Column<Guid>(nullable: false),
            Text = table.Column<string>(maxLength: 200, nullable: false),
        }, constraints: table => table.PrimaryKey("PK_ProbeBase_Notes", x => x.Id));
}

[DbContext(typeof(ProbeDbContext))]
public sealed class ProbeDbContextModelSnapshot : ModelSnapshot
{
    protected override void BuildModel(ModelBuilder modelBuilder) =>
        modelBuilder.Entity("CmPortal.Fixtures.ProbeBase.ProbeNote", b =>
        {
            b.Property<Guid>("Id").ValueGeneratedOnAdd();
            b.Property<Guid>("WorkspaceId");
            b.Property<string>("Text").IsRequired().HasMaxLength(200);
            b.HasKey("Id");
            b.ToTable("ProbeBase_Notes");
        });
}

/// <summary><c>{ "step": "probeNotes", "notes": ["a"], "failAfter": 1 }</c>: adds notes; with failAfter, throws after writing that many.</summary>
public sealed class ProbeNotesStep : RecipeStep<ProbeNotesStep.Model>
{
    public sealed record Model(List<string> Notes, int? FailAfter = null);

    public override string Name => "probeNotes";

    protected override async Task ApplyAsync(Model model, RecipeStepContext context, CancellationToken ct)
    {
        var db = context.Services.GetRequiredService<ProbeDbContext>();
        var written = 0;
        foreach (var text in model.Notes)
        {
            if (!await db.Notes.AnyAsync(n => n.Text == text, ct)) db.Notes.Add(new ProbeNote { Text = text });
            await db.SaveChangesAsync(ct);
            if (++written == model.FailAfter) throw new InvalidOperationException($"probe failure after {written} note(s).");
        }
    }

    protected override async Task<Model?> ExportAsync(RecipeStepContext context, CancellationToken ct)
    {
        var notes = await context.Services.GetRequiredService<ProbeDbContext>().Notes.OrderBy(n => n.Text).Select(n => n.Text).ToListAsync(ct);
        return notes.Count == 0 ? null : new Model(notes);
    }
}

/// <summary>Records each workspace the jobs ran for.</summary>
public sealed class ProbeJobLog
{
    public ConcurrentQueue<string> Runs { get; } = new();
    /// <summary>"workspace:payload" of each scheduled run.</summary>
    public ConcurrentQueue<string> ScheduledRuns { get; } = new();
}

public sealed class ProbeScheduledJob(ProbeJobLog log) : IScheduledWorkspaceJob
{
    public Task RunAsync(Workspace workspace, string payload, CancellationToken ct)
    {
        log.ScheduledRuns.Enqueue($"{workspace.Key}:{payload}");
        return Task.CompletedTask;
    }
}

public sealed class ProbeJob(ProbeJobLog log) : IWorkspaceJob
{
    public Task RunAsync(Workspace workspace, CancellationToken ct)
    {
        log.Runs.Enqueue(workspace.Key);
        return Task.CompletedTask;
    }
}

/// <summary>An event raised by the tests (as a module would in its service): a probe note was added.</summary>
[ModuleEvent("ProbeBase.NoteAdded")]
public sealed record ProbeNoteAdded(string Text);

/// <summary>What the probe handlers did, "handler:workspace:text" each; <see cref="FailuresLeft"/> makes the flaky one fail.</summary>
public sealed class ProbeEventLog
{
    public ConcurrentQueue<string> Handled { get; } = new();
    public int FailuresLeft;
}

public sealed class ProbeNoteRecorder(ProbeEventLog log, WorkspaceContext workspace) : IModuleEventHandler<ProbeNoteAdded>
{
    public Task HandleAsync(ProbeNoteAdded moduleEvent, CancellationToken ct)
    {
        log.Handled.Enqueue($"recorder:{workspace.Current!.Key}:{moduleEvent.Text}");
        return Task.CompletedTask;
    }
}

/// <summary>Fails while <see cref="ProbeEventLog.FailuresLeft"/> is above zero, like a handler whose mail server is down.</summary>
public sealed class ProbeFlakyHandler(ProbeEventLog log, WorkspaceContext workspace) : IModuleEventHandler<ProbeNoteAdded>
{
    public Task HandleAsync(ProbeNoteAdded moduleEvent, CancellationToken ct)
    {
        if (Interlocked.Decrement(ref log.FailuresLeft) >= 0) throw new InvalidOperationException("probe handler down");
        log.Handled.Enqueue($"flaky:{workspace.Current!.Key}:{moduleEvent.Text}");
        return Task.CompletedTask;
    }
}

/// <summary>A review asked of a member, as the content calendar will raise it: the handler notifies the reviewer.</summary>
[ModuleEvent("ProbeBase.ReviewRequested")]
public sealed record ProbeReviewRequested(Guid ReviewerId, string RequestedBy, string Title, DateOnly Before, string Url);

public sealed class ProbeReviewNotifier(INotifier notifier) : IModuleEventHandler<ProbeReviewRequested>
{
    // The template is English and declared here (French in Localization/fr.json); names and titles are values.
    public Task HandleAsync(ProbeReviewRequested e, CancellationToken ct) =>
        notifier.NotifyAsync([e.ReviewerId], new Notification("ProbeBase", "review-requested",
            "{0} asks you to review \"{1}\" before {2}.", [e.RequestedBy, e.Title, e.Before], e.Url), ct);
}
