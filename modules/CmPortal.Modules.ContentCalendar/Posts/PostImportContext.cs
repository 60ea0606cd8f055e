using CmPortal.Modules.BrandIdentity.Contracts;
using CmPortal.Modules.ContentCalendar.Data;

namespace CmPortal.Modules.ContentCalendar.Posts;

/// <summary>
/// What the lines of one imported file share, read once for the file rather than once a line (docs/calendar.md, "CSV
/// import and export"): the approval mode, the editorial plan, the workspace's campaigns, key dates and members, the
/// images the lines name. Only a cache: <see cref="PostService"/> still checks every line with its rules and saves it.
/// Made by <see cref="PostService.NewImport"/> for one preview or one import, in one scope; what changes meanwhile
/// (a campaign added while a 10,000-line file is imported) is seen by the next file.
/// </summary>
internal sealed class PostImportContext
{
    internal ApprovalMode? Mode { get; set; }
    internal EditorialPlan? Plan { get; set; }

    /// <summary>The campaigns by slug (their ids), read the first time a line names one.</summary>
    internal Dictionary<string, Guid>? Campaigns { get; set; }
    internal HashSet<string>? KeyDates { get; set; }
    internal HashSet<Guid>? Members { get; set; }

    /// <summary>The images asked for so far: found (with what the gates need) or not (null).</summary>
    internal Dictionary<Guid, MediaItem?> Media { get; } = [];
}
