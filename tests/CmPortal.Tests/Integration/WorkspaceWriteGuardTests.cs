using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.KeyDates.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Integration;

/// <summary>
/// A module's DbContext writes only the current workspace's rows: whatever a module's code does (a query that skips
/// the filter, an id taken from elsewhere), saving a row of another workspace throws and stores nothing.
/// </summary>
public sealed class WorkspaceWriteGuardTests
{
    private const string Message = "belongs to another workspace and cannot be written from this one.";

    /// <summary>The demo brand (rows in every module's tables) and an empty second workspace with the same modules on.</summary>
    private static async Task<PortalHost> StartAsync()
    {
        var host = await PortalHost.StartSetUpAsync();
        await host.ApplyRecipeAsync("""
            { "name": "other", "steps": [
              { "step": "workspace", "key": "atelier-nord", "name": "Atelier Nord" },
              { "step": "modules", "enable": ["KeyDates", "BrandIdentity", "CommunityCharter", "ProbeBase"] } ] }
            """);
        await host.ApplyRecipeAsync("""{ "name": "probe", "steps": [ { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen" }, { "step": "modules", "enable": ["ProbeBase"] }, { "step": "probeNotes", "notes": ["note de Lumen"] } ] }""");
        return host;
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope working in the workspace <paramref name="key"/> (none when null).</summary>
    private static Task InWorkspaceAsync(PortalHost host, string? key, Func<IServiceProvider, Task> work) => host.InScopeAsync(async services =>
    {
        if (key is not null)
            services.GetRequiredService<WorkspaceContext>().Set(await services.GetRequiredService<CoreDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Key == key));
        await work(services);
    });

    [Fact]
    public async Task A_key_date_of_another_workspace_cannot_be_changed_deleted_or_added_from_this_one()
    {
        await using var host = await StartAsync();
        var lumen = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.Where(w => w.Key == "maison-lumen").Select(w => w.Id).SingleAsync());
        var before = await DatabaseSnapshot.ContentAsync(host);

        async Task RefusedAsync(string? workspace, Action<KeyDatesDbContext, KeyDate> write, string expected) => await InWorkspaceAsync(host, workspace, async services =>
        {
            var db = services.GetRequiredService<KeyDatesDbContext>();
            var theirs = await db.KeyDates.IgnoreQueryFilters().SingleAsync(k => k.WorkspaceId == lumen && k.Slug == "fete-des-meres");
            write(db, theirs);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync());
            Assert.Equal(expected, error.Message);
        });

        await RefusedAsync("atelier-nord", (_, date) => date.Title = "Écrit depuis Atelier Nord", "KeyDate " + Message);
        await RefusedAsync("atelier-nord", (db, date) => db.KeyDates.Remove(date), "KeyDate " + Message);
        await RefusedAsync("atelier-nord", (db, _) => db.KeyDates.Add(new KeyDate { WorkspaceId = lumen, Slug = "intrus", Title = "Intrus" }), "KeyDate " + Message);
        await RefusedAsync(null, (db, _) => db.KeyDates.Add(new KeyDate { Slug = "sans-espace", Title = "Sans espace" }), "KeyDate cannot be saved outside a workspace.");
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        // The same write from the workspace that owns the row goes through.
        await InWorkspaceAsync(host, "maison-lumen", async services =>
        {
            var db = services.GetRequiredService<KeyDatesDbContext>();
            (await db.KeyDates.SingleAsync(k => k.Slug == "fete-des-meres")).Title = "Fête des mères (écrit chez soi)";
            await db.SaveChangesAsync();
        });
        Assert.Contains("Fête des mères (écrit chez soi)", await host.CreateClient().GetStringAsync("/maison-lumen/key-dates.ics"));
    }

    /// <summary>The calendar's rows the demo recipe does not write (settings, an image, a comment, a feed and a preview link), so that every table is tried.</summary>
    private static Task StoreCalendarRowsTheDemoLacksAsync(PortalHost host) => InWorkspaceAsync(host, "maison-lumen", async services =>
    {
        var db = services.GetRequiredService<CmPortal.Modules.ContentCalendar.Data.CalendarDbContext>();
        var post = await db.Posts.FirstAsync();
        var now = DateTime.UtcNow;
        db.Settings.Add(new CmPortal.Modules.ContentCalendar.Data.CalendarSettings());
        db.Media.Add(new CmPortal.Modules.ContentCalendar.Data.MediaItem { FileName = "a.png", ContentType = "image/png", Sha256 = new string('a', 64), CreatedUtc = now });
        db.MediaFiles.Add(new CmPortal.Modules.ContentCalendar.Data.MediaFile { Content = [1, 2, 3] });
        db.Comments.Add(new CmPortal.Modules.ContentCalendar.Data.PostComment { PostId = post.Id, Author = "Camille", Text = "Bien.", CreatedUtc = now });
        db.FeedTokens.Add(new CmPortal.Modules.ContentCalendar.Data.FeedToken { UserId = Guid.NewGuid(), Sha256 = new string('b', 64), CreatedUtc = now });
        db.PreviewLinks.Add(new CmPortal.Modules.ContentCalendar.Data.PreviewLink { Sha256 = new string('c', 64), CreatedBy = Guid.NewGuid(), CreatedUtc = now, ExpiresUtc = now.AddDays(7) });
        await db.SaveChangesAsync();
        // Publishing: a channel, a delivery of a post to it and one attempt, a hold and a reply sent from the inbox.
        var publishing = services.GetRequiredService<CmPortal.Modules.Publishing.Data.PublishingDbContext>();
        var channel = new CmPortal.Modules.Publishing.Data.Channel { Id = Guid.NewGuid(), Kind = "manual", Name = "Instagram", SettingsJson = "{}", CreatedUtc = now };
        var delivery = new CmPortal.Modules.Publishing.Data.Delivery { Id = Guid.NewGuid(), ChannelId = channel.Id, PostId = post.Id, OccurrenceUtc = now, DueUtc = now, Network = "instagram", DeliveryKey = "k", State = CmPortal.Modules.Publishing.Data.DeliveryState.Canceled };
        publishing.Channels.Add(channel);
        publishing.Deliveries.Add(delivery);
        publishing.Attempts.Add(new CmPortal.Modules.Publishing.Data.DeliveryAttempt { Id = Guid.NewGuid(), DeliveryId = delivery.Id, StartedUtc = now, Outcome = "Canceled" });
        publishing.PromotionHolds.Add(new CmPortal.Modules.Publishing.Crisis.PromotionHold { CrisisId = Guid.NewGuid(), SinceUtc = now, Reason = "Crise" });
        var reply = new CmPortal.Modules.Publishing.Data.Reply { Id = Guid.NewGuid(), ChannelId = channel.Id, Text = "Merci !", InReplyToId = "109", RequestKey = "r1", CreatedUtc = now };
        publishing.Replies.Add(reply);
        await publishing.SaveChangesAsync();
        // The inbox: a crisis and its procedure, a source, an ingest hook and a message it took, a reply note, a
        // moderation decision that hid a mention, the moderation and listening settings, a sent reply and a saved search.
        var inbox = services.GetRequiredService<CmPortal.Modules.Inbox.Data.InboxDbContext>();
        var mention = await inbox.Mentions.FirstAsync();
        inbox.Crises.Add(new CmPortal.Modules.Inbox.Crisis.WorkspaceCrisis { Id = Guid.NewGuid(), DeclaredUtc = now, DeclaredByName = "Inès", Reason = "Rappel" });
        inbox.CrisisProcedures.Add(new CmPortal.Modules.Inbox.Crisis.CrisisProcedure { Text = "Appeler Claire", UpdatedUtc = now, UpdatedByName = "Inès" });
        inbox.Sources.Add(new CmPortal.Modules.Inbox.Sources.Stored.ListeningSource { Id = Guid.NewGuid(), Kind = "rss", Name = "Flux", Url = "https://example.org/feed" });
        var hook = new CmPortal.Modules.Inbox.Import.IngestHook { Id = Guid.NewGuid(), Name = "Pont", ProtectedSecret = "x", CreatedUtc = now };
        inbox.IngestHooks.Add(hook);
        inbox.IngestHookDeliveries.Add(new CmPortal.Modules.Inbox.Import.IngestHookDelivery { HookId = hook.Id, MessageId = "msg_1", ReceivedUtc = now });
        inbox.ReplyNotes.Add(new CmPortal.Modules.Inbox.Answers.ReplyNote { Id = Guid.NewGuid(), MentionId = mention.Id, MemberName = "Inès", Text = "Merci" });
        var decision = new CmPortal.Modules.Inbox.Moderation.ModerationDecision { Id = Guid.NewGuid(), MentionId = mention.Id, MemberName = "Inès", MentionText = mention.Text };
        inbox.ModerationDecisions.Add(decision);
        inbox.HiddenMentions.Add(new CmPortal.Modules.Inbox.Moderation.HiddenMention { MentionId = mention.Id, DecisionId = decision.Id });
        inbox.ModerationSettings.Add(new CmPortal.Modules.Inbox.Moderation.ModerationSettings { InsultRuleId = "insultes" });
        inbox.ListeningSettings.Add(new CmPortal.Modules.Inbox.Listening.ListeningSettings { AlertWebhookUrl = "https://example.org/alertes" });
        inbox.SentReplies.Add(new CmPortal.Modules.Inbox.Answers.SentReply { Id = Guid.NewGuid(), MentionId = mention.Id, ReplyId = reply.Id, MemberName = "Inès", SentUtc = now });
        inbox.SavedSearches.Add(new CmPortal.Modules.Inbox.SavedSearches.SavedSearch { OwnerId = Guid.NewGuid(), Name = "Livraison", Query = "q=livraison", CreatedUtc = now });
        await inbox.SaveChangesAsync();
    });

    [Fact]
    public async Task No_module_context_writes_a_row_of_another_workspace_whatever_the_table()
    {
        await using var host = await StartAsync();
        var lumen = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Workspaces.Where(w => w.Key == "maison-lumen").Select(w => w.Id).SingleAsync());
        var tables = await host.InScopeAsync(services => Task.FromResult(services.GetServices<PortalDbContextRegistration>()
            .Where(r => typeof(ModuleDbContext).IsAssignableFrom(r.ContextType))
            .SelectMany(r => ((DbContext)services.GetRequiredService(r.ContextType)).Model.GetEntityTypes()
                .Where(e => typeof(IWorkspaceOwned).IsAssignableFrom(e.ClrType)).Select(e => (r.ContextType, e.ClrType)))
            .ToList()));
        Assert.Contains(tables, t => t.ClrType == typeof(KeyDate));
        Assert.True(tables.Count >= 6, $"only {tables.Count} workspace tables in module contexts");
        await StoreCalendarRowsTheDemoLacksAsync(host);
        var before = await DatabaseSnapshot.ContentAsync(host);

        foreach (var (contextType, entityType) in tables)
        foreach (var write in new[] { "change", "delete", "add a copy of" })
            await InWorkspaceAsync(host, "atelier-nord", async services =>
            {
                var db = (DbContext)services.GetRequiredService(contextType);
                var theirs = await FirstRowAsync(db, entityType, lumen)
                    ?? throw new Xunit.Sdk.XunitException($"The demo brand has no {entityType.Name} to try writing: the test needs one.");
                var entry = db.Entry(theirs);
                switch (write)
                {
                    case "change":
                        if (entry.Properties.FirstOrDefault(p => p.Metadata.ClrType == typeof(string) && !p.Metadata.IsKey()) is { } text)
                            text.CurrentValue = text.CurrentValue + " (modifié depuis Atelier Nord)";
                        else if (entry.Properties.FirstOrDefault(p => p.Metadata.ClrType == typeof(bool)) is { } flag) // settings
                            flag.CurrentValue = !(bool)flag.CurrentValue!;
                        else if (entry.Properties.FirstOrDefault(p => p.Metadata.ClrType == typeof(Guid) && !p.Metadata.IsKey() && p.Metadata.Name != "WorkspaceId") is { } link)
                            link.CurrentValue = Guid.NewGuid(); // a row of links only (a hidden mention's decision)
                        else // a file's bytes
                            entry.Properties.First(p => p.Metadata.ClrType == typeof(byte[])).CurrentValue = new byte[] { 9 };
                        break;
                    case "delete":
                        db.Remove(theirs);
                        break;
                    default:
                        var copy = entry.CurrentValues.ToObject();
                        entry.State = EntityState.Detached;
                        var added = db.Add(copy);
                        if (added.Metadata.FindProperty("Id") is { } id && id.ClrType == typeof(Guid)) added.Property("Id").CurrentValue = Guid.NewGuid();
                        break;
                }
                var error = await Record.ExceptionAsync(() => db.SaveChangesAsync());
                // Some modules refuse changes to their rows on their own (published versions, brand revisions); an added
                // row reaches only the workspace guard.
                Assert.True(error is InvalidOperationException && (write != "add a copy of" || error.Message.EndsWith(Message)),
                    $"{write} a {entityType.Name} of the demo brand from Atelier Nord: " + (error is null ? "saved" : error.GetType().Name + ": " + error.Message));
            });
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    private static async Task<object?> FirstRowAsync(DbContext db, Type entityType, Guid workspaceId) =>
        await (Task<object?>)typeof(WorkspaceWriteGuardTests).GetMethod(nameof(FirstOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(entityType).Invoke(null, [db, workspaceId])!;

    private static async Task<object?> FirstOf<T>(DbContext db, Guid workspaceId) where T : class, IWorkspaceOwned =>
        await db.Set<T>().IgnoreQueryFilters().FirstOrDefaultAsync(e => e.WorkspaceId == workspaceId);
}
