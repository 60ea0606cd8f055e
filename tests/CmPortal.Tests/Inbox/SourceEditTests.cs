using System.Net;
using CmPortal.Modules.Inbox.Sources.Stored;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>Editing a source on its page: what it reads, its name, its interval; refused input kept; a stale edit told.</summary>
public sealed class SourceEditTests
{
    private const string Page = "/admin/maison-lumen/inbox/sources";

    [Fact]
    public async Task A_failing_feed_given_its_right_address_starts_afresh_and_its_mentions_arrive_under_its_new_name()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        feeds.Serve("/good", "application/atom+xml", SourceTesting.AlertsFeed());
        feeds.Serve("/typo", "text/html; charset=utf-8", "<!doctype html><html><body>Page introuvable</body></html>");
        await using var host = await SourceTesting.StartAsync();
        var source = await host.AddAsync(new SourceInput("rss", "Presse", feeds.Url("/typo"), IntervalMinutes: 30));
        await host.PollAsync();
        Assert.Equal(1, (await host.SourceAsync(source.Id)).ConsecutiveFailures);
        using var admin = await host.SignInAsync();

        var list = await admin.PageAsync(Page);
        Assert.Contains($"{Page}/{source.Id}/edit", list);
        var form = await admin.PageAsync($"{Page}/{source.Id}/edit");
        Assert.Contains("Modifier la source « Presse »", form);
        Assert.Contains($"value=\"{feeds.Url("/typo")}\"", form); // what it reads now, ready to correct
        Assert.Contains("value=\"30\"", form);

        var edit = (await host.SourceAsync(source.Id)).Version;
        var saved = await admin.PostFormAsync($"{Page}/{source.Id}/edit", new()
        {
            ["version"] = edit.ToString(), ["url"] = feeds.Url("/good"), ["name"] = "Alertes presse", ["intervalMinutes"] = "30",
        }, $"{Page}/{source.Id}/edit");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Source « Alertes presse » enregistrée", await admin.PageAsync(Page));

        var fresh = await host.SourceAsync(source.Id);
        Assert.Equal((feeds.Url("/good"), "rss", 0, null), (fresh.Url, fresh.Kind, fresh.ConsecutiveFailures, fresh.LastError));
        Assert.True(fresh.NextTryUtc <= DateTime.UtcNow, "a source that reads elsewhere is read within a minute");
        Assert.Equal(1, await host.PollAsync());
        Assert.Equal(2, (await host.MentionsAsync("Alertes presse")).Count);
    }

    [Fact]
    public async Task A_new_interval_counts_from_the_last_read_and_keeps_what_the_reader_knows()
    {
        await using var feeds = await FeedTestServer.StartAsync();
        var body = System.Text.Encoding.UTF8.GetBytes(SourceTesting.AlertsFeed());
        feeds.Map("/etag", async context =>
        {
            context.Response.Headers.ETag = "\"v1\"";
            context.Response.ContentType = "application/atom+xml";
            await feeds.WriteAsync(context, body);
        });
        await using var host = await SourceTesting.StartAsync();
        var source = await host.AddAsync(new SourceInput("rss", "Presse", feeds.Url("/etag")));
        await host.PollAsync();
        var read = await host.SourceAsync(source.Id);
        using var admin = await host.SignInAsync();

        var saved = await admin.PostFormAsync($"{Page}/{source.Id}/edit", new()
        {
            ["version"] = read.Version.ToString(), ["url"] = feeds.Url("/etag"), ["name"] = "Presse", ["intervalMinutes"] = "60",
        }, $"{Page}/{source.Id}/edit");

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var now = await host.SourceAsync(source.Id);
        Assert.Equal(("\"v1\"", 60), (now.ETag, now.IntervalMinutes));
        Assert.Equal(read.LastFetchUtc!.Value.AddMinutes(60), now.NextTryUtc, TimeSpan.FromSeconds(1));
        // The list says the interval in hours, and once a day as such, not in minutes.
        Assert.Contains("· toutes les heures", await admin.PageAsync(Page));
        var daily = await admin.PostFormAsync($"{Page}/{source.Id}/edit", new()
        {
            ["version"] = now.Version.ToString(), ["url"] = feeds.Url("/etag"), ["name"] = "Presse", ["intervalMinutes"] = "1440",
        }, $"{Page}/{source.Id}/edit");
        Assert.Equal(HttpStatusCode.Redirect, daily.StatusCode);
        var list = await admin.PageAsync(Page);
        Assert.Contains("· tous les jours", list);
        Assert.DoesNotContain("1440 min", list.Replace('\u00a0', ' '));
    }

    [Fact]
    public async Task Bad_input_comes_back_with_its_message_by_the_field_and_a_stale_edit_shows_what_the_other_member_saved()
    {
        await using var host = await SourceTesting.StartAsync();
        var press = await host.AddAsync(new SourceInput("rss", "Presse", "http://127.0.0.1:9/presse.xml"));
        await host.AddAsync(new SourceInput("rss", "Forum", "http://127.0.0.1:9/forum.xml"));
        using var admin = await host.SignInAsync();
        var editPage = $"{Page}/{press.Id}/edit";

        var refused = await admin.PostFormAsync(editPage, new()
        {
            ["version"] = press.Version.ToString(), ["url"] = "http://127.0.0.1:9/flux.xml", ["name"] = "Forum", ["intervalMinutes"] = "2",
        }, editPage);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var shown = SourceTesting.Read(await refused.Content.ReadAsStringAsync());
        Assert.Contains("Une autre source s’appelle déjà « Forum »", shown);
        Assert.Contains("au plus toutes les 5 minutes", shown);
        Assert.Contains("value=\"http://127.0.0.1:9/flux.xml\"", shown); // what was typed stays
        Assert.Equal(("Presse", "http://127.0.0.1:9/presse.xml"), ((await host.SourceAsync(press.Id)).Name, (await host.SourceAsync(press.Id)).Url));

        // Another member pauses it meanwhile: the first member's form is stale.
        await host.InWorkspace(s => s.GetRequiredService<SourceService>().PauseAsync(press.Id, press.Version));
        var stale = await admin.PostFormAsync(editPage, new()
        {
            ["version"] = press.Version.ToString(), ["url"] = "http://127.0.0.1:9/flux.xml", ["name"] = "Presse", ["intervalMinutes"] = "15",
        }, editPage);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("Quelqu’un a modifié cette source entre-temps", SourceTesting.Read(await stale.Content.ReadAsStringAsync()));
        var after = await host.SourceAsync(press.Id);
        Assert.Equal(("http://127.0.0.1:9/presse.xml", true), (after.Url, after.Paused));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"{Page}/{Guid.NewGuid()}/edit")).StatusCode);
    }
}
