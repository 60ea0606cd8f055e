using System.Net;
using AngleSharp.Html.Parser;
using CmPortal.Modules.Inbox.Listening;
using CmPortal.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static CmPortal.Tests.Inbox.AnswersTestData;

namespace CmPortal.Tests.Inbox;

/// <summary>
/// The spike alerts' signing secret on the listening page: shown in full once, when it is made, then only its end;
/// « Régénérer le secret » (confirmed, Inbox.Manage only) makes a new one, shown once, and the old one signs nothing more.
/// </summary>
public sealed class ListeningSecretRotationTests
{
    private const string Page = $"/admin/{Workspace}/inbox/listening";

    private static string SecretShown(string html) => new HtmlParser().ParseDocument(html).QuerySelector("#webhook-secret")!.GetAttribute("value")!;

    [Fact]
    public async Task The_secret_is_shown_once_and_regenerating_it_replaces_it_for_the_alerts()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<ListeningQueryService>().SaveSettingsAsync("https://alerts.example.test/hook"));
        using var admin = await host.SignInAsync();

        var first = await admin.GetStringAsync(Page);
        var made = SecretShown(first);
        Assert.StartsWith("whsec_", made);
        Assert.Contains("webhook-secret-once", first);
        var again = await admin.GetStringAsync(Page);
        Assert.Equal("whsec_…" + made[^4..], SecretShown(again)); // never in full again
        Assert.DoesNotContain(made, again);

        var form = new HtmlParser().ParseDocument(again).QuerySelector($"form[action='{Page}/webhook-secret']")!;
        Assert.Contains("Créer un nouveau secret de signature", form.GetAttribute("data-confirm"));
        var regenerated = await PageForm.Parse(again, $"form[action='{Page}/webhook-secret']").SubmitAsync(admin);
        Assert.Equal(HttpStatusCode.OK, regenerated.StatusCode);
        var fresh = SecretShown(await regenerated.Content.ReadAsStringAsync());
        Assert.StartsWith("whsec_", fresh);
        Assert.NotEqual(made, fresh);
        Assert.Equal(fresh, await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<SpikeWebhookSecret>().GetOrCreateAsync()));
        Assert.Equal("whsec_…" + fresh[^4..], SecretShown(await admin.GetStringAsync(Page)));

        // Without the form's token, or without Inbox.Manage, nothing changes.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.SendWithoutTokenAsync("POST", $"{Page}/webhook-secret")).StatusCode);
        await host.AddMemberAsync("analyste-secret@example.test", Workspace, "Analyst");
        using var analyst = await host.SignInAsync("analyste-secret@example.test", MemberHostExtensions.MemberPassword);
        await AssertDeniedAsync(analyst, analyst.SendFormAsync("POST", $"{Page}/webhook-secret", new()));
        Assert.Equal(fresh, await host.InWorkspaceAsync(Workspace, s => s.GetRequiredService<SpikeWebhookSecret>().GetOrCreateAsync()));
    }
}
