using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Events.Live;
using Zhiwang.Events.Photos;
using Zhiwang.Events.Queries;
using Zhiwang.Events.Supervision;

namespace Zhiwang.Server.Events;

/// <summary>
/// What the last action on an event came to, carried to the event page after the redirect: when refused, the refusal's code
/// and arguments (the page says it in the user's language) and its English reason (shown if the code has no sentence).
/// </summary>
public sealed record EventActionNote(
    long EventId, string Action, bool Done, string? Reason, string? Code = null, IReadOnlyDictionary<string, string>? Arguments = null)
{
    public static EventActionNote Of(long eventId, string action, ActionOutcome outcome) =>
        new(eventId, action, outcome.Status == ActionStatus.Done, outcome.Reason, outcome.Code, outcome.Arguments);
}

/// <summary>
/// The event page's forms post here (plain HTML forms with an antiforgery token, no script needed), each comes back to the
/// event page with its outcome; the page's script listens to the event's change stream (<c>/live</c>) and asks for its stamp
/// to know whether the page changed, and the queue pages listen to the changes in the user's scope (<c>/events/live</c>).
/// </summary>
public static class EventPageEndpoints
{
    /// <summary>The supervision order deadlines a supervisor may pick, in working time on the business calendar.</summary>
    public static IReadOnlyList<string> OrderWithin { get; } = ["4h", "1d", "2d", "5d"];

    private const string NotePurpose = "Zhiwang.Server.Events.ActionNote";

    /// <summary>The timeline's name for adding a photo, which also names it in the outcome note.</summary>
    private const string PhotoAction = "photo";

    public static IEndpointRouteBuilder MapEventPages(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/events/{eventId:long}").WithTags("Event pages").RequireAuthorization().ExcludeFromDescription();
        group.MapGet("/stamp", StampAsync);
        group.MapGet("/live", EventChangesAsync);
        endpoints.MapGet("/events/live", ScopeChanges).WithTags("Event pages").RequireAuthorization().ExcludeFromDescription();
        var forms = group.MapGroup("").WithMetadata(new RequireAntiforgeryTokenAttribute());
        forms.MapPost("/actions/{action}", ActAsync);
        forms.MapPost("/supervision", SuperviseAsync);
        forms.MapPost("/supervision/{orderId:long}/answer", AnswerAsync);
        forms.MapPost("/photos", AddPhotoAsync);
        return endpoints;
    }

    /// <summary>
    /// The stamp the page carries and the script compares: it changes exactly when the page would be drawn differently, by
    /// a change to the event (<see cref="EventStamp"/>) or by time alone (the deadline badge turning to due soon or overdue,
    /// the reopen period ending).
    /// </summary>
    public static string Stamp(EventStamp stamp, DateTimeOffset now)
    {
        var standing = DeadlineCheck.OfEvent(stamp.State, stamp.Overdue, stamp.HandleDue, now);
        var mayReopen = stamp.ReopenUntil is { } until && now <= until;
        return string.Create(CultureInfo.InvariantCulture, $"{stamp.Revision}.{stamp.LastEntry}.{(int)standing}.{(mayReopen ? 1 : 0)}");
    }

    internal static async Task<Results<Ok<StampReply>, NotFound>> StampAsync(
        long eventId, HttpContext context, EventQueries queries, TimeProvider time, CancellationToken cancellationToken)
    {
        // Not audited: the stamp tells nothing about the event but that it changed. Not the whole view either: every open
        // event page asks whenever its stream tells of a change, and every 10 seconds without one.
        var stamp = await queries.StampAsync(eventId, Actor.From(context.User), cancellationToken);
        context.Response.Headers.CacheControl = "no-store";
        return stamp is null ? TypedResults.NotFound() : TypedResults.Ok(new StampReply(Stamp(stamp, time.GetUtcNow())));
    }

    /// <summary>The event page's live updates: a message whenever this event changes. 404 to whom may not see it, as the stamp.</summary>
    internal static async Task<IResult> EventChangesAsync(
        long eventId, HttpContext context, EventQueries queries, EventChangeWatcher watcher, IHostApplicationLifetime lifetime,
        CancellationToken cancellationToken) =>
        await queries.MaySeeAsync(eventId, Actor.From(context.User), cancellationToken)
            ? new ChangeStream(watcher, change => change.EventId == eventId, lifetime)
            : TypedResults.NotFound();

    /// <summary>
    /// The queue and supervision pages' live updates: a message whenever an event in the user's scope changes. Every event
    /// a queue lists lies in its reader's scope (a unit's division always contains the event's grid), and the message says
    /// only "changed", so it tells nobody about an event they may not see.
    /// </summary>
    internal static IResult ScopeChanges(HttpContext context, EventChangeWatcher watcher, IHostApplicationLifetime lifetime)
    {
        var actor = Actor.From(context.User);
        return actor.Scope is null
            ? TypedResults.NotFound()
            : new ChangeStream(watcher, change => actor.Covers(change.GridCode), lifetime);
    }

    internal static async Task<IResult> ActAsync(
        long eventId, string action, HttpContext context, EventWorkflow workflow, IDataProtectionProvider protection, CancellationToken cancellationToken)
    {
        if (!TokenValid(context) || !context.Request.HasFormContentType)
        {
            return BadToken();
        }

        if (EventActions.TryParse(action) is not { } known)
        {
            return TypedResults.NotFound();
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var request = new ActionRequest(
            Reason: Text(form["reason"]),
            Result: Text(form["result"]),
            Department: Text(form["department"]),
            Level: Text(form["level"]),
            Departments: form["departments"].Select(Text).OfType<string>().ToList() is { Count: > 0 } departments ? departments : null,
            Satisfaction: int.TryParse(form["satisfaction"], CultureInfo.InvariantCulture, out var satisfaction) ? satisfaction : null,
            MergeInto: long.TryParse(form["mergeInto"], CultureInfo.InvariantCulture, out var into) ? into : null,
            // A form always carries the revision it was drawn at: without one, the page is not ours and is refused as stale.
            Revision: long.TryParse(form["revision"], CultureInfo.InvariantCulture, out var revision) ? revision : -1);
        var outcome = await workflow.ActAsync(eventId, known, request, Actor.From(context.User), cancellationToken);
        return Back(protection, EventActionNote.Of(eventId, action, outcome));
    }

    internal static async Task<IResult> SuperviseAsync(
        long eventId, HttpContext context, SupervisionOrders orders, IDataProtectionProvider protection, CancellationToken cancellationToken)
    {
        if (!TokenValid(context) || !context.Request.HasFormContentType)
        {
            return BadToken();
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var within = Text(form["within"]);
        var (_, outcome) = await orders.OpenAsync(
            eventId, Text(form["instruction"]), OrderWithin.Contains(within) ? within : "1d", Actor.From(context.User), cancellationToken);
        return Back(protection, EventActionNote.Of(eventId, SupervisionOrders.Supervise, outcome));
    }

    internal static async Task<IResult> AnswerAsync(
        long eventId, long orderId, HttpContext context, SupervisionOrders orders, IDataProtectionProvider protection, CancellationToken cancellationToken)
    {
        if (!TokenValid(context) || !context.Request.HasFormContentType)
        {
            return BadToken();
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        var outcome = await orders.AnswerAsync(eventId, orderId, Text(form["answer"]), Actor.From(context.User), cancellationToken);
        return Back(protection, EventActionNote.Of(eventId, SupervisionOrders.Answer, outcome));
    }

    /// <summary>
    /// A photo from the page's form (a phone's camera, or a file): the API's rule and checks, its outcome said on the page
    /// like an action's.
    /// </summary>
    internal static async Task<IResult> AddPhotoAsync(
        long eventId, HttpContext context, EventQueries queries, EventPhotos photos, IDataProtectionProvider protection, CancellationToken cancellationToken)
    {
        if (!TokenValid(context) || !context.Request.HasFormContentType)
        {
            return BadToken();
        }

        var (_, outcome) = await PhotoUpload.ReceiveAsync(eventId, context.Request, Actor.From(context.User), queries, photos, cancellationToken);
        return Back(protection, EventActionNote.Of(eventId, PhotoAction, outcome));
    }

    /// <summary>
    /// The note the redirect carried, if it is genuine, recent and about this event. It travels protected (signed and
    /// encrypted) so that nobody can craft a link that makes the page show words the platform never said.
    /// </summary>
    public static EventActionNote? ReadNote(IDataProtectionProvider protection, string? note, long eventId)
    {
        if (string.IsNullOrEmpty(note))
        {
            return null;
        }

        try
        {
            var json = Protector(protection).Unprotect(note);
            return JsonSerializer.Deserialize<EventActionNote>(json) is { } read && read.EventId == eventId ? read : null;
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Post, redirect, get: a reload of the event page does not post the form again.</summary>
    private static RedirectHttpResult Back(IDataProtectionProvider protection, EventActionNote note)
    {
        var protectedNote = Protector(protection).Protect(JsonSerializer.Serialize(note), TimeSpan.FromMinutes(10));
        return TypedResults.Redirect($"/events/{note.EventId}?note={Uri.EscapeDataString(protectedNote)}#ev-outcome");
    }

    private static ITimeLimitedDataProtector Protector(IDataProtectionProvider protection) =>
        protection.CreateProtector(NotePurpose).ToTimeLimitedDataProtector();

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static bool TokenValid(HttpContext context) =>
        context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: true };

    private static ProblemHttpResult BadToken() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Missing or invalid antiforgery token",
            detail: "Reload the event page and send the form again.");
}

public sealed record StampReply(string Stamp);
