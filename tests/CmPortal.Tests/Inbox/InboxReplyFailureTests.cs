using System.Net;
using CmPortal.Modules.Inbox.Answers;
using CmPortal.Modules.Inbox.Mentions;
using CmPortal.Modules.Inbox.Search;
using CmPortal.Modules.Inbox.Sources;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Modules.Publishing.Outbox;
using CmPortal.Tests.Infrastructure;
using CmPortal.Tests.Publishing.Mastodon;
using Microsoft.Extensions.DependencyInjection;
using CmPortal.Tests.Publishing;
using static CmPortal.Tests.Inbox.AnswersTestData;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// A reply the network refused is explained under the mention in French: the network, its status code, its own message
/// quoted, and what to do — never the network client's English sentence.
/// </summary>
public sealed class InboxReplyFailureTests(InboxReplyFixture fixture) : IClassFixture<InboxReplyFixture>
{
    private PortalHost Host => fixture.Host;

    private static string Decode(string html) => WebUtility.HtmlDecode(html).Replace('\u00a0', ' ').Replace('\u202f', ' ');

    private async Task<string> FailedReplyPageAsync(MastodonFault fault, string text)
    {
        var status = fixture.Mastodon.SeedStatus("lea@piaille.fr", $"<p>{text}</p>", ["lumen"]);
        var id = await Host.InWorkspaceAsync(Workspace, async s =>
        {
            await s.GetRequiredService<MentionService>().IngestAsync("mastodon", "Mastodon #lumen", [new ListenedItem(status.Id,
                $"https://piaille.fr/@lea/{status.Id}", text, null, "Léa", "@lea@piaille.fr", null, DateTimeOffset.UtcNow.AddMinutes(-5), "fr")]);
            return (await s.GetRequiredService<MentionSearch>().SearchAsync(new MentionFilter { PageSize = 200 })).Page!.Items
                .Single(h => h.Mention.ExternalId == status.Id).Mention.Id;
        });
        using var admin = await Host.SignInAsync();
        fixture.Mastodon.FailNext("POST", "/api/v1/statuses", fault);
        await admin.SendFormAsync("POST", $"/admin/{Workspace}/inbox/{id}/send-reply",
            new() { ["channel"] = fixture.MastodonChannel.ToString(), ["text"] = "Bonjour Léa, merci pour votre message." });
        for (var round = 0; round < 100; round++)
        {
            await Host.Services.GetRequiredService<OutboxDispatcher>().RunOnceAsync(default);
            var replies = await Host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<SentReplyService>().RepliesAsync(id));
            if (replies.All(r => r.Status is { State: not ReplyState.Waiting })) break;
            await Task.Delay(100);
        }
        return Decode(await admin.GetStringAsync($"/admin/{Workspace}/inbox/{id}"));
    }

    [Fact]
    public async Task A_refused_reply_quotes_the_networks_message_with_its_status_code_and_says_what_to_do()
    {
        var page = await FailedReplyPageAsync(new MastodonFault.Error(422, "Validation failed: Text contains a forbidden word"), "Et les mèches ?");
        Assert.Contains("Mastodon a refusé la réponse (erreur 422). Son message : « Validation failed: Text contains a forbidden word ». Modifiez le texte en conséquence, puis renvoyez-la.", page);
        Assert.DoesNotContain("Le réseau a refusé la réponse", page);
    }

    [Fact]
    public async Task A_refused_token_says_to_connect_the_channel_again_without_the_clients_english()
    {
        var page = await FailedReplyPageAsync(new MastodonFault.Error(401, "The access token was revoked"), "Vous livrez en Belgique ?");
        Assert.Contains("Mastodon a refusé l’accès du canal « Mastodon de Lumen » (erreur 401). Reconnectez le canal sur la page des canaux, puis renvoyez la réponse.", page);
        Assert.DoesNotContain("connect the channel again", page);
    }
}
