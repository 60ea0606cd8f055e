using CmPortal.Core.Themes;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.BrandIdentity.Style;
using CmPortal.Core.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CmPortal.Modules.BrandIdentity.Fonts;

/// <summary>
/// <c>GET /{workspace}/brand/font/{sha256}.woff2</c>: a font file of the brand's own, stored like logos. Its address
/// names its content, so it is cached for a year; it is served from the portal itself, as the CSP (<c>font-src 'self'</c>) requires.
/// </summary>
internal static class FontEndpoint
{
    public static string Url(string workspaceKey, string sha256) => $"/{workspaceKey}/brand/font/{sha256}.woff2";

    /// <summary>The same file for the admin pages (editor, brand book), which work before the public site is published.</summary>
    public static string AdminUrl(string workspaceKey, string sha256) => $"/admin/{workspaceKey}/brand/font/{sha256}.woff2";

    public static void Map(IEndpointRouteBuilder site) =>
        site.MapGet(Route, Serve).WithName("BrandIdentity.Font");

    public static void MapAdmin(IEndpointRouteBuilder admin) =>
        admin.MapGet(Route, Serve).WithName("BrandIdentity.AdminFont").RequirePermission(BrandIdentityPermissions.View);

    private const string Route = "/brand/font/{sha:regex(^[0-9a-f]{{64}}$)}.woff2";

    private static async Task<IResult> Serve(string sha, BrandIdentityStore store, HttpContext http, CancellationToken ct)
    {
        var file = await store.FontFileAsync(sha, ct);
        if (file is null) return Results.NotFound();
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.Bytes(file.Content, FontFiles.Woff2);
    }

    /// <summary>The faces a charter's heading and body fonts need: catalogue files, or the brand's own files of that family.</summary>
    public static IReadOnlyList<FontFace> Faces(GraphicCharter charter, Func<string, string> ownFileUrl)
    {
        var faces = new List<FontFace>();
        foreach (var choice in new[] { charter.Typography.Heading, charter.Typography.Body })
        {
            if (faces.Any(f => f.Family == choice.Family) || FontStacks.CheckFamily("", choice.Family) is not null) continue;
            if (FontCatalogue.Find(choice.Font) is { } font) faces.AddRange(font.Faces());
            else faces.AddRange(charter.Fonts.Where(f => f.Family == choice.Family)
                .Select(f => new FontFace(f.Family, ownFileUrl(f.Sha256), f.Weight)));
        }
        return faces;
    }
}
