using System.Data.Common;
using System.Text;
using CmPortal.Core.Persistence;
using CmPortal.Modules.ContentCalendar.Data;
using CmPortal.Modules.ContentCalendar.Posts;
using Microsoft.EntityFrameworkCore;

namespace CmPortal.Modules.ContentCalendar.Calendar;

/// <summary>
/// The calendar window's one SQL command, valid on SQLite and PostgreSQL: the one-off posts (and detached occurrences)
/// starting in the window, then the recurring series started before its end and not over before its start, each
/// through its own partial index (<see cref="CalendarDbContext.OneOffStartsIndex"/>, <see cref="CalendarDbContext.SeriesStartsIndex"/>),
/// one row per post with its networks in order (<see cref="Data.Post.Networks"/>, kept by the post service: no join), ideas
/// and archived posts left out, a long text cut in the database. The workspace, the window and every filter are parameters; the
/// text only varies with which filters are given (one cached text per combination).
/// </summary>
internal static class WindowSql
{
    public const int ExcerptLength = 140;

    // The columns, by position.
    public const int Id = 0, StartsLocal = 1, StartsUtc = 2, Recurrence = 3, SkippedDates = 4, State = 5, Pillar = 6,
        CampaignId = 7, Excerpt = 8, AuthorId = 9, Version = 10, Networks = 11;

    private const string Select = """
        SELECT p."Id", p."StartsLocal", p."StartsUtc", p."Recurrence", p."SkippedDates", p."State", p."Pillar", p."CampaignId",
               substr(p."Text", 1, 140), p."AuthorId", p."Version", p."Networks"
        FROM "ContentCalendar_Posts" AS p
        WHERE p."WorkspaceId" = @ws AND p."State" NOT IN ('Archived', 'Idea')
        """;

    [Flags]
    private enum Filters { None = 0, Network = 1, Campaign = 2, Pillar = 4, State = 8, Author = 16 }

    private static readonly string?[] Texts = new string?[32];

    /// <summary>The command for [<paramref name="fromUtc"/>, <paramref name="toUtc"/>) in <paramref name="workspaceId"/>, on the context's connection and transaction.</summary>
    public static DbCommand Command(CalendarDbContext db, Guid workspaceId, DateTime fromUtc, DateTime toUtc, CalendarFilter filter)
    {
        var postgres = db.IsPostgres;
        var command = db.RawCommand("");
        var filters = Filters.None;
        command.Bind("@ws", Stored(workspaceId, postgres));
        command.Bind("@from", fromUtc);
        command.Bind("@to", toUtc);
        if (filter.Network is { Length: > 0 } network) { filters |= Filters.Network; command.Bind("@network", network); }
        if (filter.Campaign is { } campaign) { filters |= Filters.Campaign; command.Bind("@campaign", Stored(campaign, postgres)); }
        if (filter.Pillar is { Length: > 0 } pillar) { filters |= Filters.Pillar; command.Bind("@pillar", pillar); }
        if (filter.State is { } state) { filters |= Filters.State; command.Bind("@state", state.ToString()); }
        if (filter.Author is { } author) { filters |= Filters.Author; command.Bind("@author", Stored(author, postgres)); }
        command.CommandText = Texts[(int)filters] ??= Text(filters);
        return command;
    }

    /// <summary>A post of the window, from its row.</summary>
    public static CalendarWindow.Row Post(DbDataReader reader) => new(
        reader.GetGuid(Id), reader.GetString(StartsLocal), DateTime.SpecifyKind(reader.GetDateTime(StartsUtc), DateTimeKind.Utc), Text(reader, Recurrence),
        Text(reader, SkippedDates), Enum.Parse<PostState>(reader.GetString(State)), Text(reader, Pillar), Guid(reader, CampaignId),
        reader.GetString(Excerpt), Guid(reader, AuthorId), reader.GetInt32(Version), PostRules.Split(Text(reader, Networks)));

    private static string Text(Filters filters)
    {
        var where = new StringBuilder();
        if (filters.HasFlag(Filters.Network))
            where.Append(" AND EXISTS (SELECT 1 FROM \"ContentCalendar_Variants\" AS n WHERE n.\"PostId\" = p.\"Id\" AND n.\"WorkspaceId\" = @ws AND n.\"Network\" = @network)");
        if (filters.HasFlag(Filters.Campaign)) where.Append(" AND p.\"CampaignId\" = @campaign");
        if (filters.HasFlag(Filters.Pillar)) where.Append(" AND p.\"Pillar\" = @pillar");
        if (filters.HasFlag(Filters.State)) where.Append(" AND p.\"State\" = @state");
        if (filters.HasFlag(Filters.Author)) where.Append(" AND p.\"AuthorId\" = @author");
        return $"""
            {Select}
              AND p."Recurrence" IS NULL AND p."StartsUtc" >= @from AND p."StartsUtc" < @to{where}
            UNION ALL
            {Select}
              AND p."Recurrence" IS NOT NULL AND p."StartsUtc" < @to AND (p."EndsUtc" IS NULL OR p."EndsUtc" >= @from){where}
            """;
    }

    /// <summary>A Guid as the provider stores it: a uuid on PostgreSQL, upper-case text on SQLite (as EF Core writes it).</summary>
    private static object Stored(Guid id, bool postgres) => postgres ? id : id.ToString().ToUpperInvariant();

    private static string? Text(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static Guid? Guid(DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetGuid(column);
}
