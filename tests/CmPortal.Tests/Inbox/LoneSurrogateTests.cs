using System.Net;
using System.Net.Http.Json;
using System.Text;
using CmPortal.Modules.Inbox.Data;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// Half of a character (a lone UTF-16 surrogate: JSON <c>"\ud800"</c>, or an emoji cut in two at a length limit) is
/// never stored — PostgreSQL refuses it with a server error, SQLite keeps a « � »: it is refused with a problem saying
/// where, or the limit leaves the whole emoji out.
/// </summary>
public sealed class LoneSurrogateTests
{
    private const string Workspace = "ecoute";

    private static Task<List<Mention>> MentionsAsync(PortalHost host) =>
        host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<InboxDbContext>().Mentions.AsNoTracking().ToListAsync());

    [Fact]
    public async Task A_lone_surrogate_is_refused_where_it_is_and_an_emoji_at_a_length_limit_is_left_out_whole()
    {
        await using var host = await MentionStoreTests.StartAsync();
        using var api = host.Script(await host.CreateTokenAsync(PortalHost.AdminEmail, Workspace));

        // Sent as a JSON escape: the body cannot be read as text, a 400 problem, nothing stored.
        var escaped = await api.PostAsync($"/api/v1/{Workspace}/mentions", new StringContent(
            """{ "mentions": [ { "source": "api", "externalId": "x1", "text": "Colis abîmé \ud83d !", "publishedAt": "2026-11-30T09:00:00Z" } ] }""",
            Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, escaped.StatusCode);
        Assert.Equal("application/problem+json", escaped.Content.Headers.ContentType?.MediaType);

        // Handed over by a reader (a feed's or a network's decoded text): refused on its field, in French, nothing stored.
        var refused = await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<MentionService>().IngestAsync("rss", "Presse",
            [new ListenedItem("a1", null, "Colis abîmé \ud83d !", "Bougies\udc00", "Léa", null, null, DateTimeOffset.UtcNow, "fr")]));
        Assert.Equal(["mentions[0].text", "mentions[0].title"], refused.Problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.Equal("Character {0} is half of a character (a lone UTF-16 surrogate): send whole characters, encoded in UTF-8.", refused.Problems[0].Template);
        Assert.Equal(13, refused.Problems.Single(p => p.Field == "mentions[0].text").Values[0]);
        Assert.Empty(await MentionsAsync(host));

        // A title of 499 characters and a candle emoji: cut at 500, the emoji goes whole, not its first half.
        var title = new string('a', 499) + "🕯️ fin";
        var created = await api.PostAsJsonAsync($"/api/v1/{Workspace}/mentions", new
        {
            mentions = new[] { new { source = "api", externalId = "x2", text = "Belle bougie 🕯", title, publishedAt = DateTimeOffset.UtcNow, author = new string('b', 199) + "🕯" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var stored = Assert.Single(await MentionsAsync(host));
        Assert.Equal((new string('a', 499), new string('b', 199)), (stored.Title, stored.Author));
        Assert.Equal(0, MentionRules.LoneSurrogateAt(stored.Title));
    }
}
