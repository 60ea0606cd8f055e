using CmPortal.Core.Themes;
using CmPortal.Core.Workspaces;
using CmPortal.Modules.BrandIdentity.Data;
using CmPortal.Modules.BrandIdentity.Documents;
using CmPortal.Modules.BrandIdentity.Fonts;
using CmPortal.Modules.BrandIdentity.Logos;

namespace CmPortal.Modules.BrandIdentity.Style;

/// <summary>The public site's colours, fonts, logo and introduction, from the workspace's charter and editorial line.</summary>
internal sealed class CharterBrandStyle(BrandIdentityStore store, BrandIdentityCache cache) : IBrandStyleSource
{
    public Task<BrandStyle?> FindAsync(Workspace workspace, CancellationToken ct) =>
        cache.StyleAsync(workspace.Id, async () =>
        {
            var charter = await store.CurrentAsync<GraphicCharter>(BrandDocument.GraphicCharter, ct);
            var line = await store.CurrentAsync<EditorialLine>(BrandDocument.EditorialLine, ct);
            if (charter.Row is null && line.Row is null) return null;
            var logo = charter.Document.MainLogo;
            var logoUrl = logo is null ? null : LogoEndpoint.Url(workspace.Key, logo);
            var introduction = string.IsNullOrWhiteSpace(line.Document.Mission) ? null : line.Document.Mission;
            return CharterStyle.Apply(charter.Document, logoUrl, introduction) with
            {
                FontFaces = FontEndpoint.Faces(charter.Document, sha => FontEndpoint.Url(workspace.Key, sha)),
                Networks = NetworkIcons.Profiles(line.Document),
            };
        });
}
