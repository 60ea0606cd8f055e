using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Security;
using CmPortal.Modules.Publishing.Channels;
using CmPortal.Modules.Publishing.Data;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing;

/// <summary>A manual channel: at the due time its assignee is told, sees the text to copy, and marks it published with its URL.</summary>
public sealed class ManualChannelTests
{
    [Fact]
    public async Task The_assignee_is_told_copies_the_text_and_marks_the_post_published_with_its_address()
    {
        await using var host = await PublishingTestHost.StartAsync(new TestNetworkServer());
        await host.AddMemberAsync("cm@maison-lumen.test", PublishingTestHost.Workspace, DefaultRoles.CommunityManager);
        var cm = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Users.Where(u => u.Email == "cm@maison-lumen.test").Select(u => u.Id).SingleAsync());
        using var admin = await host.SignInAsync();
        var connected = await admin.PostFormAsync("/admin/maison-lumen/channels/connect",
            new() { ["kind"] = "manual", ["name"] = "Instagram de la boutique", ["network"] = "instagram" }, "/admin/maison-lumen/channels");
        Assert.Equal(HttpStatusCode.Redirect, connected.StatusCode);
        var channel = (await host.InWorkspaceAsync(PublishingTestHost.Workspace, s => s.GetRequiredService<ChannelService>().ListAsync(default)))
            .Single(c => c.Name == "Instagram de la boutique");
        Assert.Equal("instagram", ChannelService.SettingsOf(channel)["network"]);
        var assigned = await host.InWorkspaceAsync(PublishingTestHost.Workspace, s =>
            s.GetRequiredService<ChannelService>().SetAssigneeAsync(channel.Id, channel.Version, cm, default));
        Assert.True(assigned.Succeeded, string.Join(" ", assigned.Problems));
        Assert.Contains("Instagram de la boutique", await admin.GetStringAsync("/admin/maison-lumen/channels"));

        // For this channel only: the demo's own Instagram channel would take the post too.
        var post = await host.ScheduleAsync("Photo de l’atelier, à poster à la main", ["instagram"], [channel.Id]);
        await host.PublishNowAsync(post);
        var delivery = Assert.Single(await host.SettledAsync(post));
        Assert.Equal(DeliveryState.AwaitingPerson, delivery.State);
        CmPortal.Core.Notifications.PortalNotification? note = null;
        for (var i = 0; i < 100 && note is null; i++, await Task.Delay(50)) // told just after the delivery is saved
            note = await host.InScopeAsync(s => s.GetRequiredService<CoreDbContext>().Notifications.SingleOrDefaultAsync(n => n.UserId == cm && n.Kind == "manual-post-due"));
        Assert.NotNull(note);
        Assert.Equal($"/admin/maison-lumen/publishing/deliveries/{delivery.Id}", note.Url);

        var page = await admin.GetStringAsync(note.Url);
        Assert.Contains("Photo de l’atelier, à poster à la main", page);
        var marked = await admin.PostFormAsync($"{note.Url}/published", new() { ["url"] = "https://www.instagram.com/p/abc123/" }, note.Url);
        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        delivery = Assert.Single(await host.DeliveriesAsync(post));
        Assert.Equal(DeliveryState.Published, delivery.State);
        Assert.Equal("https://www.instagram.com/p/abc123/", delivery.RemoteUrl);
        Assert.Contains("https://www.instagram.com/p/abc123/", await admin.GetStringAsync("/admin/maison-lumen/publishing"));
    }
}
