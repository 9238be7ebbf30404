using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Zhiwang.Access;
using Zhiwang.Access.Audit;
using Zhiwang.Events.Assessment;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Intake;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Events.Photos;
using Zhiwang.Events.Queries;
using Zhiwang.Events.Supervision;
using Zhiwang.Geo;

namespace Zhiwang.Events.Api;

public sealed record SupervisionRequest(string? Instruction, string? Within);

public sealed record SupervisionAnswer(string? Answer);

public sealed record PhotoAdded(long EventId, int Seq);

/// <summary>
/// The Events JSON API under <c>/api/events</c>: intake, work queues, one event whole, actions on it, supervision orders,
/// and the catalogue. Who may do what is the lifecycle's decision (<see cref="Lifecycle.Lifecycle"/>); every refusal says why.
/// </summary>
public static class EventsApi
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public const long OpinionFileMaxBytes = 16 * 1024 * 1024;

    /// <summary>Supervisors, decision makers and administrators read the assessment tables, within their scope.</summary>
    public const string AssessmentPolicy = "events:assessment";

    public static RouteGroupBuilder MapEventsApi(this IEndpointRouteBuilder endpoints)
    {
        // Signed-in users by default; each endpoint narrows it (a role, a grant) and the lifecycle decides the rest.
        var group = endpoints.MapGroup("/api/events").WithTags("Events").RequireAuthorization();
        group.MapPost("/", ReportAsync).RequireAuthorization(EventsSetup.ReportPolicy)
            .WithSummary("Report an event (a grid worker, a hotline dispatcher or a department system); idempotent by Idempotency-Key");
        group.MapPost("/opinion", ImportOpinionAsync).RequireAuthorization(AccessPolicies.ForRole(Roles.Dispatcher)).DisableAntiforgery()
            .WithSummary("Import an online-opinion file (CSV, UTF-8 or GBK; multipart field 'file'): each row an event for a dispatcher to accept");
        group.MapGet("/queues/{queue}", QueueAsync).WithSummary("A work queue: dispatcher, handler, supervisor or grid_worker");
        group.MapGet("/{eventId:long}", GetAsync).WithSummary("One event whole: timeline, units, supervision, breaches (every view audited)");
        group.MapPost("/{eventId:long}/actions/{action}", ActAsync).WithSummary("Take an action on an event (accept, dispatch, take, handle, verify, close …)");
        group.MapPost("/{eventId:long}/supervision", SuperviseAsync).WithSummary("Open a supervision order (督办) with its own deadline");
        group.MapPost("/{eventId:long}/supervision/{orderId:long}/answer", AnswerAsync).WithSummary("The handling unit answers a supervision order");
        group.MapPost("/{eventId:long}/photos", AddPhotoAsync).DisableAntiforgery()
            .WithSummary("Attach a photo (JPEG, PNG or WebP, at most 5 MB; multipart field 'photo')");
        group.MapGet("/{eventId:long}/photos/{seq:int}", PhotoAsync).WithSummary("One photo of an event");
        group.MapGet("/assessment", AssessmentAsync).RequireAuthorization(AssessmentPolicy)
            .WithSummary("Per-unit assessment for a period (from, to: yyyy-MM-dd; level): on-time rates, handling time, satisfaction, rank");
        group.MapGet("/assessment.xlsx", AssessmentWorkbookAsync).RequireAuthorization(AssessmentPolicy)
            .WithSummary("The same assessment as an Excel workbook");
        group.MapGet("/catalogue", (CatalogueStore store) => Results.Text(store.Current.ToJson(), "application/json"))
            .AllowAnonymous().WithSummary("The current event catalogue: classes, departments, dispatch rules");
        group.MapPut("/catalogue", SaveCatalogueAsync).RequireAuthorization(AccessPolicies.Administrator)
            .WithSummary("Save a new version of the catalogue (administrators); events keep the version they were filed under");
        group.MapGet("/catalogue/versions", (CatalogueStore store, CancellationToken ct) => store.ListAsync(ct))
            .RequireAuthorization(AccessPolicies.Administrator).WithSummary("Every saved version of the catalogue");
        return group;
    }

    internal static async Task<Results<Created<IntakeReceipt>, Ok<IntakeReceipt>, ProblemHttpResult>> ReportAsync(
        EventReportRequest request, HttpContext context, CatalogueStore catalogues, CityMap map, IAddressBase addresses, EventIntake intake,
        CancellationToken cancellationToken)
    {
        var user = context.User;
        var actor = Actor.From(user);
        var channel = actor.Kind == ActorKind.Client ? Channels.Department
            : user.IsInRole(Roles.GridWorker) ? Channels.GridWorker
            : Channels.Hotline;
        var clientKey = context.Request.Headers[IdempotencyHeader].FirstOrDefault() ?? request.ClientKey;
        var (report, problems) = await ReportCheck.CheckAsync(
            request, catalogues.Current, map, addresses, channel, actor.Name, actor.Kind == ActorKind.User ? actor.Name : null, clientKey, cancellationToken);
        if (report is null)
        {
            return Invalid(problems);
        }

        IntakeReceipt receipt;
        try
        {
            receipt = await intake.SubmitAsync(report, cancellationToken);
        }
        catch (ReportRefusedException refused)
        {
            return Invalid(refused.Problems);
        }

        return receipt.AlreadyReported
            ? TypedResults.Ok(receipt)
            : TypedResults.Created($"/api/events/{receipt.EventId}", receipt);
    }

    internal static async Task<Results<Ok<OpinionImportResult>, ProblemHttpResult>> ImportOpinionAsync(
        HttpContext context, CatalogueStore catalogues, OpinionImport import, AuditLog audit, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType || (await context.Request.ReadFormAsync(cancellationToken)).Files.GetFile("file") is not { } file)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No file", detail: "file: send the CSV as multipart/form-data in the field 'file'.");
        }

        if (file.Length > OpinionFileMaxBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large",
                detail: $"file: {file.Length:N0} bytes; an online-opinion file is at most {OpinionFileMaxBytes / (1024 * 1024)} MB.");
        }

        await using var stream = file.OpenReadStream();
        var result = await import.ImportAsync(stream, catalogues.Current, cancellationToken);
        await audit.AppendAsync(new AuditRecord(Actor.From(context.User).Name, "events.opinion.import", "file:" + file.FileName,
            Detail: $"rows={result.Rows} stored={result.Stored} already={result.AlreadyStored} errors={result.Errors.Count}"), cancellationToken);
        return TypedResults.Ok(result);
    }

    internal static async Task<Results<Ok<IReadOnlyList<QueueItem>>, ProblemHttpResult>> QueueAsync(
        string queue, int? limit, ClaimsPrincipal user, EventQueries queries, CancellationToken cancellationToken)
    {
        Queue? which = queue switch
        {
            "dispatcher" => Queue.Dispatcher,
            "handler" => Queue.Handler,
            "supervisor" => Queue.Supervisor,
            "grid_worker" => Queue.GridWorker,
            _ => null,
        };
        if (which is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown queue",
                detail: $"'{queue}' is not a queue; the queues are dispatcher, handler, supervisor and grid_worker.");
        }

        var role = which switch
        {
            Queue.Dispatcher => Roles.Dispatcher,
            Queue.Handler => Roles.EventHandler,
            Queue.Supervisor => Roles.Supervisor,
            _ => Roles.GridWorker,
        };
        if (!user.IsInRole(role))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your queue", detail: $"The {queue} queue is for the role {role}.");
        }

        return TypedResults.Ok(await queries.QueueAsync(which.Value, Actor.From(user), Math.Clamp(limit ?? 100, 1, 1_000), cancellationToken));
    }

    internal static async Task<Results<Ok<EventView>, NotFound<ProblemDetails>>> GetAsync(
        long eventId, ClaimsPrincipal user, EventQueries queries, AuditLog audit, CancellationToken cancellationToken)
    {
        var actor = Actor.From(user);
        if (await queries.GetAsync(eventId, actor, revealContact: false, cancellationToken) is not { } view)
        {
            return NotFound(eventId);
        }

        // The event names its reporter (masked) and the people concerned: every view is on the record.
        await audit.AppendAsync(new AuditRecord(actor.Name, "events.view", $"event:{eventId}", Purpose: "event handling"), cancellationToken);
        return TypedResults.Ok(view);
    }

    internal static async Task<Results<Ok<ActionOutcome>, ProblemHttpResult>> ActAsync(
        long eventId, string action, ActionRequest? request, ClaimsPrincipal user, EventWorkflow workflow, CancellationToken cancellationToken)
    {
        if (EventActions.TryParse(action) is not { } known)
        {
            return Problem(StatusCodes.Status404NotFound, "Unknown action", Refusals.UnknownAction(action));
        }

        return ToResult(await workflow.ActAsync(eventId, known, request ?? new ActionRequest(), Actor.From(user), cancellationToken));
    }

    internal static async Task<Results<Ok<SupervisionOrder>, ProblemHttpResult>> SuperviseAsync(
        long eventId, SupervisionRequest request, ClaimsPrincipal user, SupervisionOrders orders, CancellationToken cancellationToken)
    {
        var (order, outcome) = await orders.OpenAsync(eventId, request.Instruction, request.Within, Actor.From(user), cancellationToken);
        return order is not null ? TypedResults.Ok(order) : Problem(outcome);
    }

    internal static async Task<Results<Ok<ActionOutcome>, ProblemHttpResult>> AnswerAsync(
        long eventId, long orderId, SupervisionAnswer request, ClaimsPrincipal user, SupervisionOrders orders, CancellationToken cancellationToken) =>
        ToResult(await orders.AnswerAsync(eventId, orderId, request.Answer, Actor.From(user), cancellationToken));

    internal static async Task<Results<Ok<CatalogueVersion>, ProblemHttpResult>> SaveCatalogueAsync(
        HttpContext context, string? note, CatalogueStore store, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        try
        {
            var saved = await store.SaveAsync(json, Actor.From(context.User).Name, note, cancellationToken);
            return TypedResults.Ok((await store.ListAsync(cancellationToken)).First(v => v.Version == saved.Version));
        }
        catch (CatalogueException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid catalogue", detail: e.Message);
        }
    }

    internal static async Task<Results<Ok<PhotoAdded>, ProblemHttpResult>> AddPhotoAsync(
        long eventId, HttpContext context, EventQueries queries, EventPhotos photos, CancellationToken cancellationToken)
    {
        var (seq, outcome) = await PhotoUpload.ReceiveAsync(eventId, context.Request, Actor.From(context.User), queries, photos, cancellationToken);
        return seq is { } added ? TypedResults.Ok(new PhotoAdded(eventId, added)) : Problem(outcome);
    }

    internal static async Task<Results<FileContentHttpResult, NotFound>> PhotoAsync(
        long eventId, int seq, ClaimsPrincipal user, EventQueries queries, EventPhotos photos, CancellationToken cancellationToken)
    {
        if (!await queries.MaySeeAsync(eventId, Actor.From(user), cancellationToken)
            || await photos.GetAsync(eventId, seq, cancellationToken) is not { } photo)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.File(photo.Content, photo.ContentType);
    }

    internal static async Task<Results<Ok<IReadOnlyList<AssessmentRow>>, ProblemHttpResult>> AssessmentAsync(
        string? from, string? to, string? level, string? lang, ClaimsPrincipal user, AssessmentQuery assessment, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Period(from, to, level, time) is not { } period)
        {
            return BadPeriod();
        }

        return TypedResults.Ok(await assessment.UnitsAsync(user.ScopeOf()!, period.From, period.To, period.Level, lang != "en", cancellationToken));
    }

    internal static async Task<Results<EmptyHttpResult, ProblemHttpResult>> AssessmentWorkbookAsync(
        string? from, string? to, string? level, string? lang, HttpContext context, AssessmentQuery assessment, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Period(from, to, level, time) is not { } period)
        {
            return BadPeriod();
        }

        var chinese = lang != "en";
        var rows = await assessment.UnitsAsync(context.User.ScopeOf()!, period.From, period.To, period.Level, chinese, cancellationToken);
        context.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"assessment-{period.From:yyyyMMdd}-{period.To:yyyyMMdd}.xlsx\"";
        await AssessmentWorkbook.WriteAsync(context.Response.Body, chinese ? "事件处置考核" : "Event handling assessment", period.From, period.To, rows, chinese, cancellationToken);
        return TypedResults.Empty;
    }

    private static ProblemHttpResult BadPeriod() =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad period",
            detail: "from and to are days (yyyy-MM-dd, from not after to, at most 366 days apart); level is community, street, district or city.");

    /// <summary>The period asked for; by default the last 30 days in China time.</summary>
    private static (DateOnly From, DateOnly To, Level? Level)? Period(string? from, string? to, string? level, TimeProvider time)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().ToOffset(Calendar.BusinessCalendar.ChinaOffset).DateTime);
        DateOnly start = today.AddDays(-29), end = today;
        if ((from is not null && !DateOnly.TryParseExact(from, "yyyy-MM-dd", out start)) || (to is not null && !DateOnly.TryParseExact(to, "yyyy-MM-dd", out end)))
        {
            return null;
        }

        var parsedLevel = CatalogueWords.ParseLevel(level);
        if (start > end || end.DayNumber - start.DayNumber > 366 || (level is not null && parsedLevel is null))
        {
            return null;
        }

        return (start, end, parsedLevel);
    }

    internal static Results<Ok<ActionOutcome>, ProblemHttpResult> ToResult(ActionOutcome outcome) =>
        outcome.Status == ActionStatus.Done ? TypedResults.Ok(outcome) : Problem(outcome);

    internal static ProblemHttpResult Problem(ActionOutcome outcome)
    {
        var (status, title) = outcome.Status switch
        {
            ActionStatus.NotFound => (StatusCodes.Status404NotFound, "No such event"),
            ActionStatus.Forbidden => (StatusCodes.Status403Forbidden, "Not allowed"),
            ActionStatus.Conflict => (StatusCodes.Status409Conflict, "Not allowed now"),
            _ => (StatusCodes.Status400BadRequest, "Invalid request"),
        };
        return Problem(status, title, outcome.Reason, outcome.Code, outcome.Arguments);
    }

    internal static ProblemHttpResult Problem(int status, string title, Refusal refusal) =>
        Problem(status, title, refusal.Reason, refusal.Code, refusal.Arguments);

    /// <summary>A refusal as problem details: the English reason as <c>detail</c>, and the code and its arguments to branch on.</summary>
    private static ProblemHttpResult Problem(int status, string title, string? reason, string? code, IReadOnlyDictionary<string, string>? arguments) =>
        TypedResults.Problem(statusCode: status, title: title, detail: reason,
            extensions: new Dictionary<string, object?> { ["code"] = code, ["arguments"] = arguments });

    internal static ProblemHttpResult Invalid(IReadOnlyList<ReportProblem> problems) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "Invalid report",
            detail: string.Join("; ", problems),
            extensions: new Dictionary<string, object?> { ["errors"] = problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Reason).ToArray()) });

    private static NotFound<ProblemDetails> NotFound(long eventId) =>
        TypedResults.NotFound(new ProblemDetails { Status = 404, Title = "No such event", Detail = $"There is no event {eventId} you may see." });
}
