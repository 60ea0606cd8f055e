using NodaTime;

namespace CmPortal.Core.Workspaces;

/// <summary>Instants (stored in UTC) as a workspace's clocks show them.</summary>
public static class WorkspaceTime
{
    /// <summary>The IANA zone; UTC if this machine's tzdb does not know the id.</summary>
    public static DateTimeZone ZoneOf(string timeZone) => DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) ?? DateTimeZone.Utc;

    public static DateTime Local(DateTime utc, string timeZone) =>
        Instant.FromDateTimeUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).InZone(ZoneOf(timeZone)).ToDateTimeUnspecified();

    public static DateTime LocalTime(this Workspace workspace, DateTime utc) => Local(utc, workspace.TimeZone);
}
