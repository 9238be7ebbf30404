using Microsoft.AspNetCore.Http;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Events.Queries;

namespace Zhiwang.Events.Photos;

/// <summary>
/// A photo sent as multipart/form-data in the field <c>photo</c>, by the API or the event page's form: the same rule
/// (whoever may see the event may add one) and the same refusals for both.
/// </summary>
public static class PhotoUpload
{
    /// <summary>The photo's number on the event once added; otherwise the refusal.</summary>
    public static async Task<(int? Seq, ActionOutcome Outcome)> ReceiveAsync(
        long eventId, HttpRequest request, Actor actor, EventQueries queries, EventPhotos photos, CancellationToken cancellationToken)
    {
        if (!await queries.MaySeeAsync(eventId, actor, cancellationToken))
        {
            return (null, ActionOutcome.Refused(ActionStatus.NotFound, Refusals.EventNotVisible(eventId)));
        }

        if (!request.HasFormContentType || (await request.ReadFormAsync(cancellationToken)).Files.GetFile("photo") is not { } file)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Invalid, Refusals.PhotoMissing));
        }

        // Refused by its declared length before a byte of it is copied into memory.
        if (file.Length > EventPhotos.MaxBytes)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Invalid, Refusals.PhotoTooLarge(file.Length, EventPhotos.MaxBytes / (1024 * 1024))));
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        return await photos.AddAsync(eventId, buffer.ToArray(), actor.Name, cancellationToken);
    }
}
