using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CmPortal.Modules.BrandIdentity.Logos;

/// <summary>
/// <c>GET /{workspace}/brand/logo/{sha256}.{svg|png}</c>: a logo file. Its address names its
/// content, so it is cached for a year; an SVG is served sandboxed, so even opened on its own
/// it cannot run anything.
/// </summary>
internal static class LogoEndpoint
{
    public static string Url(string workspaceKey, LogoFile logo) =>
        $"/{workspaceKey}/brand/logo/{logo.Sha256}.{LogoFiles.Extension(logo.ContentType)}";

    public static void Map(IEndpointRouteBuilder site) =>
        site.MapGet("/brand/logo/{sha:regex(^[0-9a-f]{{64}}$)}.{extension:regex(^(svg|png)$)}",
            async (string sha, string extension, BrandIdentityStore store, HttpContext http, CancellationToken ct) =>
            {
                var logo = await store.LogoAsync(sha, ct);
                if (logo is null || LogoFiles.Extension(logo.ContentType) != extension) return Results.NotFound();
                http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                http.Response.Headers.XContentTypeOptions = "nosniff";
                if (logo.ContentType == LogoFiles.Svg)
                    http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
                return Results.Bytes(logo.Content, logo.ContentType);
            }).WithName("BrandIdentity.Logo");
}
