using Dapper;
using Zhiwang.Access;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;

namespace Zhiwang.Events.Supervision;

/// <summary>A supervision order as shown on the event page and the supervision board.</summary>
public sealed record SupervisionOrder(
    long OrderId, long EventId, string OpenedBy, DateTimeOffset OpenedAt, string Instruction, DateTimeOffset DueAt,
    string? AnsweredBy, DateTimeOffset? AnsweredAt, string? Answer, bool Overdue);

/// <summary>
/// 督办: a supervisor orders the unit handling an event to act, with its own deadline; the unit must answer. An order not
/// answered in time is a checkpoint breach (see <see cref="Deadlines.DeadlineSweep"/>).
/// </summary>
public sealed class SupervisionOrders(Database database, BusinessCalendar calendar, TimeProvider time)
{
    /// <summary>The timeline's names for opening and answering an order (they are not lifecycle actions: the state stays).</summary>
    public const string Supervise = "supervise";

    public const string Answer = "answer_supervision";

    public async Task<(SupervisionOrder? Order, ActionOutcome Outcome)> OpenAsync(
        long eventId, string? instruction, string? within, Actor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(instruction) || instruction.Length > EventWorkflow.MaxText)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Invalid, Refusals.InstructionRequired(EventWorkflow.MaxText)));
        }

        if (WorkingDuration.TryParse(within ?? "1d") is not { } duration)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Invalid, Refusals.UnknownDuration(within)));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await EventRows.LoadForUpdateAsync(connection, transaction, database.Provider, eventId, cancellationToken);
        if (row is null)
        {
            return (null, ActionOutcome.Refused(ActionStatus.NotFound, Refusals.EventNotFound(eventId)));
        }

        if (!actor.Has(Roles.Supervisor) || !actor.Covers(row.GridCode))
        {
            return (null, ActionOutcome.Refused(ActionStatus.Forbidden, Refusals.NotAllowedFor(Supervise, "open a supervision order", Party.Supervisor)));
        }

        if (!row.State.IsWithUnit() && row.State != EventState.Handled)
        {
            return (null, ActionOutcome.Refused(ActionStatus.Conflict, Refusals.NoUnitToSupervise(row.State)));
        }

        var now = time.GetUtcNow();
        var due = calendar.Add(now, duration);
        var orderId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO supervision_order (event_id, opened_by, opened_at, instruction, due_at)
            VALUES (@eventId, @by, @at, @instruction, @due) RETURNING order_id
            """,
            new { eventId, by = actor.Name, at = Instant.Format(now), instruction = instruction.Trim(), due = Instant.Format(due) },
            transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO event_timer (event_id, timer, ref_id, fire_at) VALUES (@eventId, @timer, @orderId, @due)",
            new { eventId, timer = Timers.SupervisionDue, orderId, due = Instant.Format(due) }, transaction, cancellationToken: cancellationToken));
        await EventRows.AppendTimelineAsync(connection, transaction, eventId, now, actor.Name, Supervise, row.State, row.State, instruction.Trim(),
            System.Text.Json.JsonSerializer.Serialize(new { order = orderId, dueAt = Instant.Format(due) }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (new SupervisionOrder(orderId, eventId, actor.Name, now, instruction.Trim(), due, null, null, null, false),
            new ActionOutcome(ActionStatus.Done, row.State.Name(), row.Revision));
    }

    public async Task<ActionOutcome> AnswerAsync(long eventId, long orderId, string? answer, Actor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(answer) || answer.Length > EventWorkflow.MaxText)
        {
            return ActionOutcome.Refused(ActionStatus.Invalid, Refusals.AnswerRequired(EventWorkflow.MaxText));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await EventRows.LoadForUpdateAsync(connection, transaction, database.Provider, eventId, cancellationToken);
        if (row is null)
        {
            return ActionOutcome.Refused(ActionStatus.NotFound, Refusals.EventNotFound(eventId));
        }

        if (!actor.Has(Roles.EventHandler) || actor.Department != row.Department || row.UnitDivision is null || !actor.Covers(row.UnitDivision))
        {
            return ActionOutcome.Refused(ActionStatus.Forbidden, Refusals.NotAllowedFor(Answer, "answer its supervision order", Party.UnitHandler));
        }

        var now = time.GetUtcNow();
        var answered = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE supervision_order SET answered_by = @by, answered_at = @at, answer = @answer
            WHERE order_id = @orderId AND event_id = @eventId AND answered_at IS NULL
            """,
            new { by = actor.Name, at = Instant.Format(now), answer = answer.Trim(), orderId, eventId }, transaction, cancellationToken: cancellationToken));
        if (answered == 0)
        {
            return ActionOutcome.Refused(ActionStatus.Conflict, Refusals.NoOpenOrder(eventId, orderId));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM event_timer WHERE event_id = @eventId AND timer = @timer AND ref_id = @orderId",
            new { eventId, timer = Timers.SupervisionDue, orderId }, transaction, cancellationToken: cancellationToken));
        await EventRows.AppendTimelineAsync(connection, transaction, eventId, now, actor.Name, Answer, row.State, row.State, answer.Trim(),
            System.Text.Json.JsonSerializer.Serialize(new { order = orderId }), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ActionOutcome(ActionStatus.Done, row.State.Name(), row.Revision);
    }
}
