using System.Data.Common;
using Dapper;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;

namespace Zhiwang.Events.Handling;

/// <summary>The columns of an event an action reads.</summary>
internal sealed record EventRow(
    long EventId,
    EventState State,
    string ClassCode,
    int CatalogueVersion,
    string GridCode,
    string? Level,
    string? Department,
    string? UnitDivision,
    DateTimeOffset? AcceptDue,
    DateTimeOffset? HandleDue,
    string? ReporterUser,
    string? HandledBy,
    DateTimeOffset? ReopenUntil,
    int? Satisfaction,
    long Revision)
{
    public EventFacts Facts(IReadOnlyList<(string Department, string Division)> joint) =>
        new(State, GridCode, Department, UnitDivision, ReporterUser, HandledBy, joint, ReopenUntil, Satisfaction);
}

/// <summary>What an action changes on the event row; null leaves a column as it is.</summary>
internal sealed record Change(EventRow Row, EventState EventState)
{
    public string? Level { get; init; }

    public string? Department { get; init; }

    public string? UnitDivision { get; init; }

    public DateTimeOffset? AcceptDue { get; init; }

    public DateTimeOffset? HandleDue { get; init; }

    public string? HandledBy { get; init; }

    public string? Result { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public DateTimeOffset? ReopenUntil { get; init; }

    /// <summary>A reopened event is no longer closed: clear its closing time and reopen period.</summary>
    public bool ClearClosure { get; init; }

    public int? Satisfaction { get; init; }

    public long? DuplicateOf { get; init; }

    /// <summary>A new unit clears the overdue mark: the new unit starts with fresh deadlines.</summary>
    public bool NewUnit { get; init; }

    public Change WithUnit(UnitPlan plan) => this with
    {
        Level = CatalogueWords.Name(plan.Unit.Level),
        Department = plan.Unit.Department,
        UnitDivision = plan.Unit.DivisionCode,
        AcceptDue = plan.AcceptDue,
        HandleDue = plan.HandleDue,
        NewUnit = true,
    };
}

internal static class EventRows
{
    public static async Task<EventRow?> LoadForUpdateAsync(
        DbConnection connection, DbTransaction transaction, DatabaseProvider provider, long eventId, CancellationToken cancellationToken)
    {
        // PostgreSQL: lock the row so two actions on one event queue up. SQLite has one writer at a time already.
        var sql = """
            SELECT event_id AS EventId, state AS State, class_code AS ClassCode, catalogue_version AS CatalogueVersion,
                   grid_code AS GridCode, level AS Level, department AS Department, unit_division AS UnitDivision,
                   accept_due AS AcceptDue, handle_due AS HandleDue, reporter_user AS ReporterUser, handled_by AS HandledBy,
                   reopen_until AS ReopenUntil, satisfaction AS Satisfaction, revision AS Revision
            FROM event WHERE event_id = @eventId
            """ + (provider == DatabaseProvider.PostgreSql ? " FOR UPDATE" : "");
        var raw = await connection.QuerySingleOrDefaultAsync<RawRow>(new CommandDefinition(sql, new { eventId }, transaction, cancellationToken: cancellationToken));
        return raw?.ToRow();
    }

    /// <summary>The units asked to handle the event jointly with the lead unit, still on it.</summary>
    public static async Task<IReadOnlyList<(string Department, string Division)>> JointUnitsAsync(
        DbConnection connection, DbTransaction? transaction, long eventId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT department, division_code FROM event_assignment WHERE event_id = @eventId AND joint = 1 AND ended_at IS NULL",
            new { eventId }, transaction, cancellationToken: cancellationToken))).ToList();

    /// <summary>Writes the change if the row is still at the revision read; returns the new revision, or null when it moved on.</summary>
    public static async Task<long?> UpdateAsync(
        DbConnection connection, DbTransaction transaction, EventRow row, Change change, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var updated = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE event SET
                state = @state,
                level = COALESCE(@Level, level),
                department = COALESCE(@Department, department),
                unit_division = COALESCE(@UnitDivision, unit_division),
                accept_due = COALESCE(@acceptDue, accept_due),
                handle_due = COALESCE(@handleDue, handle_due),
                overdue = CASE WHEN @newUnit = 1 THEN 0 ELSE overdue END,
                handled_by = COALESCE(@HandledBy, handled_by),
                result = COALESCE(@Result, result),
                closed_at = CASE WHEN @clearClosure = 1 THEN NULL ELSE COALESCE(@closedAt, closed_at) END,
                reopen_until = CASE WHEN @clearClosure = 1 THEN NULL ELSE COALESCE(@reopenUntil, reopen_until) END,
                satisfaction = COALESCE(@Satisfaction, satisfaction),
                duplicate_of = COALESCE(@DuplicateOf, duplicate_of),
                revision = revision + 1,
                updated_at = @now
            WHERE event_id = @eventId AND revision = @revision
            """,
            new
            {
                state = change.EventState.Name(),
                change.Level,
                change.Department,
                change.UnitDivision,
                acceptDue = Format(change.AcceptDue),
                handleDue = Format(change.HandleDue),
                newUnit = change.NewUnit ? 1 : 0,
                change.HandledBy,
                change.Result,
                clearClosure = change.ClearClosure ? 1 : 0,
                closedAt = Format(change.ClosedAt),
                reopenUntil = Format(change.ReopenUntil),
                change.Satisfaction,
                change.DuplicateOf,
                now = Instant.Format(now),
                eventId = row.EventId,
                revision = row.Revision,
            },
            transaction, cancellationToken: cancellationToken));
        return updated == 1 ? row.Revision + 1 : null;
    }

    public static Task AppendTimelineAsync(
        DbConnection connection, DbTransaction transaction, long eventId, DateTimeOffset at, string actor, string action,
        EventState? from, EventState to, string? reason, string? detail, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO event_timeline (event_id, seq, at, actor, action, from_state, to_state, reason, detail)
            SELECT @eventId, COALESCE(MAX(seq), 0) + 1, @at, @actor, @action, @from, @to, @reason, @detail
            FROM event_timeline WHERE event_id = @eventId
            """,
            new { eventId, at = Instant.Format(at), actor, action, from = from?.Name(), to = to.Name(), reason, detail },
            transaction, cancellationToken: cancellationToken));

    /// <summary>Records a checkpoint breach once per checkpoint and assignment (or order).</summary>
    public static Task BreachAsync(
        DbConnection connection, DbTransaction transaction, long eventId, string checkpoint, long refId, string? department,
        string? division, DateTimeOffset at, string? detail, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO event_breach (event_id, checkpoint, ref_id, department, division_code, at, detail)
            VALUES (@eventId, @checkpoint, @refId, @department, @division, @at, @detail)
            ON CONFLICT (event_id, checkpoint, ref_id) DO NOTHING
            """,
            new { eventId, checkpoint, refId, department, division, at = Instant.Format(at), detail },
            transaction, cancellationToken: cancellationToken));

    private static string? Format(DateTimeOffset? time) => time is { } t ? Instant.Format(t) : null;

    private sealed record RawRow(
        long EventId, string State, string ClassCode, long CatalogueVersion, string GridCode, string? Level, string? Department,
        string? UnitDivision, string? AcceptDue, string? HandleDue, string? ReporterUser, string? HandledBy, string? ReopenUntil,
        long? Satisfaction, long Revision)
    {
        public EventRow ToRow() => new(
            EventId, EventStates.Parse(State), ClassCode, (int)CatalogueVersion, GridCode, Level, Department, UnitDivision,
            Instant.ParseOrNull(AcceptDue), Instant.ParseOrNull(HandleDue), ReporterUser, HandledBy, Instant.ParseOrNull(ReopenUntil),
            Satisfaction is { } s ? (int)s : null, Revision);
    }
}
