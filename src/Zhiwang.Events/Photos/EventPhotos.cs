using System.Security.Cryptography;
using Dapper;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;

namespace Zhiwang.Events.Photos;

/// <summary>
/// Photos of an event, stored in the database beside it (so a backup holds them too). Only real JPEG, PNG or WebP images
/// are taken, by their first bytes rather than the name or the declared type, at most <see cref="MaxBytes"/> each and
/// <see cref="MaxPerEvent"/> per event.
/// </summary>
public sealed class EventPhotos(Database database, TimeProvider time)
{
    public const long MaxBytes = 5 * 1024 * 1024;

    public const int MaxPerEvent = 6;

    /// <summary>The image type of <paramref name="content"/> by its signature, or null when it is not one we take.</summary>
    public static string? ImageType(ReadOnlySpan<byte> content) => content switch
    {
        [0xFF, 0xD8, 0xFF, ..] => "image/jpeg",
        [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => "image/png",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        _ => null,
    };

    /// <summary>Adds a photo; the outcome says why not when it is refused.</summary>
    public async Task<(int? Seq, ActionOutcome Outcome)> AddAsync(long eventId, byte[] content, string addedBy, CancellationToken cancellationToken)
    {
        if (content.Length == 0)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Invalid, Refusals.PhotoEmpty));
        }

        if (content.Length > MaxBytes)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Invalid, Refusals.PhotoTooLarge(content.Length, MaxBytes / (1024 * 1024))));
        }

        if (ImageType(content) is not { } contentType)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Invalid, Refusals.PhotoNotImage));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await EventRows.LoadForUpdateAsync(connection, transaction, database.Provider, eventId, cancellationToken);
        if (row is null)
        {
            return (null, ActionOutcome.Refused(ActionStatus.NotFound, Refusals.EventNotFound(eventId)));
        }

        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM event_photo WHERE event_id = @eventId", new { eventId }, transaction, cancellationToken: cancellationToken));
        if (count >= MaxPerEvent)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Conflict, Refusals.TooManyPhotos(eventId, count, MaxPerEvent)));
        }

        var seq = (int)count + 1;
        var now = time.GetUtcNow();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO event_photo (event_id, seq, content_type, bytes, sha256, content, added_by, added_at)
            VALUES (@eventId, @seq, @contentType, @bytes, @sha, @content, @addedBy, @at)
            """,
            new { eventId, seq, contentType, bytes = (long)content.Length, sha = Convert.ToHexStringLower(SHA256.HashData(content)), content, addedBy, at = Instant.Format(now) },
            transaction, cancellationToken: cancellationToken));
        await EventRows.AppendTimelineAsync(connection, transaction, eventId, now, addedBy, "photo", row.State, row.State, null,
            System.Text.Json.JsonSerializer.Serialize(new { photo = seq, contentType, bytes = content.Length }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (seq, new ActionOutcome(ActionStatus.Done, row.State.Name(), row.Revision));
    }

    public async Task<(string ContentType, byte[] Content)?> GetAsync(long eventId, int seq, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var photo = await connection.QuerySingleOrDefaultAsync<(string ContentType, byte[] Content)?>(new CommandDefinition(
            "SELECT content_type, content FROM event_photo WHERE event_id = @eventId AND seq = @seq", new { eventId, seq }, cancellationToken: cancellationToken));
        return photo;
    }
}
