using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Intake;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Events.Queries;
using Zhiwang.Geo;

namespace Zhiwang.Events.Api;

/// <summary>What a reporter sees of their event by its token: its progress, never the names of those handling it.</summary>
public sealed record ReporterView(
    long EventId, string ClassCode, string State, DateTimeOffset ReportedAt, string? Department, DateTimeOffset? HandleDue,
    string? Result, int? Satisfaction, DateTimeOffset? ReopenUntil, IReadOnlyList<ReporterStep> Steps, IReadOnlyList<string> Available);

public sealed record ReporterStep(DateTimeOffset At, string Action, string State, string? Reason);

/// <summary>
/// <c>/api/events/track/{token}</c>: a resident follows the event they reported by its token (no account needed) and, once
/// it is handled, confirms the problem is gone or says it is not, closes it with a rating, or reopens it. The token is the
/// only key: 80 random bits, and the endpoints are rate-limited per address.
/// </summary>
public static class ReporterApi
{
    public const string RateLimitPolicy = "events-public";

    private static readonly EventAction[] ReporterActions = [EventAction.Verify, EventAction.NotSolved, EventAction.Close, EventAction.Rate, EventAction.Reopen];

    public static RouteGroupBuilder MapReporterApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/events/resident", ReportAsync).WithTags("Events").AllowAnonymous().RequireRateLimiting(RateLimitPolicy)
            .WithSummary("A resident reports an event without an account (a phone number to call back is required); the answer's token follows it");
        var group = endpoints.MapGroup("/api/events/track/{token}").WithTags("Events").AllowAnonymous().RequireRateLimiting(RateLimitPolicy);
        group.MapGet("/", TrackAsync).WithSummary("A reporter follows their event by its token");
        group.MapPost("/{action}", ActAsync).WithSummary("A reporter confirms, closes with a rating, or reopens their event");
        return group;
    }

    /// <summary>
    /// A resident's report: anyone may send one, so a phone number to call back is required, the submission is rate-limited
    /// per address, and a client key (the form's) makes a double click one event.
    /// </summary>
    internal static async Task<Results<Created<IntakeReceipt>, Ok<IntakeReceipt>, ProblemHttpResult>> ReportAsync(
        EventReportRequest request, HttpContext context, CatalogueStore catalogues, CityMap map, IAddressBase addresses, EventIntake intake,
        CancellationToken cancellationToken)
    {
        var (report, problems) = await ReportCheck.CheckAsync(request, catalogues.Current, map, addresses, Channels.Resident, Channels.Resident, null,
            context.Request.Headers[EventsApi.IdempotencyHeader].FirstOrDefault() ?? request.ClientKey, cancellationToken);
        if (string.IsNullOrWhiteSpace(request.Reporter?.Phone))
        {
            problems = [.. problems, new ReportProblem("reporter.phone", "required: a number to call you back on (it is never shown to others)")];
            report = null;
        }

        if (report is null)
        {
            return EventsApi.Invalid(problems);
        }

        IntakeReceipt receipt;
        try
        {
            receipt = await intake.SubmitAsync(report, cancellationToken);
        }
        catch (ReportRefusedException refused)
        {
            return EventsApi.Invalid(refused.Problems);
        }

        return receipt.AlreadyReported ? TypedResults.Ok(receipt) : TypedResults.Created($"/api/events/track/{receipt.Token}", receipt);
    }

    internal static async Task<Results<Ok<ReporterView>, NotFound>> TrackAsync(
        string token, EventQueries queries, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await queries.FindByTokenAsync(token, cancellationToken) is not { } eventId
            || await queries.GetAsync(eventId, Actor.System, revealContact: false, cancellationToken) is not { } view)
        {
            return TypedResults.NotFound();
        }

        // The reporter's own choices, computed as the reporter (not as the system the view was read as).
        var facts = new EventFacts(EventStates.Parse(view.State), view.GridCode, view.Department, view.UnitDivision, view.ReporterUser, view.HandledBy,
            [], view.ReopenUntil, view.Satisfaction);
        var now = time.GetUtcNow();
        var available = ReporterActions.Where(a => Lifecycle.Lifecycle.Check(a, facts, Actor.Reporter, now) is null).Select(a => a.Name()).ToList();
        return TypedResults.Ok(new ReporterView(
            view.EventId, view.ClassCode, view.State, view.ReportedAt, view.Department, view.HandleDue, view.Result, view.Satisfaction, view.ReopenUntil,
            view.Timeline.Select(t => new ReporterStep(t.At, t.Action, t.ToState, Public(t.Action) ? t.Reason : null)).ToList(),
            available));
    }

    internal static async Task<Results<Ok<ActionOutcome>, ProblemHttpResult>> ActAsync(
        string token, string action, ActionRequest? request, EventQueries queries, EventWorkflow workflow, CancellationToken cancellationToken)
    {
        if (EventActions.TryParse(action) is not { } known || !ReporterActions.Contains(known))
        {
            return EventsApi.Problem(StatusCodes.Status404NotFound, "Unknown action", Refusals.NotAReporterAction(action, ReporterActions));
        }

        if (await queries.FindByTokenAsync(token, cancellationToken) is not { } eventId)
        {
            return EventsApi.Problem(StatusCodes.Status404NotFound, "No such event", Refusals.UnknownToken);
        }

        return EventsApi.ToResult(await workflow.ActAsync(eventId, known, request ?? new ActionRequest(), Actor.Reporter, cancellationToken));
    }

    // Reasons written for the reporter (a return or a result) are shown; internal notes between units are not.
    private static bool Public(string action) => action is "handle" or "reject" or "merge" or "not_solved" or "reopen" or "close";
}
