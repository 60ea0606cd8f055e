using CmPortal.Core.Events;

namespace CmPortal.Core.Workspaces;

/// <summary>
/// A workspace's time zone changed. Modules that plan in the workspace's wall-clock time (a post at 09:30 stays at
/// 09:30 in the new zone) recompute the instants they derived from it.
/// </summary>
[ModuleEvent("Core.WorkspaceTimeZoneChanged")]
public sealed record WorkspaceTimeZoneChanged(string OldTimeZone, string NewTimeZone);
