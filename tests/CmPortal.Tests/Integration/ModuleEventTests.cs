using CmPortal.Core.Events;
using CmPortal.Core.Modules;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Fixtures.ProbeBase;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// Module events: raised in a module's transaction, stored with it, handled after it commits by the handlers of the
/// modules that are on in the workspace; a failing handler is retried alone, and nothing is lost by a restart.
/// </summary>
public sealed class ModuleEventTests
{
    private static async Task<PortalHost> StartAsync(Provider provider)
    {
        var host = await PortalHost.StartAsync(provider);
        await host.SetUpAsync("blank.recipe.json", new() { ["key"] = "alpha", ["name"] = "Alpha" });
        await host.ApplyRecipeAsync("""{ "name": "a", "steps": [ { "step": "workspace", "key": "alpha", "name": "Alpha" }, { "step": "modules", "enable": ["ProbeBase", "ProbeDependent"] } ] }""");
        await host.ApplyRecipeAsync("""{ "name": "b", "steps": [ { "step": "workspace", "key": "beta", "name": "Beta" }, { "step": "modules", "enable": ["ProbeBase"] } ] }""");
        return host;
    }

    /// <summary>Adds a probe note and raises its event in one transaction of the module's own context, then commits or rolls back.</summary>
    private static Task AddNoteAsync(PortalHost host, string workspaceKey, string text, bool commit, bool scopeTransaction = false) =>
        host.InScopeAsync(async services =>
        {
            var workspace = await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == workspaceKey);
            services.GetRequiredService<WorkspaceContext>().Set(workspace);
            var db = services.GetRequiredService<ProbeDbContext>();
            var connection = services.GetRequiredService<PortalConnection>();
            // Both ways a module opens a transaction: the scope's (as recipes and services do) or its own context's.
            var own = scopeTransaction ? null : await db.Database.BeginTransactionAsync();
            if (scopeTransaction) await connection.BeginTransactionAsync(default);
            db.Notes.Add(new ProbeNote { Text = text });
            await db.SaveChangesAsync();
            await services.GetRequiredService<IModuleEvents>().RaiseAsync(new ProbeNoteAdded(text));
            if (own is not null)
            {
                if (commit) await own.CommitAsync(); else await own.RollbackAsync();
            }
            else if (commit) await connection.CommitAsync(default);
            else await connection.RollbackAsync();
        });

    private static Task<List<StoredModuleEvent>> EventsAsync(PortalHost host) =>
        host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().ModuleEvents.AsNoTracking().OrderBy(e => e.RaisedUtc).ToListAsync());

    private static Task DrainAsync(PortalHost host) => host.Services.GetRequiredService<ModuleEventDispatcher>().DrainAsync();

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task An_event_raised_in_work_that_rolls_back_is_never_handled_and_one_that_commits_is_handled_once_by_each_handler(Provider provider)
    {
        await using var host = await StartAsync(provider);
        var log = host.Services.GetRequiredService<ProbeEventLog>();

        await AddNoteAsync(host, "alpha", "cancelled post", commit: false);
        await AddNoteAsync(host, "alpha", "cancelled recipe", commit: false, scopeTransaction: true);
        await AddNoteAsync(host, "alpha", "approved post", commit: true);
        await AddNoteAsync(host, "alpha", "applied recipe", commit: true, scopeTransaction: true);
        await DrainAsync(host);
        await DrainAsync(host);

        Assert.Equal(
            ["dependent:alpha:applied recipe", "dependent:alpha:approved post", "flaky:alpha:applied recipe", "flaky:alpha:approved post",
             "recorder:alpha:applied recipe", "recorder:alpha:approved post"],
            log.Handled.Order().ToArray());
        var events = await EventsAsync(host);
        Assert.Equal(["approved post", "applied recipe"], events.Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("text").GetString()));
        Assert.All(events, e => Assert.Equal((ModuleEventState.Handled, "ProbeBase.NoteAdded"), (e.State, e.Name)));
    }

    [Fact]
    public async Task A_handler_that_keeps_failing_is_given_up_after_the_last_attempt_and_the_others_ran_once()
    {
        await using var host = await StartAsync(Provider.Sqlite);
        host.ExpectWarning("failed on event ProbeBase.NoteAdded");
        host.ExpectWarning("gave up after 8 attempts");
        var log = host.Services.GetRequiredService<ProbeEventLog>();
        log.FailuresLeft = 100;
        await AddNoteAsync(host, "alpha", "post never reviewed", commit: true);

        // A dispatcher whose clock moves an hour ahead at each round: every retry is due.
        var clock = new ShiftedClock();
        var dispatcher = ActivatorUtilities.CreateInstance<ModuleEventDispatcher>(host.Services, (TimeProvider)clock);
        for (var round = 0; round < ModuleEventDispatcher.MaxAttempts + 2; round++)
        {
            await dispatcher.DrainAsync();
            clock.Shift += TimeSpan.FromHours(1);
        }

        var failed = Assert.Single(await EventsAsync(host));
        Assert.Equal((ModuleEventState.Failed, ModuleEventDispatcher.MaxAttempts, null), (failed.State, failed.Attempts, failed.HandledUtc));
        Assert.Contains("ProbeFlakyHandler: InvalidOperationException: probe handler down", failed.LastError);
        Assert.Equal(100 - ModuleEventDispatcher.MaxAttempts, log.FailuresLeft);
        Assert.Equal(["dependent:alpha:post never reviewed", "recorder:alpha:post never reviewed"], log.Handled.Order().ToArray());
    }

    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Shift;
    }

    [Fact]
    public async Task Events_handled_more_than_thirty_days_ago_are_deleted_and_recent_or_failed_ones_kept()
    {
        await using var host = await StartAsync(Provider.Sqlite);
        var old = DateTime.UtcNow.AddDays(-31);
        await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            var alpha = await db.Workspaces.Where(w => w.Key == "alpha").Select(w => w.Id).SingleAsync();
            StoredModuleEvent Stored(string text, ModuleEventState state, DateTime? handled) => new()
            {
                WorkspaceId = alpha, Name = "ProbeBase.NoteAdded", Payload = $"{{\"text\":\"{text}\"}}", RaisedUtc = old,
                NextAttemptUtc = old, State = state, HandledUtc = handled, Attempts = state == ModuleEventState.Failed ? 8 : 0,
            };
            db.ModuleEvents.AddRange(Stored("old", ModuleEventState.Handled, old), Stored("recent", ModuleEventState.Handled, DateTime.UtcNow.AddDays(-29)),
                Stored("given up", ModuleEventState.Failed, null));
            await db.SaveChangesAsync();
        });
        // A fresh dispatcher, as on a node's first drain (the one of the host may have purged before the rows existed).
        var dispatcher = ActivatorUtilities.CreateInstance<ModuleEventDispatcher>(host.Services);
        await dispatcher.DrainAsync();
        Assert.Equal(["given up", "recent"], (await EventsAsync(host)).Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("text").GetString()).Order());
    }

    [Fact]
    public async Task A_handler_is_skipped_in_a_workspace_where_its_module_is_off()
    {
        await using var host = await StartAsync(Provider.Sqlite);
        var log = host.Services.GetRequiredService<ProbeEventLog>();

        await AddNoteAsync(host, "beta", "beta post", commit: true);
        await AddNoteAsync(host, "alpha", "alpha post", commit: true);
        await DrainAsync(host);

        // Probe dependent is on in alpha only.
        Assert.Equal(["dependent:alpha:alpha post", "flaky:alpha:alpha post", "flaky:beta:beta post", "recorder:alpha:alpha post", "recorder:beta:beta post"],
            log.Handled.Order().ToArray());
        Assert.All(await EventsAsync(host), e => Assert.Equal(ModuleEventState.Handled, e.State));
    }

    [Theory]
    [InlineData(Provider.Sqlite)]
    [InlineData(Provider.Postgres)]
    public async Task A_failing_handler_is_retried_later_alone_and_the_retry_survives_a_restart(Provider provider)
    {
        var host = await StartAsync(provider);
        await using var first = host;
        host.ExpectWarning("failed on event ProbeBase.NoteAdded");
        var log = host.Services.GetRequiredService<ProbeEventLog>();
        log.FailuresLeft = 1;

        await AddNoteAsync(host, "alpha", "post for review", commit: true);
        await DrainAsync(host);
        await DrainAsync(host); // not due yet: nothing runs twice

        Assert.Equal(["dependent:alpha:post for review", "recorder:alpha:post for review"], log.Handled.Order().ToArray());
        var pending = Assert.Single(await EventsAsync(host));
        Assert.Equal((ModuleEventState.Pending, 1), (pending.State, pending.Attempts));
        Assert.Contains("probe handler down", pending.LastError);
        Assert.InRange(pending.NextAttemptUtc - DateTime.UtcNow, TimeSpan.FromSeconds(5), ModuleEventDispatcher.Backoff(1));

        // The portal stops before the retry is due; the new process finds the event and retries the failed handler only.
        await using var restarted = await host.RestartAsync();
        var after = restarted.Services.GetRequiredService<ProbeEventLog>();
        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (after.Handled.IsEmpty && DateTime.UtcNow < deadline) await Task.Delay(100);
        await Task.Delay(500);
        Assert.Equal(["flaky:alpha:post for review"], after.Handled.ToArray());
        var handled = Assert.Single(await EventsAsync(restarted));
        Assert.Equal(ModuleEventState.Handled, handled.State);
        Assert.NotNull(handled.HandledUtc);
    }
}
