using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.Import;

/// <summary>
/// An address a Zapier or n8n bridge posts mentions to, signed with its own secret (Standard Webhooks). The secret is
/// shown once when the hook is made and kept encrypted with Data Protection (docs/inbox-import.md).
/// </summary>
internal sealed class IngestHook : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    /// <summary>The <c>whsec_…</c> secret, protected with the purpose <see cref="IngestHookService.SecretPurpose"/>.</summary>
    public required string ProtectedSecret { get; set; }
    public DateTime CreatedUtc { get; set; }
    public Guid? CreatedBy { get; set; }
    public DateTime? LastUsedUtc { get; set; }
}

/// <summary>
/// A message a hook accepted, by its <c>webhook-id</c>, kept while its timestamp is within the tolerance: the same
/// message sent again (a bridge's retry) gets the same answer and stores nothing twice.
/// </summary>
internal sealed class IngestHookDelivery : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid HookId { get; set; }
    public required string MessageId { get; set; }
    public DateTime ReceivedUtc { get; set; }
    public int Stored { get; set; }
    public int Duplicates { get; set; }
}

internal sealed class IngestHookConfiguration : IEntityTypeConfiguration<IngestHook>
{
    public void Configure(EntityTypeBuilder<IngestHook> b)
    {
        b.ToTable("Inbox_IngestHooks");
        b.Property(h => h.Name).HasMaxLength(100);
        b.Property(h => h.ProtectedSecret).HasMaxLength(1000);
        b.HasIndex(h => new { h.WorkspaceId, h.CreatedUtc });
    }
}

internal sealed class IngestHookDeliveryConfiguration : IEntityTypeConfiguration<IngestHookDelivery>
{
    public void Configure(EntityTypeBuilder<IngestHookDelivery> b)
    {
        b.ToTable("Inbox_IngestHookDeliveries");
        b.Property(d => d.Id).ValueGeneratedOnAdd();
        b.Property(d => d.MessageId).HasMaxLength(200);
        b.HasIndex(d => new { d.WorkspaceId, d.HookId, d.MessageId }).IsUnique();
        b.HasIndex(d => new { d.WorkspaceId, d.ReceivedUtc });
    }
}
