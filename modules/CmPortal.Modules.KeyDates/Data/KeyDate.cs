using CmPortal.Core.Workspaces;

namespace CmPortal.Modules.KeyDates.Data;

internal enum KeyDateCategory { Seasonal, Commercial, Event, Brand, Awareness }

/// <summary>A date (or span of days) of the brand's year, in the workspace's calendar.</summary>
internal sealed class KeyDate : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    /// <summary>Stable identifier within the workspace (recipes match on it), e.g. "fete-des-meres".</summary>
    public required string Slug { get; set; }
    public required string Title { get; set; }
    /// <summary>Shown to the public: the calendar feed and the site's key dates page.</summary>
    public string? PublicDescription { get; set; }
    /// <summary>Internal planning notes, seen by members only; never published.</summary>
    public string? Notes { get; set; }
    public DateOnly Start { get; set; }
    public DateOnly End { get; set; }
    public KeyDateCategory Category { get; set; }
    /// <summary>Comes back every year on the same days; rolled forward once past.</summary>
    public bool RecursYearly { get; set; }
    /// <summary>Listed in the public calendar feed and on the site's key dates page.</summary>
    public bool IsPublic { get; set; }
}
