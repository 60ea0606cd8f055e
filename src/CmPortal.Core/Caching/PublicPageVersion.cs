namespace CmPortal.Core.Caching;

/// <summary>
/// How many times a workspace's public pages have changed (table <c>Core_PublicPageVersions</c>, one row per
/// workspace that ever changed). Part of every cached public page's key: the database is shared by the nodes of a
/// cluster, so a node that did not make a change still sees the number move and stops serving the older page.
/// </summary>
public sealed class PublicPageVersion
{
    public Guid WorkspaceId { get; set; }
    public long Version { get; set; }
}
