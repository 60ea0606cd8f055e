namespace CmPortal.Modules.ContentCalendar.Contracts;

/// <summary>
/// The post editor shows the panels other modules add about the post (Core's <c>IAdminPanelSource</c> with this
/// <see cref="Place"/>), such as the publishing module's deliveries, without the calendar depending on them.
/// </summary>
public static class PostEditorPanels
{
    /// <summary>The place of a panel about a post, beside the post editor; the subject is the post's id.</summary>
    public const string Place = "ContentCalendar.Post";
}
