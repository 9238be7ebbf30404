using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;

namespace Zhiwang.Events.Handling;

public sealed class HandlingOptions
{
    public const string Section = "Zhiwang:Events:Handling";

    /// <summary>How long after closure a dissatisfied reporter may reopen the event.</summary>
    public TimeSpan ReopenPeriod { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Takes an action on an event inside one transaction: checks it against the lifecycle, applies its effects (assignments,
/// deadlines, breaches), bumps the revision and appends the timeline line. Either all of it is stored or none.
/// </summary>
public sealed class EventWorkflow(
    Database database, CatalogueStore catalogues, DispatchPlanner planner, TimeProvider time, IOptions<HandlingOptions> options)
{
    public const int MaxText = 2_000;

    public async Task<ActionOutcome> ActAsync(long eventId, EventAction action, ActionRequest request, Actor actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var outcome = await ActAsync(connection, transaction, eventId, action, request, actor, cancellationToken);
        if (outcome.Status == ActionStatus.Done)
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return outcome;
    }

    /// <summary>The same inside the caller's transaction (the deadline sweep escalates many events in one).</summary>
    internal async Task<ActionOutcome> ActAsync(
        DbConnection connection, DbTransaction transaction, long eventId, EventAction action, ActionRequest request, Actor actor,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var row = await EventRows.LoadForUpdateAsync(connection, transaction, database.Provider, eventId, cancellationToken);
        if (row is null)
        {
            return ActionOutcome.Refused(ActionStatus.NotFound, Refusals.EventNotFound(eventId));
        }

        var joint = await EventRows.JointUnitsAsync(connection, transaction, eventId, cancellationToken);
        var facts = row.Facts(joint);
        if (Lifecycle.Lifecycle.Check(action, facts, actor, now) is { } refusal)
        {
            return ActionOutcome.Refused(refusal.Forbidden ? ActionStatus.Forbidden : ActionStatus.Conflict, refusal);
        }

        if (request.Revision is { } revision && revision != row.Revision)
        {
            return ActionOutcome.Refused(ActionStatus.Conflict, Refusals.StaleRevision(revision, row.Revision));
        }

        if (Invalid(action, request) is { } invalid)
        {
            return ActionOutcome.Refused(ActionStatus.Invalid, invalid);
        }

        var change = new Change(row, EventState: Lifecycle.Lifecycle.Target(action, row.State));
        var step = new Step(connection, transaction, row, now, cancellationToken);
        string? detail = null;
        switch (action)
        {
            case EventAction.Reject:
                await step.EndLeadAssignmentAsync("rejected");
                break;
            case EventAction.Merge:
                var target = await EventRows.LoadForUpdateAsync(connection, transaction, database.Provider, request.MergeInto!.Value, cancellationToken);
                if (target is null || target.EventId == eventId || target.State.IsFinal())
                {
                    return ActionOutcome.Refused(ActionStatus.Invalid,
                        target is null ? Refusals.MergeTargetMissing(request.MergeInto.Value)
                        : target.EventId == eventId ? Refusals.MergeIntoItself(eventId)
                        : Refusals.MergeTargetFinal(target.EventId, target.State));
                }

                await step.EndLeadAssignmentAsync("merged");
                change = change with { DuplicateOf = target.EventId };
                await EventRows.AppendTimelineAsync(connection, transaction, target.EventId, now, actor.Name, "merge_in", target.State, target.State,
                    $"event {eventId} merged in as a duplicate", JsonSerializer.Serialize(new { duplicate = eventId }), cancellationToken);
                break;
            case EventAction.Dispatch or EventAction.Reroute or EventAction.Escalate:
            {
                var level = action == EventAction.Escalate ? NextLevel(row.Level) : CatalogueWords.ParseLevel(request.Level) ?? CatalogueWords.ParseLevel(row.Level);
                if (action == EventAction.Escalate && level is null)
                {
                    return ActionOutcome.Refused(ActionStatus.Conflict, Refusals.NoHigherLevel);
                }

                var catalogue = await catalogues.VersionAsync(connection, transaction, row.CatalogueVersion, cancellationToken);
                if (request.Department is { } department && catalogue.FindDepartment(department) is null)
                {
                    return ActionOutcome.Refused(ActionStatus.Invalid, Refusals.UnknownDepartment("department", department, catalogue.Version));
                }

                var plan = planner.Plan(catalogue, catalogue.Find(row.ClassCode)!, row.GridCode, now, level,
                    action == EventAction.Escalate ? null : request.Department);
                await step.EndLeadAssignmentAsync(action == EventAction.Dispatch ? null : action == EventAction.Reroute ? "rerouted" : "escalated");
                await step.AssignAsync(plan, joint: false);
                // An escalated event stays marked overdue: it missed a deadline, whatever the next level does.
                change = change.WithUnit(plan) with { NewUnit = action != EventAction.Escalate };
                detail = Timers.DispatchDetail(plan);
                break;
            }

            case EventAction.Return:
                await step.EndLeadAssignmentAsync("returned");
                break;
            case EventAction.Take:
                await step.AcceptAssignmentAsync();
                break;
            case EventAction.AskJoint:
            {
                var catalogue = await catalogues.VersionAsync(connection, transaction, row.CatalogueVersion, cancellationToken);
                if (request.Departments!.FirstOrDefault(d => catalogue.FindDepartment(d) is null) is { } unknown)
                {
                    return ActionOutcome.Refused(ActionStatus.Invalid, Refusals.UnknownDepartment("departments", unknown, catalogue.Version));
                }

                foreach (var department in request.Departments!.Distinct().Where(d => d != row.Department && !joint.Any(j => j.Department == d)))
                {
                    await step.AssignJointAsync(department);
                }

                detail = JsonSerializer.Serialize(new { departments = request.Departments });
                break;
            }

            case EventAction.Handle:
                await step.HandleAssignmentAsync();
                change = change with { HandledBy = actor.Name, Result = request.Result!.Trim() };
                break;
            case EventAction.NotSolved:
                await step.ReopenAssignmentAsync();
                break;
            case EventAction.Close or EventAction.ForceClose:
                await step.EndLeadAssignmentAsync("closed");
                await step.EndJointAssignmentsAsync();
                change = change with { ClosedAt = now, ReopenUntil = now + options.Value.ReopenPeriod, Satisfaction = request.Satisfaction };
                if (action == EventAction.ForceClose)
                {
                    await EventRows.BreachAsync(connection, transaction, eventId, "closure_without_verification", 0, row.Department, row.UnitDivision, now,
                        $"closed by {actor.Name} from {row.State.Name()}: {request.Reason}", cancellationToken);
                }

                break;
            case EventAction.Rate:
                change = change with { Satisfaction = request.Satisfaction };
                break;
            case EventAction.Reopen:
            {
                // A reopened event goes straight back to the unit that closed it, at the same level.
                await EventRows.AppendTimelineAsync(connection, transaction, eventId, now, actor.Name, EventAction.Reopen.Name(), row.State, EventState.Reopened,
                    request.Reason, request.Satisfaction is { } given ? JsonSerializer.Serialize(new { satisfaction = given }) : null, cancellationToken);
                var catalogue = await catalogues.VersionAsync(connection, transaction, row.CatalogueVersion, cancellationToken);
                var plan = planner.Plan(catalogue, catalogue.Find(row.ClassCode)!, row.GridCode, now, CatalogueWords.ParseLevel(row.Level), row.Department);
                await step.AssignAsync(plan, joint: false);
                change = change.WithUnit(plan) with
                {
                    EventState = EventState.Dispatched, ClosedAt = null, ClearClosure = true, Satisfaction = request.Satisfaction ?? row.Satisfaction,
                };
                action = EventAction.Dispatch;
                actor = Actor.System;
                detail = Timers.DispatchDetail(plan);
                row = row with { State = EventState.Reopened };
                break;
            }
        }

        var newRevision = await EventRows.UpdateAsync(connection, transaction, row, change, now, cancellationToken);
        if (newRevision is null)
        {
            return ActionOutcome.Refused(ActionStatus.Conflict, Refusals.ChangedMeanwhile);
        }

        await EventRows.AppendTimelineAsync(connection, transaction, eventId, now, actor.Name, action.Name(), row.State, change.EventState,
            request.Reason?.Trim() ?? (action == EventAction.Handle ? request.Result?.Trim() : null),
            detail ?? (request.Satisfaction is { } rating ? JsonSerializer.Serialize(new { satisfaction = rating }) : request.MergeInto is { } into ? JsonSerializer.Serialize(new { mergeInto = into }) : null),
            cancellationToken);
        return new ActionOutcome(ActionStatus.Done, change.EventState.Name(), newRevision.Value);
    }

    /// <summary>What each action needs said, checked before anything changes.</summary>
    private static Refusal? Invalid(EventAction action, ActionRequest request)
    {
        if (request.Reason is { Length: > MaxText } || request.Result is { Length: > MaxText })
        {
            return Refusals.TextTooLong(MaxText);
        }

        var needsReason = action is EventAction.Reject or EventAction.Reroute or EventAction.Return or EventAction.NotSolved
            or EventAction.ForceClose or EventAction.Reopen or EventAction.AskJoint or EventAction.Note;
        if (needsReason && string.IsNullOrWhiteSpace(request.Reason))
        {
            return Refusals.ReasonRequired(action);
        }

        if (action == EventAction.Handle && string.IsNullOrWhiteSpace(request.Result))
        {
            return Refusals.ResultRequired;
        }

        if (action == EventAction.Reroute && request.Department is null && request.Level is null)
        {
            return Refusals.DepartmentOrLevelRequired;
        }

        if (request.Level is { } level && CatalogueWords.ParseLevel(level) is null)
        {
            return Refusals.UnknownLevel(level);
        }

        if (action == EventAction.AskJoint && request.Departments is not { Count: > 0 })
        {
            return Refusals.DepartmentsRequired;
        }

        if (action == EventAction.Merge && request.MergeInto is null)
        {
            return Refusals.MergeIntoRequired;
        }

        if (action == EventAction.Rate && request.Satisfaction is null)
        {
            return Refusals.SatisfactionRequired;
        }

        if (request.Satisfaction is { } satisfaction && satisfaction is < 1 or > 5)
        {
            return Refusals.SatisfactionOutOfRange(satisfaction);
        }

        return null;
    }

    private static Level? NextLevel(string? level) => CatalogueWords.ParseLevel(level) switch
    {
        Level.Community => Level.Street,
        Level.Street => Level.District,
        Level.District => Level.City,
        _ => null,
    };

    /// <summary>The effects of one action on the event's assignments and timers, within its transaction.</summary>
    private sealed class Step(DbConnection connection, DbTransaction transaction, EventRow row, DateTimeOffset now, CancellationToken cancellationToken)
    {
        private readonly string _at = Instant.Format(now);

        public async Task AssignAsync(UnitPlan plan, bool joint)
        {
            var assignmentId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO event_assignment (event_id, level, department, division_code, joint, assigned_at, accept_due, handle_due)
                VALUES (@eventId, @level, @department, @division, @joint, @at, @acceptDue, @handleDue) RETURNING assignment_id
                """,
                new
                {
                    eventId = row.EventId, level = CatalogueWords.Name(plan.Unit.Level), department = plan.Unit.Department,
                    division = plan.Unit.DivisionCode, joint = joint ? 1L : 0L, at = _at,
                    acceptDue = Instant.Format(plan.AcceptDue), handleDue = Instant.Format(plan.HandleDue),
                },
                transaction, cancellationToken: cancellationToken));
            if (joint)
            {
                return;
            }

            foreach (var (timer, fireAt) in Timers.ForAssignment(plan))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO event_timer (event_id, timer, ref_id, fire_at) VALUES (@eventId, @timer, @assignmentId, @fireAt)",
                    new { eventId = row.EventId, timer, assignmentId, fireAt = Instant.Format(fireAt) },
                    transaction, cancellationToken: cancellationToken));
            }
        }

        /// <summary>A joint unit shares the lead unit's level, division and deadline.</summary>
        public Task AssignJointAsync(string department) =>
            connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO event_assignment (event_id, level, department, division_code, joint, assigned_at, accept_due, handle_due)
                VALUES (@EventId, @Level, @department, @UnitDivision, 1, @at, @at, @HandleDue)
                """,
                new { row.EventId, row.Level, department, row.UnitDivision, at = _at, row.HandleDue },
                transaction, cancellationToken: cancellationToken));

        /// <summary>Ends the lead unit's assignment (when there is one) and drops its pending deadlines.</summary>
        public async Task EndLeadAssignmentAsync(string? outcome)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE event_assignment SET outcome = COALESCE(@outcome, outcome), ended_at = @at
                WHERE event_id = @EventId AND joint = 0 AND ended_at IS NULL
                """,
                new { outcome, at = _at, row.EventId }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM event_timer WHERE event_id = @EventId AND timer <> 'supervision_due'",
                new { row.EventId }, transaction, cancellationToken: cancellationToken));
        }

        public Task EndJointAssignmentsAsync() =>
            connection.ExecuteAsync(new CommandDefinition(
                "UPDATE event_assignment SET ended_at = @at WHERE event_id = @EventId AND joint = 1 AND ended_at IS NULL",
                new { at = _at, row.EventId }, transaction, cancellationToken: cancellationToken));

        /// <summary>签收: the unit takes the event up; the acceptance deadline is met (or its breach already recorded).</summary>
        public async Task AcceptAssignmentAsync()
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE event_assignment SET accepted_at = @at WHERE event_id = @EventId AND joint = 0 AND ended_at IS NULL",
                new { at = _at, row.EventId }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM event_timer WHERE event_id = @EventId AND timer IN ('accept_warning', 'accept_due')",
                new { row.EventId }, transaction, cancellationToken: cancellationToken));
        }

        /// <summary>办结: the handling deadline stops; the assignment stays open until the event is verified and closed.</summary>
        public async Task HandleAssignmentAsync()
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE event_assignment SET handled_at = @at, outcome = 'handled' WHERE event_id = @EventId AND joint = 0 AND ended_at IS NULL",
                new { at = _at, row.EventId }, transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM event_timer WHERE event_id = @EventId AND timer IN ('handle_warning', 'handle_due')",
                new { row.EventId }, transaction, cancellationToken: cancellationToken));
        }

        /// <summary>
        /// The problem is not gone: the unit owes the handling again. It was not really handled, so the assignment's
        /// handled time is cleared; its original deadline still counts, and if that has passed the event is overdue at once.
        /// </summary>
        public async Task ReopenAssignmentAsync()
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE event_assignment SET handled_at = NULL, outcome = NULL WHERE event_id = @EventId AND joint = 0 AND ended_at IS NULL",
                new { row.EventId }, transaction, cancellationToken: cancellationToken));
            var assignmentId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT assignment_id FROM event_assignment WHERE event_id = @EventId AND joint = 0 AND ended_at IS NULL",
                new { row.EventId }, transaction, cancellationToken: cancellationToken));
            if (assignmentId is { } id && row.HandleDue is { } due)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO event_timer (event_id, timer, ref_id, fire_at) VALUES (@EventId, 'handle_due', @id, @due) ON CONFLICT DO NOTHING",
                    new { row.EventId, id, due = Instant.Format(due) }, transaction, cancellationToken: cancellationToken));
            }
        }
    }
}
