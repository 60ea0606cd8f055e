using CmPortal.Core.Events;

namespace CmPortal.Core.Workspaces;

// A crisis concerns the whole workspace: the inbox declares and lifts it, publishing holds promotional posts while it
// lasts, and any module may react. The events live here so that a module handles them without depending on the
// module that raises them (docs/architecture.md, "Events between modules").

/// <summary>A brand manager declared a crisis in the workspace: promotional posts must not go out until it is lifted.</summary>
/// <param name="Reason">What happened, as the brand manager wrote it (plain text, shown encoded).</param>
[ModuleEvent("Workspace.CrisisDeclared")]
public sealed record CrisisDeclared(Guid CrisisId, DateTime DeclaredUtc, string Reason);

/// <summary>The crisis is over: what it held waits for a person's decision, nothing goes out by itself.</summary>
[ModuleEvent("Workspace.CrisisLifted")]
public sealed record CrisisLifted(Guid CrisisId, DateTime LiftedUtc);
