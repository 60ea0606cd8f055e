using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Inbox.Listening;
using CmPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.ListeningQueryTests;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Spike alerts: the last hour against the 12 before, raised once per spike (not at every check), as an in-portal
/// notification to the members who triage and as a POST to the workspace's alert webhook (a local receiver).
/// </summary>
public sealed class ListeningSpikeTests
{
    private const string Workspace = "maison-lumen";

    [Fact]
    public async Task A_spike_is_raised_once_with_its_figures_to_the_team_and_the_webhook()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("cm@maison-lumen.test", Workspace, DefaultRoles.CommunityManager); // triages
        await host.AddMemberAsync("plume@maison-lumen.test", Workspace, DefaultRoles.Contributor); // does not
        Assert.NotEmpty(await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ListeningQueryService>().SaveSettingsAsync("http://hooks.example/alerts")));
        Assert.Empty(await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ListeningQueryService>().SaveSettingsAsync(receiver.Url)));
        var halo = (await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ListeningQueryService>().FindByNameAsync("Atelier Halo")))!;

        // Quiet: no alert.
        await RunJobAsync(host);
        Assert.Empty(receiver.Calls);

        // 12 angry mentions of the competitor in the last hour.
        await IngestAsync(host, Workspace, Enumerable.Range(1, 12).Select(i =>
            Item($"spike-{i}", $"Atelier Halo : ma lampe n°{i} est arrivée cassée, service client nul, très déçue.", 0.05 * i, author: $"Client{i}")).ToArray());
        var figures = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ListeningSpikeJob>().FiguresAsync(halo.Id, DateTime.UtcNow));
        Assert.Equal(12, figures.LastHour);

        await Task.WhenAll(RunJobAsync(host), RunJobAsync(host)); // two runs at once (a slow one and the next): one alert of each
        await RunJobAsync(host); // the spike still holds: no second alert
        var calls = receiver.Calls.Select(c => JsonNode.Parse(c)!).ToList();
        Assert.Equal(["listening.negative", "listening.spike"], calls.Select(c => (string)c["event"]!).Order());
        var spike = calls.Single(c => (string)c["event"]! == "listening.spike");
        Assert.Equal("Atelier Halo", (string)spike["query"]!);
        Assert.Equal(12, (int)spike["lastHour"]!);
        Assert.Equal(figures.HourlyAverage, (double)spike["hourlyAverage"]!);
        Assert.Equal($"/admin/{Workspace}/inbox?query={halo.Id}", (string)spike["url"]!);
        var negative = calls.Single(c => (string)c["event"]! == "listening.negative");
        Assert.True((int)negative["negativeShare"]! - (int)negative["baselineNegativeShare"]! >= 20);

        var notes = await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            var users = await db.Users.Where(u => u.Email!.EndsWith("@maison-lumen.test")).ToDictionaryAsync(u => u.Id, u => u.Email);
            return (await db.Notifications.Where(n => n.ModuleId == "Inbox" && n.Kind.StartsWith("listening-"))
                .Select(n => new { n.UserId, n.Kind, n.Url, n.Values }).ToListAsync()).Where(n => users.ContainsKey(n.UserId))
                .Select(n => new { Email = users[n.UserId], n.Kind, n.Url, n.Values }).ToList();
        });
        Assert.DoesNotContain(notes, n => n.Email == "plume@maison-lumen.test");
        var adminSpike = Assert.Single(notes, n => n.Kind == "listening-spike" && n.Email == "cm@maison-lumen.test"); // once
        Assert.Equal($"/admin/{Workspace}/inbox?query={halo.Id}", adminSpike.Url);
        Assert.Contains("Atelier Halo", adminSpike.Values);
        Assert.Single(notes, n => n.Kind == "listening-negative" && n.Email == "cm@maison-lumen.test");

        using var admin = await host.SignInAsync();
        Assert.Contains("Pic en cours", await admin.GetStringAsync($"/admin/{Workspace}/inbox/listening"));
    }

    private static Task RunJobAsync(PortalHost host) => host.InWorkspaceAsync(Workspace, async s =>
    {
        await s.GetRequiredService<ListeningSpikeJob>().RunAsync(s.GetRequiredService<WorkspaceContext>().Required, default);
        return 0;
    });

    /// <summary>A receiving service on a real loopback port that keeps each alert's body.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentQueue<string> Calls { get; } = new();
        private Receiver(WebApplication app) => _app = app;
        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/alerts";

        public static async Task<Receiver> StartAsync()
        {
            var app = WebApplication.CreateSlimBuilder().Build();
            app.Urls.Add("http://127.0.0.1:0");
            var receiver = new Receiver(app);
            app.MapPost("/alerts", async (HttpContext http) => { receiver.Calls.Enqueue(await new StreamReader(http.Request.Body).ReadToEndAsync()); return Results.NoContent(); });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
