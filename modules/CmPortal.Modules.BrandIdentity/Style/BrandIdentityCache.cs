using CmPortal.Core.Themes;
using Microsoft.Extensions.Caching.Memory;

namespace CmPortal.Modules.BrandIdentity.Style;

/// <summary>
/// The brand style each workspace's public pages wear, kept in memory and dropped when the
/// charter or the line is saved. On several nodes, another node's copy expires within a minute.
/// </summary>
internal sealed class BrandIdentityCache(IMemoryCache memory)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    public async Task<BrandStyle?> StyleAsync(Guid workspaceId, Func<Task<BrandStyle?>> load)
    {
        if (memory.TryGetValue(Key(workspaceId), out BrandStyle? style)) return style;
        style = await load();
        memory.Set(Key(workspaceId), style, Lifetime);
        return style;
    }

    public void Invalidate(Guid workspaceId) => memory.Remove(Key(workspaceId));

    private static string Key(Guid workspaceId) => $"BrandIdentity.Style:{workspaceId}";
}
