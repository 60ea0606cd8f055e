using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.SavedSearches;

/// <summary>
/// A search a member named to come back to: the inbox's query string as it was (words and filters), personal to its
/// owner or shared with the workspace (docs/inbox.md, "Triage").
/// </summary>
internal sealed class SavedSearch : IWorkspaceOwned
{
    public const int MaxName = 80;
    public const int MaxQuery = 1000;

    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid OwnerId { get; set; }
    public required string Name { get; set; }
    /// <summary>The inbox's query string without paging ("q=lampe&amp;status=New"), read back with the page's own rules.</summary>
    public required string Query { get; set; }
    public bool Shared { get; set; }
    public DateTime CreatedUtc { get; set; }
    public int Version { get; set; }
}

internal sealed class SavedSearchConfiguration : IEntityTypeConfiguration<SavedSearch>
{
    public void Configure(EntityTypeBuilder<SavedSearch> b)
    {
        b.ToTable("Inbox_SavedSearches");
        b.Property(s => s.Id).ValueGeneratedOnAdd();
        b.Property(s => s.Name).HasMaxLength(SavedSearch.MaxName);
        b.Property(s => s.Query).HasMaxLength(SavedSearch.MaxQuery);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasIndex(s => new { s.WorkspaceId, s.OwnerId });
    }
}
