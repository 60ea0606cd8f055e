using CmPortal.Core.Admin;
using CmPortal.Core.Modules;
using CmPortal.Core.Security;
using CmPortal.Modules.Blog.Articles;
using CmPortal.Modules.Blog.Contracts;
using CmPortal.Modules.Blog.Data;
using CmPortal.Modules.Blog.Public;
using CmPortal.Modules.Blog.Recipes;
using Microsoft.Extensions.DependencyInjection;

[assembly: PortalModule(typeof(CmPortal.Modules.Blog.BlogModule))]

namespace CmPortal.Modules.Blog;

/// <summary>
/// The brand's own blog: articles in Markdown (sanitised) with a cover from the media library, public at
/// <c>/{workspace}/blog</c> and <c>/{workspace}/blog/{slug}</c> in the site theme, with RSS and Atom feeds and the
/// sitemap. Publishing writes articles through <see cref="IBlogArticles"/>, once per delivery (docs/blog.md).
/// </summary>
internal sealed class BlogModule : PortalModule
{
    public override string Id => "Blog";
    public override string Name => "Blog";
    public override string Description => "The brand's blog on its public site: articles with a cover, RSS and Atom feeds.";
    public override string Category => "Publishing";

    // Covers are images of the content calendar's media library (IMediaLibrary), and nothing else of it is used.
    // The blog is also one of publishing's channels (Channel/BlogNetwork.cs).
    public override IReadOnlyList<string> Dependencies => ["ContentCalendar", "Publishing"];

    public override IEnumerable<Permission> Permissions => [BlogPermissions.View, BlogPermissions.Write, BlogPermissions.Publish];

    public override void ConfigureServices(ModuleServices module)
    {
        module.AddDbContext<BlogDbContext>()
            .AddRecipeStep<BlogArticlesStep>()
            .AddSiteLinks<BlogSiteLinks>()
            .AddSitemapSource<BlogSitemap>();
        module.Services.AddScoped<ArticleService>();
        module.Services.AddScoped<IBlogArticles, BlogArticles>();
        // The blog is a publishing channel like the networks (publishing finds it by its kind, "blog").
        module.Services.AddScoped<Publishing.Contracts.IChannelNetwork, Channel.BlogNetwork>();
    }

    public override void BuildAdminMenu(AdminMenuBuilder menu) =>
        menu.Add("Publishing", "Blog", "blog", BlogPermissions.View, 400, "journal-richtext");
}

internal static class BlogPermissions
{
    public static readonly Permission View = new("Blog.View", "See the blog's articles and drafts", DefaultRoles.Everyone);
    public static readonly Permission Write = new("Blog.Write", "Write and edit the blog's articles", DefaultRoles.Editors);
    public static readonly Permission Publish = new("Blog.Publish", "Publish articles on the blog or take them off",
        DefaultRoles.BrandManager, DefaultRoles.CommunityManager);
}
