using System.Net;
using CmPortal.Core.Persistence;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.Blog.Data;
using CmPortal.Modules.Publishing.Contracts;
using CmPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CmPortal.Tests.Publishing.Blog;

/// <summary>
/// The blog as a publishing channel: a post's blog variant becomes one article on the brand's site, and a delivery
/// sent again (a retry after a crash or a lost answer) finds its article instead of writing a second one.
/// </summary>
public sealed class BlogNetworkTests
{
    private const string Key = "maison-lumen";

    [Fact]
    public async Task A_blog_delivery_publishes_one_article_with_its_heading_as_title_and_a_retry_finds_it_instead_of_writing_again()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        await host.PublishSiteAsync(Key);
        var before = await ArticlesAsync(host);
        var part = new DeliveryPart("# Nos bougies d’hiver\n\nCire d’abeille, mèche en coton : **trois senteurs** pour les soirées.", null, []);

        var (first, second, reconciled) = await InWorkspaceAsync(host, async network =>
        {
            var request = Request(network.NewDeliveryKey(DateTime.UtcNow), part);
            return (await network.SendAsync(request, default), await network.SendAsync(request with { Attempt = 2 }, default),
                await network.ReconcileAsync(request, default));
        });

        Assert.Equal(SendStatus.Published, first.Status);
        var proof = Assert.Single(first.SentParts);
        Assert.EndsWith("/maison-lumen/blog/nos-bougies-d-hiver", proof.RemoteUrl);
        Assert.Equal(proof, Assert.Single(second.SentParts));
        Assert.Equal(ReconcileStatus.Found, reconciled.Status);
        Assert.Equal(before + 1, await ArticlesAsync(host)); // one delivery, one article

        using var visitor = host.CreateClient();
        var page = WebUtility.HtmlDecode(await visitor.GetStringAsync(new Uri(proof.RemoteUrl!).AbsolutePath));
        Assert.Contains("Nos bougies d’hiver", page);
        Assert.Contains("<strong>trois senteurs</strong>", page);
        Assert.DoesNotContain("# Nos bougies", page); // the heading became the title, not a line of the body
    }

    [Fact]
    public async Task An_empty_blog_variant_fails_with_a_reason_and_a_delivery_that_never_went_out_is_not_found()
    {
        await using var host = await PortalHost.StartSetUpAsync();
        var (empty, reconciled) = await InWorkspaceAsync(host, async network =>
        {
            var request = Request(network.NewDeliveryKey(DateTime.UtcNow), new DeliveryPart("   ", null, []));
            return (await network.SendAsync(request, default), await network.ReconcileAsync(request, default));
        });
        Assert.Equal(SendStatus.Failed, empty.Status);
        Assert.Contains("first line", empty.Message);
        Assert.Equal(ReconcileStatus.NotFound, reconciled.Status);
    }

    private static SendRequest Request(string key, DeliveryPart part) => new(
        Guid.NewGuid(), key, new ChannelAccount(Guid.NewGuid(), "blog", "Blog", new Dictionary<string, string>(), null, (_, _) => Task.CompletedTask),
        [part], [], 1, null, "fr", new Dictionary<string, string>(), Guid.NewGuid(), DateTime.UtcNow);

    private static Task<T> InWorkspaceAsync<T>(PortalHost host, Func<IChannelNetwork, Task<T>> work) => host.InScopeAsync(async s =>
    {
        var workspace = await s.GetRequiredService<CoreDbContext>().Workspaces.Include(w => w.Hosts).AsNoTracking().SingleAsync(w => w.Key == Key);
        s.GetRequiredService<WorkspaceContext>().Set(workspace);
        return await work(s.GetServices<IChannelNetwork>().Single(n => n.Kind == "blog"));
    });

    private static Task<int> ArticlesAsync(PortalHost host) =>
        host.InScopeAsync(s => s.GetRequiredService<BlogDbContext>().Articles.IgnoreQueryFilters().CountAsync());
}
