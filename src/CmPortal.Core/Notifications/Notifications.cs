using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CmPortal.Core.Persistence;
using CmPortal.Core.Validation;
using CmPortal.Core.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Core.Notifications;

/// <summary>
/// What to tell users, in English, translated when it is shown in each reader's language: a template declared in
/// code (in the module's <c>fr.json</c>) and its values. User data (a post's title, a member's name) is a value,
/// never the template. Values may be text, whole numbers, <see cref="DateOnly"/>, UTC <see cref="DateTime"/>s and
/// <see cref="ProblemValue.Declared"/> texts. <paramref name="Url"/> is where clicking it leads: an
/// <c>/admin/…</c> address of the portal.
/// </summary>
public sealed record Notification(string ModuleId, string Kind, string Template, IReadOnlyList<object?> Values, string Url);

/// <summary>Sends in-portal notifications (the bell of the admin pages) to users of the current workspace.</summary>
public interface INotifier
{
    /// <summary>
    /// Notifies each of <paramref name="userIds"/> that is a member of the current workspace (others are left out:
    /// someone who left does not hear of it). Saved in the scope's transaction when one is open.
    /// </summary>
    Task NotifyAsync(IEnumerable<Guid> userIds, Notification notification, CancellationToken ct = default);
}

/// <summary>A row of <c>Core_Notifications</c>.</summary>
public sealed class PortalNotification
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string ModuleId { get; set; }
    public required string Kind { get; set; }
    public required string Template { get; set; }
    /// <summary>The template's values, typed (see <see cref="NotificationValues"/>).</summary>
    public required string Values { get; set; }
    public required string Url { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime? ReadUtc { get; set; }
}

/// <summary>Only addresses of the portal's admin pages are followed: never another site (no open redirect).</summary>
public static class NotificationUrl
{
    public static bool IsAllowed(string? url) =>
        url is { Length: > 7 and <= 500 } && url.StartsWith("/admin/", StringComparison.Ordinal)
        && !url.Contains('\\') && !url.Contains("//", StringComparison.Ordinal) && !url.Any(char.IsControl)
        && Uri.IsWellFormedUriString(url, UriKind.Relative);
}

/// <summary>Stores a notification's values with their types, so that dates and numbers are shown the reader's way.</summary>
public static class NotificationValues
{
    public static string Serialize(IReadOnlyList<object?> values) => new JsonArray(values.Select(ToNode).ToArray()).ToJsonString();

    public static object?[] Deserialize(string json) =>
        JsonNode.Parse(json) is JsonArray array ? array.Select(FromNode).ToArray() : [];

    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        string text => Typed("text", text),
        int or long => Typed("number", Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)),
        DateOnly date => Typed("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        DateTime time => Typed("time", time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)),
        DeclaredValue declared => Typed("declared", declared.Text),
        _ => throw new ArgumentException($"A notification value cannot be a {value.GetType().Name}: use text, a whole number, a date, a UTC time or ProblemValue.Declared."),
    };

    private static JsonObject Typed(string type, string value) => new() { ["type"] = type, ["value"] = value };

    private static object? FromNode(JsonNode? node)
    {
        if (node is not JsonObject item || item["value"]?.GetValue<string>() is not { } value) return null;
        return item["type"]?.GetValue<string>() switch
        {
            "number" => long.Parse(value, CultureInfo.InvariantCulture),
            "date" => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            "time" => DateTime.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime(),
            "declared" => ProblemValue.Declared(value),
            _ => value,
        };
    }
}

internal sealed class Notifier(CoreDbContext db, WorkspaceContext workspace, TimeProvider time) : INotifier
{
    public async Task NotifyAsync(IEnumerable<Guid> userIds, Notification notification, CancellationToken ct = default)
    {
        var workspaceId = workspace.Current?.Id ?? throw new InvalidOperationException("Notifications are sent from within a workspace.");
        if (!NotificationUrl.IsAllowed(notification.Url))
            throw new ArgumentException($"A notification leads to an /admin/… address of the portal, not \"{notification.Url}\".", nameof(notification));
        var values = NotificationValues.Serialize(notification.Values);
        var wanted = userIds.Distinct().ToList();
        var members = await db.Memberships.AsNoTracking().Where(m => m.WorkspaceId == workspaceId && wanted.Contains(m.UserId))
            .Select(m => m.UserId).ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        foreach (var userId in members)
            db.Notifications.Add(new PortalNotification
            {
                Id = Guid.NewGuid(), UserId = userId, WorkspaceId = workspaceId, ModuleId = notification.ModuleId, Kind = notification.Kind,
                Template = notification.Template, Values = values, Url = notification.Url, CreatedUtc = now,
            });
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>One notification as its reader sees it: the template is translated by the page.</summary>
public sealed record NotificationItem(Guid Id, string WorkspaceName, string Template, object?[] Values, DateTime CreatedUtc, bool Read, string TimeZone)
{
    /// <summary>When it was sent, on the clock of its workspace (the brand's time zone).</summary>
    public DateTime CreatedLocal =>
        TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var zone) ? TimeZoneInfo.ConvertTimeFromUtc(CreatedUtc, zone) : CreatedUtc;
}

/// <summary>A user's own notifications, across their workspaces: the bell's count and the notifications page.</summary>
public sealed class NotificationInbox(CoreDbContext db, TimeProvider time)
{
    public const int PageSize = 100;

    public Task<int> UnreadCountAsync(Guid userId, CancellationToken ct = default) =>
        db.Notifications.CountAsync(n => n.UserId == userId && n.ReadUtc == null, ct);

    /// <summary>The newest first.</summary>
    public async Task<IReadOnlyList<NotificationItem>> ListAsync(Guid userId, CancellationToken ct = default)
    {
        var rows = await db.Notifications.AsNoTracking().Where(n => n.UserId == userId)
            .Join(db.Workspaces, n => n.WorkspaceId, w => w.Id, (n, w) => new { n, w.Name, w.TimeZone })
            .OrderByDescending(x => x.n.CreatedUtc).ThenByDescending(x => x.n.Id).Take(PageSize).ToListAsync(ct);
        return rows.Select(x => new NotificationItem(x.n.Id, x.Name, x.n.Template, NotificationValues.Deserialize(x.n.Values), x.n.CreatedUtc, x.n.ReadUtc is not null, x.TimeZone)).ToList();
    }

    /// <summary>Marks the user's notification read and returns where it leads; null when it is not theirs (or gone).</summary>
    public async Task<string?> OpenAsync(Guid userId, Guid id, CancellationToken ct = default)
    {
        var notification = await db.Notifications.FirstOrDefaultAsync(n => n.Id == id && n.UserId == userId, ct);
        if (notification is null) return null;
        notification.ReadUtc ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return NotificationUrl.IsAllowed(notification.Url) ? notification.Url : "/admin/notifications";
    }

    public async Task MarkAllReadAsync(Guid userId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.Notifications.Where(n => n.UserId == userId && n.ReadUtc == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadUtc, now), ct);
    }
}
