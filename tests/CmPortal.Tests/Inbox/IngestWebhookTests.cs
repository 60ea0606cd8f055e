using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using CmPortal.Core.Security;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Ingest hooks for Zapier/n8n bridges: made on the import page (secret shown once), messages signed per Standard
/// Webhooks stored, forged, stale, replayed or oversized ones refused; only Inbox.Manage makes hooks.
/// </summary>
public sealed class IngestWebhookTests
{
    private const string Workspace = "ecoute";
    private const string Page = "/admin/ecoute/inbox/import";

    private sealed record Hook(string Url, string Secret);

    private static async Task<Hook> MakeHookAsync(PortalClient admin, string name = "Zapier — commentaires Facebook")
    {
        var made = await PageForm.Parse(await admin.GetStringAsync(Page), "form#new-hook-form").Set("name", name).SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        var page = new HtmlParser().ParseDocument(await made.Content.ReadAsStringAsync());
        var codes = page.QuerySelectorAll("#new-hook code").Select(c => c.TextContent.Trim()).ToList();
        Assert.StartsWith("whsec_", codes[1]);
        return new Hook(new Uri(codes[0]).PathAndQuery, codes[1]);
    }

    private static string Body(params (string Id, string Text)[] mentions) =>
        new JsonObject
        {
            ["mentions"] = new JsonArray(mentions.Select(m => (JsonNode)new JsonObject
            {
                ["source"] = "facebook", ["externalId"] = m.Id, ["text"] = m.Text, ["author"] = "Léa", ["publishedAt"] = "2026-11-30T09:00:00Z",
            }).ToArray()),
        }.ToJsonString();

    private static HttpRequestMessage Signed(Hook hook, string body, string? id = null, DateTimeOffset? at = null, string? secret = null)
    {
        id ??= "msg_" + Guid.NewGuid().ToString("N");
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(WebhookSignature.KeyOf(secret ?? hook.Secret)!, id, timestamp, body));
        return request;
    }

    private static Task<int> CountAsync(PortalHost host) =>
        host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<InboxDbContext>().Mentions.CountAsync());

    [Fact]
    public async Task A_signed_message_is_stored_and_its_retry_answers_the_same_counts_without_storing_twice()
    {
        await using var host = await MentionStoreTests.StartAsync();
        using var admin = await host.SignInAsync();
        var hook = await MakeHookAsync(admin);
        using var bridge = host.Script(null);

        using var first = Signed(hook, Body(("fb1", "Superbe bougie, bravo !"), ("fb2", "Livraison lente")), id: "msg_1");
        var sent = await bridge.SendAsync(first);
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var counts = JsonNode.Parse(await sent.Content.ReadAsStringAsync())!;
        Assert.Equal((2, 0), ((int)counts["stored"]!, (int)counts["duplicates"]!));
        var texts = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<InboxDbContext>().Mentions.OrderBy(m => m.Id).Select(m => m.Text).ToListAsync());
        Assert.Equal(["Superbe bougie, bravo !", "Livraison lente"], texts);

        // The bridge retries the same message: the same answer, nothing stored twice.
        using var retry = Signed(hook, Body(("fb1", "Superbe bougie, bravo !"), ("fb2", "Livraison lente")), id: "msg_1");
        var replayed = await bridge.SendAsync(retry);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        counts = JsonNode.Parse(await replayed.Content.ReadAsStringAsync())!;
        Assert.Equal((2, 0), ((int)counts["stored"]!, (int)counts["duplicates"]!));
        Assert.Equal(2, await CountAsync(host));

        // The page lists the hook with its last use; revoked, its messages are refused.
        var page = new HtmlParser().ParseDocument(await admin.GetStringAsync(Page));
        var row = page.QuerySelector("#hooks tbody tr")!;
        Assert.Contains("Zapier — commentaires Facebook", row.TextContent);
        Assert.DoesNotContain("Jamais", row.TextContent);
        Assert.Null(page.QuerySelector("#new-hook-secret")); // the secret was shown once
        Assert.Equal(HttpStatusCode.Redirect, (await PageForm.Parse(page.DocumentElement.OuterHtml, "#hooks form").SubmitAsync(admin)).StatusCode);
        using var afterRevoke = Signed(hook, Body(("fb3", "Encore")));
        Assert.Equal(HttpStatusCode.NotFound, (await bridge.SendAsync(afterRevoke)).StatusCode);
    }

    [Fact]
    public async Task Forged_stale_future_and_oversized_messages_are_refused_and_store_nothing()
    {
        await using var host = await MentionStoreTests.StartAsync();
        using var admin = await host.SignInAsync();
        var hook = await MakeHookAsync(admin);
        using var bridge = host.Script(null);
        var body = Body(("fb1", "Superbe bougie"));
        var before = await DatabaseSnapshot.ContentAsync(host);

        using var forged = Signed(hook, body, secret: "whsec_" + Convert.ToBase64String(new byte[32]));
        var refused = await bridge.SendAsync(forged);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("webhook-signature", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]![0]!["field"]!);

        using var tampered = Signed(hook, body);
        tampered.Content = new StringContent(Body(("fb1", "Texte changé en route")), Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bridge.SendAsync(tampered)).StatusCode);

        using var stale = Signed(hook, body, at: DateTimeOffset.UtcNow.AddMinutes(-6));
        refused = await bridge.SendAsync(stale);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("webhook-timestamp", (string)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["errors"]![0]!["field"]!);

        using var future = Signed(hook, body, at: DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Equal(HttpStatusCode.Unauthorized, (await bridge.SendAsync(future)).StatusCode);

        using var unsigned = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await bridge.SendAsync(unsigned)).StatusCode);

        var huge = Body(Enumerable.Range(0, 130).Select(i => ($"big{i}", new string('a', 9000))).ToArray()); // about 1.2 MB
        using var oversized = Signed(hook, huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await bridge.SendAsync(oversized)).StatusCode);

        // Only the hook itself was recorded (made before); no mention, no delivery.
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Fact]
    public async Task A_flood_on_one_hook_gets_429_with_Retry_After_and_leaves_other_hooks_and_mentions_alone()
    {
        await using var host = await MentionStoreTests.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Inbox:HookRateLimit:PermitLimit"] = "3", ["Inbox:HookRateLimit:WindowSeconds"] = "300",
        });
        using var admin = await host.SignInAsync();
        var flooded = await MakeHookAsync(admin);
        var other = await MakeHookAsync(admin, "n8n — avis Google");
        using var bridge = host.Script(null);

        for (var i = 0; i < 3; i++)
        {
            using var message = Signed(flooded, Body(($"f{i}", $"Message {i} du pont")));
            Assert.Equal(HttpStatusCode.Created, (await bridge.SendAsync(message)).StatusCode);
        }
        // The fourth message within the window is refused before it is read, with the time to wait: nothing stored.
        using var fourth = Signed(flooded, Body(("f3", "Un message de trop")));
        var refused = await bridge.SendAsync(fourth);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(300), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(3, await CountAsync(host));

        // Another hook of the workspace keeps its own budget.
        using var elsewhere = Signed(other, Body(("o1", "Avis reçu par un autre pont")));
        Assert.Equal(HttpStatusCode.Created, (await bridge.SendAsync(elsewhere)).StatusCode);
        Assert.Equal(4, await CountAsync(host));
    }

    [Fact]
    public async Task A_member_without_Inbox_Manage_cannot_make_a_hook()
    {
        await using var host = await MentionStoreTests.StartAsync();
        await host.AddMemberAsync("redactrice@example.test", Workspace, DefaultRoles.Contributor);
        using var contributor = await host.SignInAsync("redactrice@example.test", MemberHostExtensions.MemberPassword);
        var token = await contributor.AntiforgeryTokenAsync();
        var before = await DatabaseSnapshot.ContentAsync(host);
        var made = await contributor.Http.PostAsync($"{Page}/hooks", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["name"] = "Pont n8n",
        }));
        ResponseAssert.AssertRedirect(made, "/account/denied?ReturnUrl=%2Fadmin%2Fecoute%2Finbox%2Fimport%2Fhooks");
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }
}
