using System.Data.Common;
using CmPortal.Core.Persistence;
using CmPortal.Modules.Publishing.Data;

namespace CmPortal.Modules.Publishing.Outbox;

/// <summary>A staged delivery the network published, with its proof, as the stager records it.</summary>
internal sealed record PublishedRow(Guid DeliveryId, int VersionTaken, Guid AttemptId, string SentPartsJson, string? RemoteId, string? RemoteUrl,
    DateTime FinishedUtc, int? HttpStatus, string? Message);

/// <summary>
/// The instant's writes on SQLite with prepared statements instead of EF's change tracker, which cost a quarter of the
/// portal's CPU at a 10,000-delivery instant and held SQLite's one writer while the next chunk waited to be taken
/// (docs/publishing.md, "Figures"): the attempts of a chunk as it is taken, then the publications of a batch. The same
/// columns as <see cref="DeliverySender"/> writes. PostgreSQL keeps EF's batched statements (one round trip per batch
/// rather than one or two per row).
/// </summary>
internal static class StagedRows
{
    private const string UpdateDelivery =
        "UPDATE \"Publishing_Deliveries\" SET \"State\" = @state, \"SentPartsJson\" = @parts, \"RemoteId\" = @remoteId, \"RemoteUrl\" = @remoteUrl, " +
        "\"PublishedUtc\" = @at, \"LastError\" = NULL, \"LeaseOwner\" = NULL, \"LeaseUntilUtc\" = NULL, \"Version\" = @version + 1 " +
        "WHERE \"Id\" = @id AND \"WorkspaceId\" = @workspace AND \"Version\" = @version";

    private const string FinishAttempt =
        "UPDATE \"Publishing_DeliveryAttempts\" SET \"FinishedUtc\" = @at, \"HttpStatus\" = @status, \"Message\" = @message, \"Outcome\" = @outcome " +
        "WHERE \"Id\" = @id AND \"WorkspaceId\" = @workspace";

    private const string InsertAttempt =
        "INSERT INTO \"Publishing_DeliveryAttempts\" (\"Id\", \"WorkspaceId\", \"DeliveryId\", \"StartedUtc\", \"Outcome\") " +
        "VALUES (@id, @workspace, @delivery, @started, @outcome)";

    /// <summary>The attempts of the deliveries just taken, "Sending" from <paramref name="startedUtc"/>, in the caller's transaction.</summary>
    public static void InsertAttempts(PublishingDbContext db, Guid workspaceId, IReadOnlyList<(Guid AttemptId, Guid DeliveryId)> attempts, DateTime startedUtc)
    {
        using var insert = db.RawCommand(InsertAttempt);
        DbParameter id = insert.Bind("@id"), delivery = insert.Bind("@delivery");
        insert.Bind("@workspace", db.Database.GuidValue(workspaceId));
        insert.Bind("@started", startedUtc);
        insert.Bind("@outcome", "Sending");
        insert.Prepare();
        foreach (var (attemptId, deliveryId) in attempts)
        {
            (id.Value, delivery.Value) = (db.Database.GuidValue(attemptId), db.Database.GuidValue(deliveryId));
            insert.ExecuteNonQuery(); // Microsoft.Data.Sqlite runs its async methods synchronously anyway
        }
    }

    /// <summary>
    /// Marks the deliveries published, each only at the version taken (a row that changed meanwhile is left alone and
    /// returned, to be recorded one by one), and finishes its attempt; in the caller's transaction.
    /// </summary>
    public static List<PublishedRow> WritePublished(PublishingDbContext db, Guid workspaceId, IReadOnlyList<PublishedRow> rows)
    {
        var changed = new List<PublishedRow>();
        var workspace = db.Database.GuidValue(workspaceId);
        using var delivery = db.RawCommand(UpdateDelivery);
        DbParameter id = delivery.Bind("@id"), version = delivery.Bind("@version"), parts = delivery.Bind("@parts"),
            remoteId = delivery.Bind("@remoteId"), remoteUrl = delivery.Bind("@remoteUrl"), at = delivery.Bind("@at");
        delivery.Bind("@workspace", workspace);
        delivery.Bind("@state", nameof(DeliveryState.Published));
        delivery.Prepare();
        using var attempt = db.RawCommand(FinishAttempt);
        DbParameter attemptId = attempt.Bind("@id"), finished = attempt.Bind("@at"), status = attempt.Bind("@status"), message = attempt.Bind("@message");
        attempt.Bind("@workspace", workspace);
        attempt.Bind("@outcome", nameof(Contracts.SendStatus.Published));
        attempt.Prepare();
        foreach (var row in rows)
        {
            (id.Value, version.Value, parts.Value) = (db.Database.GuidValue(row.DeliveryId), row.VersionTaken, row.SentPartsJson);
            (remoteId.Value, remoteUrl.Value, at.Value) = (row.RemoteId ?? (object)DBNull.Value, row.RemoteUrl ?? (object)DBNull.Value, row.FinishedUtc);
            if (delivery.ExecuteNonQuery() != 1)
            {
                changed.Add(row);
                continue;
            }
            (attemptId.Value, finished.Value) = (db.Database.GuidValue(row.AttemptId), row.FinishedUtc);
            (status.Value, message.Value) = (row.HttpStatus ?? (object)DBNull.Value, row.Message ?? (object)DBNull.Value);
            attempt.ExecuteNonQuery();
        }
        return changed;
    }
}
