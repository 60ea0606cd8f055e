using CmPortal.Core.Validation;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.ContentCalendar.Settings;

/// <summary>The calendar's settings of the workspace: how many approvals a post takes, and whether a preview link may approve.</summary>
internal sealed class CalendarSettingsService(CalendarDbContext db)
{
    /// <summary>The workspace's settings, or the defaults (one approval, no external approval) when none were saved.</summary>
    public async Task<CalendarSettings> GetAsync(CancellationToken ct = default) =>
        await db.Settings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new CalendarSettings();

    public async Task<IReadOnlyList<Problem>> SaveAsync(ApprovalMode approval, bool externalApproval, PostActor actor, CancellationToken ct = default)
    {
        if (!actor.Holds(CalendarPermissions.Manage.Name)) return [new Problem(null, "You may not change the calendar's settings.")];
        if (!Enum.IsDefined(approval)) return [new Problem("approval", "Choose how posts are approved.")];
        var settings = await db.Settings.FirstOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new CalendarSettings { Id = Guid.NewGuid() };
            db.Settings.Add(settings);
        }
        settings.Approval = approval;
        settings.ExternalApproval = externalApproval;
        await db.SaveChangesAsync(ct);
        return [];
    }
}
