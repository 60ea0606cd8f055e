using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Inbox;

/// <summary>Mentions the saved replies and moderation tests add to the demo workspace.</summary>
internal static class AnswersTestData
{
    public const string Workspace = "maison-lumen";

    /// <summary>A member who lacks the permission gets the portal's "access denied" page (a redirect to it, then 403).</summary>
    public static async Task AssertDeniedAsync(PortalClient client, Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        if (response.StatusCode == System.Net.HttpStatusCode.Redirect)
        {
            var location = response.Headers.Location!.OriginalString;
            Xunit.Assert.StartsWith("/account/denied", new Uri(client.Http.BaseAddress!, location).PathAndQuery);
            response = await client.GetAsync(location);
        }
        Xunit.Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
    }

    /// <summary>Ingests one mention as a source would and gives its id.</summary>
    public static Task<long> AddMentionAsync(PortalHost host, string externalId, string text, string? author = "Tom Rivière", string? url = null,
        string language = "fr", string workspace = Workspace) =>
        host.InWorkspaceAsync(workspace, async s =>
        {
            await s.GetRequiredService<MentionService>().IngestAsync("rss", "Tests",
                [new ListenedItem(externalId, url, text, null, author, null, null, DateTimeOffset.UtcNow.AddMinutes(-5), language)]);
            var search = s.GetRequiredService<MentionSearch>();
            var page = (await search.SearchAsync(new MentionFilter { Hidden = HiddenMentions.Include, PageSize = 200 })).Page!;
            return page.Items.Single(h => h.Mention.ExternalId == externalId).Mention.Id;
        });
}
