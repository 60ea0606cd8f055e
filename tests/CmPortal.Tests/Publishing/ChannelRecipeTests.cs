using System.Net;
using System.Text.Json.Nodes;
using CmPortal.Core.Recipes;
using CmPortal.Core.Security;
using CmPortal.Modules.ContentCalendar.Contracts;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CmPortal.Tests.Publishing;

/// <summary>
/// The "channels" recipe step: a recipe names channels and their settings, never their secrets. A channel that needs
/// one waits for it (NeedsSecret) and sends nothing until a member enters it on the channels page.
/// </summary>
public sealed class ChannelRecipeTests
{
    private const string W = PublishingTestHost.Workspace;

    private static Task<List<Channel>> ChannelsAsync(PortalHost host, string key = W) =>
        host.InWorkspaceAsync(key, s => s.GetRequiredService<ChannelService>().ListAsync(default));

    private static string Recipe(string channels, string key = W) => $$"""
        { "name": "canaux", "steps": [
          { "step": "workspace", "key": "{{key}}", "name": "Maison Lumen" },
          { "step": "channels", "channels": [ {{channels}} ] } ] }
        """;

    [Fact]
    public async Task The_demo_recipe_connects_the_blog_and_a_manual_Instagram_channel_that_its_Instagram_posts_go_to()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        var channels = await ChannelsAsync(host);
        Assert.Equal(["Blog Maison Lumen", "Instagram Maison Lumen"], channels.Select(c => c.Name));
        var blog = channels[0];
        var instagram = channels[1];
        Assert.Equal(("blog", ChannelState.Active), (blog.Kind, blog.State));
        Assert.EndsWith("/maison-lumen/blog", blog.AccountUrl);
        Assert.Equal(("manual", ChannelState.Active, "instagram"), (instagram.Kind, instagram.State, ChannelService.SettingsOf(instagram)["network"]));
        Assert.All(channels, c => Assert.Null(c.ProtectedSecret));

        // Every planned demo post on Instagram goes to the manual channel, every blog post to the blog.
        var planned = await host.InWorkspaceAsync(W, s => s.GetRequiredService<IPublishingSchedule>().DueBetweenAsync(DateTime.UtcNow, DateTime.UtcNow.AddDays(60)));
        var onInstagram = planned.Where(o => o.Networks.Contains("instagram")).ToList();
        Assert.NotEmpty(onInstagram);
        Assert.All(onInstagram, o => Assert.Contains(OutboxPlanner.Targets(o.Networks, o.ChannelIds, OutboxPlanner.WithNetworks(channels)), t => t.Channel.Id == instagram.Id && t.Network == "instagram"));
        Assert.All(planned.Where(o => o.Networks.Contains("blog")), o => Assert.Contains(OutboxPlanner.Targets(o.Networks, o.ChannelIds, OutboxPlanner.WithNetworks(channels)), t => t.Channel.Id == blog.Id));

        using var admin = await host.SignInAsync();
        var page = await admin.GetStringAsync("/admin/maison-lumen/channels");
        Assert.Contains("Blog Maison Lumen", page);
        Assert.Contains("Instagram Maison Lumen", page);
    }

    [Fact]
    public async Task Channels_that_need_a_secret_are_created_waiting_for_it_without_any_call_to_the_network_and_are_not_doubled()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        await host.AddMemberAsync("ines@maison-lumen.test", W, DefaultRoles.CommunityManager);
        var json = Recipe($$"""
            { "kind": "mastodon", "name": "Mastodon de l’atelier", "instanceUrl": "{{mastodon.BaseAddress}}" },
            { "kind": "bluesky", "name": "Bluesky", "handle": "@maison-lumen.bsky.social", "pdsUrl": "http://127.0.0.1:9" },
            { "kind": "webhook", "name": "Site vitrine", "url": "https://hooks.example.test/lumen", "network": "linkedin" },
            { "kind": "manual", "name": "LinkedIn", "network": "linkedin", "assignee": "INES@maison-lumen.test" }
            """);

        var plan = await host.Services.GetRequiredService<RecipeRunner>().PlanAsync(RecipeDocument.Parse(json, "canaux.recipe.json"), new Dictionary<string, string>());
        var changes = plan.Steps.Single(s => s.Name == "channels").Changes;
        Assert.Equal([4, 0], changes[0].Values);
        Assert.Equal([3], changes[1].Values);

        await host.ApplyRecipeAsync(json);
        Assert.Empty(mastodon.Requests);
        var channels = (await ChannelsAsync(host)).ToDictionary(c => c.Name);
        Assert.Equal(6, channels.Count);
        var account = channels["Mastodon de l’atelier"];
        Assert.Equal((ChannelState.NeedsSecret, mastodon.BaseAddress.ToString()), (account.State, ChannelService.SettingsOf(account)["instanceUrl"]));
        var bluesky = channels["Bluesky"];
        Assert.Equal((ChannelState.NeedsSecret, "maison-lumen.bsky.social", "@maison-lumen.bsky.social"),
            (bluesky.State, ChannelService.SettingsOf(bluesky)["handle"], bluesky.AccountName));
        var webhook = channels["Site vitrine"];
        Assert.Equal((ChannelState.NeedsSecret, "https://hooks.example.test/lumen", "linkedin"),
            (webhook.State, ChannelService.SettingsOf(webhook)["url"], ChannelService.SettingsOf(webhook)["network"]));
        Assert.All(channels.Values, c => Assert.Null(c.ProtectedSecret));
        var ines = await host.InScopeAsync(s => s.GetRequiredService<CmPortal.Core.Persistence.CoreDbContext>().Users.Where(u => u.Email == "ines@maison-lumen.test").Select(u => u.Id).SingleAsync());
        Assert.Equal((ChannelState.Active, ines), (channels["LinkedIn"].State, channels["LinkedIn"].AssigneeUserId));

        // Applied again (the demo too): the same channels, nothing doubled, nothing changed.
        var before = await DatabaseSnapshot.ContentAsync(host);
        await host.ApplyRecipeAsync(json);
        await host.ApplyRecipeAsync(await File.ReadAllTextAsync(RecipeHostExtensions.ShippedRecipe("demo.recipe.json")));
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);

        // The channels page shows what is left to do, and the way to do it.
        using var admin = await host.SignInAsync();
        var page = await admin.GetStringAsync("/admin/maison-lumen/channels");
        Assert.Contains($"href=\"/admin/maison-lumen/channels/{account.Id}/reconnect\"", page);
        Assert.Contains("Rien n’est envoyé tant que vous n’avez pas saisi son secret.", page);
    }

    [Fact]
    public async Task An_export_names_the_channels_never_their_secrets_and_once_imported_a_channel_sends_only_after_its_secret_is_entered()
    {
        await using var mastodon = await MastodonTestServer.StartAsync();
        var (_, token) = mastodon.AddAccount("lumen");
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        const string webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        var (protectedToken, protectedWebhook) = await host.InWorkspaceAsync(W, async s =>
        {
            var service = s.GetRequiredService<ChannelService>();
            var connected = await service.ConnectAsync("mastodon", "Mastodon de l’atelier",
                new Dictionary<string, string> { ["instanceUrl"] = mastodon.BaseAddress.ToString(), ["accessToken"] = token }, null, default);
            Assert.True(connected.Succeeded, string.Join(" ", connected.Problems));
            var hook = await service.ConnectAsync("webhook", "Site vitrine",
                new Dictionary<string, string> { ["url"] = "https://hooks.example.test/lumen", ["secret"] = webhookSecret }, null, default);
            Assert.True(hook.Succeeded, string.Join(" ", hook.Problems));
            return (connected.Channel!.ProtectedSecret!, hook.Channel!.ProtectedSecret!);
        });

        var export = await host.ExportAsync(W);
        Assert.DoesNotContain(token, export);
        Assert.DoesNotContain(protectedToken, export);
        Assert.DoesNotContain(webhookSecret, export);
        Assert.DoesNotContain(protectedWebhook, export);
        var step = JsonNode.Parse(export)!["steps"]!.AsArray().Single(s => s!["step"]!.GetValue<string>() == "channels")!;
        var expected = JsonNode.Parse($$"""
            [ { "kind": "blog", "name": "Blog Maison Lumen" }, { "kind": "manual", "name": "Instagram Maison Lumen", "network": "instagram" },
              { "kind": "mastodon", "name": "Mastodon de l’atelier", "instanceUrl": "{{mastodon.BaseAddress}}" },
              { "kind": "webhook", "name": "Site vitrine", "url": "https://hooks.example.test/lumen" } ]
            """);
        Assert.True(JsonNode.DeepEquals(expected, step["channels"]), step["channels"]!.ToJsonString());

        // Imported under another key: the channels are there, those with a secret waiting for it.
        await host.ApplyRecipeAsync(export, new() { ["key"] = "lumen-copie", ["name"] = "Lumen copie" });
        var copy = (await ChannelsAsync(host, "lumen-copie")).ToDictionary(c => c.Name);
        Assert.Equal(ChannelState.NeedsSecret, copy["Mastodon de l’atelier"].State);
        Assert.Equal(ChannelState.NeedsSecret, copy["Site vitrine"].State);
        Assert.All(copy.Values, c => Assert.Null(c.ProtectedSecret));

        // A post for the copy's Mastodon channel waits: nothing reaches the instance.
        var channel = copy["Mastodon de l’atelier"];
        var post = await ScheduleInAsync(host, "lumen-copie", "Nouvelle bougie à l’atelier", channel.Id);
        await host.InWorkspaceAsync("lumen-copie", async s =>
        {
            await s.GetRequiredService<OutboxPlanner>().PlanAsync(default);
            var now = await s.GetRequiredService<DeliveryService>().PublishNowAsync(post, default);
            Assert.True(now.Succeeded, string.Join(" ", now.Problems));
            return 0;
        });
        await Task.Delay(1500); // the dispatcher polls every 50 ms
        var waiting = Assert.Single(await DeliveriesAsync(host, "lumen-copie", post));
        Assert.Equal((DeliveryState.Pending, 0), (waiting.State, waiting.Attempts));
        Assert.Empty(mastodon.Statuses);

        // The member enters the token on the channel's page: the channel is active and the post goes, once.
        using var admin = await host.SignInAsync();
        var form = PageForm.Parse(await admin.GetStringAsync($"/admin/lumen-copie/channels/{channel.Id}/reconnect"));
        Assert.Equal(mastodon.BaseAddress.ToString(), form["instanceUrl"]);
        Assert.Equal("", form["accessToken"]);
        var refused = await form.Set("accessToken", "not-the-token").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("a refusé ce jeton d’accès", await refused.Content.ReadAsStringAsync());
        Assert.Equal(ChannelState.NeedsSecret, (await ChannelsAsync(host, "lumen-copie")).Single(c => c.Id == channel.Id).State);

        form = PageForm.Parse(await admin.GetStringAsync($"/admin/lumen-copie/channels/{channel.Id}/reconnect"));
        var saved = await form.Set("accessToken", token).SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(ChannelState.Active, (await ChannelsAsync(host, "lumen-copie")).Single(c => c.Id == channel.Id).State);
        var until = DateTime.UtcNow.AddSeconds(15);
        while ((await DeliveriesAsync(host, "lumen-copie", post)).Single().State != DeliveryState.Published && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.Equal(DeliveryState.Published, (await DeliveriesAsync(host, "lumen-copie", post)).Single().State);
        Assert.Equal("Nouvelle bougie à l’atelier", Assert.Single(mastodon.Statuses).Text);
    }

    public static TheoryData<string, string, string> BadEntries => new()
    {
        { """{ "kind": "myspace", "name": "Vieux compte" }""", "channels[1].kind", "“myspace” is not a kind of channel." },
        { """{ "kind": "manual", "network": "instagram" }""", "channels[1].name", "Give the channel a name." },
        { """{ "kind": "webhook", "name": "Site", "url": "ftp://files.example.test/in" }""", "channels[1].url", "The webhook address must start with http:// or https://." },
        { """{ "kind": "manual", "name": "Pinterest", "network": "pinterest", "assignee": "personne@example.test" }""", "channels[1].assignee",
            "personne@example.test is not a member of this workspace" },
        { """{ "kind": "manual", "name": "TikTok", "network": "tiktok", "accessToken": "secret-123" }""", "channels[1]", "\"accessToken\" is not a field of this step." },
    };

    [Theory]
    [MemberData(nameof(BadEntries))]
    public async Task A_bad_channel_is_refused_with_its_step_and_field_and_the_database_stays_as_it_was(string entry, string field, string message)
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        var before = await DatabaseSnapshot.ContentAsync(host);
        // The first entry is good: refused with the second, it is not kept either.
        var json = $$"""
            { "name": "canaux", "steps": [
              { "step": "workspace", "key": "maison-lumen", "name": "Maison Lumen" },
              { "step": "keyDates", "keyDates": [ { "id": "portes-ouvertes", "title": "Portes ouvertes", "start": "2027-06-05" } ] },
              { "step": "channels", "channels": [ { "kind": "manual", "name": "Facebook", "network": "facebook" }, {{entry}} ] } ] }
            """;
        var error = Assert.Single((await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(json, file: "canaux.recipe.json"))).Errors);
        Assert.Equal(("canaux.recipe.json", 3, "channels"), (error.File, error.StepIndex!.Value, error.StepName!));
        Assert.StartsWith(field, error.Field);
        Assert.Contains(message, error.Message);
        await DatabaseSnapshot.AssertUnchangedAsync(host, before);
    }

    [Fact]
    public async Task A_blog_channel_needs_the_blog_module_on_before_the_step()
    {
        await using var host = await PortalHost.StartSetUpAsync(recipe: "blank.recipe.json", parameters: new() { ["key"] = "alpha", ["name"] = "Alpha" });
        var json = """
            { "name": "x", "steps": [ { "step": "workspace", "key": "beta", "name": "Beta" }, { "step": "modules", "enable": ["Publishing"] },
              { "step": "channels", "channels": [ { "kind": "blog", "name": "Blog" } ] } ] }
            """;
        var error = Assert.Single((await Assert.ThrowsAsync<RecipeException>(() => host.ApplyRecipeAsync(json))).Errors);
        Assert.Equal("channels[0].kind", error.Field);
        Assert.Contains("needs the module \"Blog\"", error.Message);
    }

    private static Task<List<Delivery>> DeliveriesAsync(PortalHost host, string key, Guid post) =>
        host.InWorkspaceAsync(key, s => s.GetRequiredService<PublishingDbContext>().Deliveries.AsNoTracking().Where(d => d.PostId == post).ToListAsync());

    /// <summary>A post of <paramref name="key"/> scheduled in two hours on Mastodon, for one channel.</summary>
    private static async Task<Guid> ScheduleInAsync(PortalHost host, string key, string text, Guid channel)
    {
        var start = await host.InWorkspaceAsync(key, s =>
        {
            var zone = s.GetRequiredService<PostService>().Zone;
            return Task.FromResult(PostRules.Format(SystemClock.Instance.GetCurrentInstant().Plus(Duration.FromHours(2)).InZone(zone).LocalDateTime));
        });
        return await host.CreatePostAsync(new PostInput { Text = text, Networks = ["mastodon"], StartsAt = start, Channels = [channel] }, PostState.Scheduled, key);
    }
}
