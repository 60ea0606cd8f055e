using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CmPortal.Modules.Inbox.Crisis;

/// <summary>
/// A crisis declared in a workspace, from its declaration to its lifting: at most one is open (LiftedUtc null) at a
/// time. Kept after it is lifted, as the workspace's record of its crises.
/// </summary>
internal sealed class WorkspaceCrisis : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public DateTime DeclaredUtc { get; set; }
    public Guid DeclaredById { get; set; }
    public string DeclaredByName { get; set; } = "";
    public string Reason { get; set; } = "";
    public DateTime? LiftedUtc { get; set; }
    public Guid? LiftedById { get; set; }
    public string? LiftedByName { get; set; }
    public int Version { get; set; }
}

/// <summary>The team's crisis procedure (who to call, what to say, what to stop): one text per workspace, shown in the banner's page.</summary>
internal sealed class CrisisProcedure : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public string Text { get; set; } = "";
    public DateTime UpdatedUtc { get; set; }
    public string UpdatedByName { get; set; } = "";
    public int Version { get; set; }
}

internal sealed class CrisisConfiguration : IEntityTypeConfiguration<WorkspaceCrisis>, IEntityTypeConfiguration<CrisisProcedure>
{
    public void Configure(EntityTypeBuilder<WorkspaceCrisis> b)
    {
        b.ToTable("Inbox_Crises");
        b.Property(c => c.DeclaredByName).HasMaxLength(200);
        b.Property(c => c.LiftedByName).HasMaxLength(200);
        b.Property(c => c.Reason).HasMaxLength(CrisisService.MaxReason);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => new { c.WorkspaceId, c.DeclaredUtc });
    }

    public void Configure(EntityTypeBuilder<CrisisProcedure> b)
    {
        b.ToTable("Inbox_CrisisProcedures");
        b.HasKey(p => p.WorkspaceId);
        b.Property(p => p.WorkspaceId).ValueGeneratedNever(); // the workspace stamps it, EF must not make up a Guid
        b.Property(p => p.Text).HasMaxLength(CrisisService.MaxProcedure);
        b.Property(p => p.UpdatedByName).HasMaxLength(200);
        b.Property(p => p.Version).IsConcurrencyToken();
    }
}
