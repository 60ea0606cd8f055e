using System.Collections.Concurrent;
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
/// A negative spike suggests a crisis (a notification to those who may declare one, a reason ready on the crisis page;
/// declaring stays their act), and the spike webhook is signed with Standard Webhooks headers a receiver can check
/// with the workspace's secret (the listening page shows its last four characters). One portal, one spike.
/// </summary>
public sealed class SpikeCrisisSuggestionTests
{
    private const string Workspace = "maison-lumen";

    [Fact]
    public async Task A_negative_spike_suggests_a_crisis_with_its_figures_and_its_webhook_is_signed()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var host = await PortalHost.StartSetUpAsync();
        await host.AddMemberAsync("cm@maison-lumen.test", Workspace, DefaultRoles.CommunityManager); // triages, does not declare
        await host.AddMemberAsync("direction@maison-lumen.test", Workspace, DefaultRoles.Administrator); // may declare (the demo's brand manager may not)
        Assert.Empty(await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ListeningQueryService>().SaveSettingsAsync(receiver.Url)));
        using var admin = await host.SignInAsync();
        Assert.DoesNotContain("crisis-suggestion", await admin.GetStringAsync($"/admin/{Workspace}/inbox/crisis"));

        await IngestAsync(host, Workspace, Enumerable.Range(1, 12).Select(i =>
            Item($"crise-{i}", $"Atelier Halo : ma lampe n°{i} a pris feu, produit dangereux, honte à vous.", 0.05 * i, author: $"Client{i}")).ToArray());
        await host.InWorkspaceAsync(Workspace, async s =>
        {
            await s.GetRequiredService<ListeningSpikeJob>().RunAsync(s.GetRequiredService<WorkspaceContext>().Required, default);
            return 0;
        });

        // The crisis page suggests it, the reason ready in the form; nothing is declared by itself.
        var crisis = await admin.GetStringAsync($"/admin/{Workspace}/inbox/crisis");
        Assert.Contains("id=\"crisis-suggestion\"", crisis);
        Assert.Contains("Une alerte d’écoute suggère une crise.", crisis);
        Assert.Matches("<textarea[^>]*id=\"reason\"[^>]*>Pic négatif sur «&#xA0;Atelier Halo&#xA0;»&#xA0;: 100&#xA0;% de négatif dans la dernière heure \\(12 mentions\\), contre 0&#xA0;% avant.</textarea>", crisis);
        Assert.Contains("data-crisis=\"none\"", crisis);
        var notes = await host.InScopeAsync(async s =>
        {
            var db = s.GetRequiredService<CoreDbContext>();
            return await (from n in db.Notifications join u in db.Users on n.UserId equals u.Id
                          where n.Kind == "crisis-suggested" select new { u.Email, n.Url }).ToListAsync();
        });
        var note = Assert.Single(notes); // the workspace's administrator, who may declare; not the community manager
        Assert.Equal("direction@maison-lumen.test", note.Email);
        Assert.Equal($"/admin/{Workspace}/inbox/crisis", note.Url);

        // Declared by a person: the suggestion goes away.
        var declared = await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/crisis/declare", new() { ["reason"] = "Lampes Halo : risque d’incendie signalé." });
        Assert.DoesNotContain("crisis-suggestion", await admin.GetStringAsync(declared.Headers.Location!.OriginalString));

        // Both alerts (volume and negative) came signed: id, timestamp, v1 signature of "id.timestamp.body" with the shown secret.
        var secret = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<SpikeWebhookSecret>().GetOrCreateAsync());
        Assert.StartsWith("whsec_", secret);
        // The page shows the secret in full only when it makes or regenerates it; this one was made by the first alert.
        Assert.Contains("whsec_…" + secret[^4..], System.Net.WebUtility.HtmlDecode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/listening")));
        Assert.Equal(2, receiver.Calls.Count);
        foreach (var call in receiver.Calls)
        {
            Assert.True(WebhookSignature.Verify(WebhookSignature.KeyOf(secret)!, call.Id, long.Parse(call.Timestamp), call.Body, call.Signature), call.Body);
            Assert.False(WebhookSignature.Verify(WebhookSignature.KeyOf(WebhookSignature.NewSecret())!, call.Id, long.Parse(call.Timestamp), call.Body, call.Signature));
            Assert.InRange(long.Parse(call.Timestamp), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        }
        Assert.Equal(2, receiver.Calls.Select(c => c.Id).Distinct().Count());
    }

    private sealed record Call(string Id, string Timestamp, string Signature, string Body);

    /// <summary>A receiving service on a loopback port that keeps each alert with its signature headers.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        public ConcurrentQueue<Call> Calls { get; } = new();
        private Receiver(WebApplication app) => _app = app;
        public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/alerts";

        public static async Task<Receiver> StartAsync()
        {
            var app = WebApplication.CreateSlimBuilder().Build();
            app.Urls.Add("http://127.0.0.1:0");
            var receiver = new Receiver(app);
            app.MapPost("/alerts", async (HttpContext http) =>
            {
                receiver.Calls.Enqueue(new Call(http.Request.Headers["webhook-id"].ToString(), http.Request.Headers["webhook-timestamp"].ToString(),
                    http.Request.Headers["webhook-signature"].ToString(), await new StreamReader(http.Request.Body).ReadToEndAsync()));
                return Results.NoContent();
            });
            await app.StartAsync();
            return receiver;
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
