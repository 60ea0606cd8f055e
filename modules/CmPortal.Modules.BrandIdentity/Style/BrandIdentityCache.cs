using CmPortal.Core.Themes;
using Microsoft.Extensions.Caching.Memory;

namespace CmPortal.Modules.BrandIdentity.Style;

/// <summary>
/// The brand style each workspace's public pages wear, kept in memory and dropped when the
/// charter or the line is saved. On several nodes, another node's copy expires within a minute.
/// </summary>
internal sealed class BrandIdentityCache(IMemoryCache memory, CmPortal.Core.Caching.PublicPageVersions pages)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async Task<BrandStyle?> StyleAsync(Guid workspaceId, Func<Task<BrandStyle?>> load)
    {
        if (memory.TryGetValue(Key(workspaceId), out BrandStyle? style)) return style;
        style = await load();
        // Also dropped when the workspace's public pages change on another node (its public version moves).
        memory.Set(Key(workspaceId), style, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = Lifetime }.AddExpirationToken(pages.Watch(workspaceId)));
        return style;
    }

    public void Invalidate(Guid workspaceId) => memory.Remove(Key(workspaceId));

    private static string Key(Guid workspaceId) => $"BrandIdentity.Style:{workspaceId}";
}
