using Dapper;
using Zhiwang.Access;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;

namespace Zhiwang.Events.Supervision;

/// <summary>An unanswered supervision order on the board, with the event it concerns.</summary>
public sealed record OpenOrder(long OrderId, long EventId, string ClassCode, string GridCode, string State, string OpenedBy, DateTimeOffset OpenedAt,
    string Instruction, DateTimeOffset DueAt, bool Overdue);

/// <summary>The supervision board's list of unanswered orders across events, soonest due first, in the supervisor's scope.</summary>
public static class OpenSupervisionOrders
{
    public static async Task<IReadOnlyList<OpenOrder>> ListAsync(Database database, Actor actor, int limit, CancellationToken cancellationToken)
    {
        if (actor.Scope is not { } scope || !actor.Has(Roles.Supervisor))
        {
            return [];
        }

        var prefix = Scopes.LikePattern(scope);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT o.order_id AS OrderId, o.event_id AS EventId, e.class_code AS ClassCode, e.grid_code AS GridCode, e.state AS State,
                   o.opened_by AS OpenedBy, o.opened_at AS OpenedAt, o.instruction AS Instruction, o.due_at AS DueAt, o.overdue AS Overdue
            FROM supervision_order o JOIN event e ON e.event_id = o.event_id
            WHERE o.answered_at IS NULL AND e.grid_code LIKE @prefix
            ORDER BY o.due_at LIMIT @limit
            """,
            new { prefix, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new OpenOrder(
            r.OrderId, r.EventId, r.ClassCode, r.GridCode, r.State, r.OpenedBy, Instant.Parse(r.OpenedAt), r.Instruction, Instant.Parse(r.DueAt), r.Overdue != 0)).ToList();
    }

    private sealed record Row(
        long OrderId, long EventId, string ClassCode, string GridCode, string State, string OpenedBy, string OpenedAt, string Instruction, string DueAt, long Overdue);
}
