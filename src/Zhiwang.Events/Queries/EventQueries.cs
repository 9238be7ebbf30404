using System.Data.Common;
using Dapper;
using Zhiwang.Access;
using Zhiwang.Access.Privacy;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Events.Supervision;
using Zhiwang.Storage;

namespace Zhiwang.Events.Queries;

/// <summary>The work queues a role sees.</summary>
public enum Queue
{
    /// <summary>Reports to accept, events waiting for a unit, returned events: in the dispatcher's scope.</summary>
    Dispatcher,

    /// <summary>Events with the handler's department in their scope, lead or joint, not yet handled.</summary>
    Handler,

    /// <summary>Events with a unit that are overdue or due within a day, and unanswered supervision orders: in scope.</summary>
    Supervisor,

    /// <summary>Handled events in the worker's grid waiting for verification on site.</summary>
    GridWorker,
}

/// <summary>Reads events for queues and pages. Every read is limited to the reader's scope.</summary>
public sealed class EventQueries(Database database, TimeProvider time)
{
    private const string QueueColumns = """
        event_id AS EventId, class_code AS ClassCode, kind AS Kind, urgency AS Urgency, state AS State, description AS Description,
        grid_code AS GridCode, level AS Level, department AS Department, unit_division AS UnitDivision, reported_at AS ReportedAt,
        accept_due AS AcceptDue, handle_due AS HandleDue, overdue AS Overdue, possible_duplicate_of AS PossibleDuplicateOf, revision AS Revision
        """;

    // Most urgent first, then the nearest deadline.
    private const string UrgencyOrder = "CASE urgency WHEN 'emergency' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END";

    public async Task<IReadOnlyList<QueueItem>> QueueAsync(Queue queue, Actor actor, int limit, CancellationToken cancellationToken)
    {
        if (actor.Scope is not { } scope)
        {
            return [];
        }

        var prefix = Scopes.LikePattern(scope);
        var now = Instant.Format(time.GetUtcNow());
        var soon = Instant.Format(time.GetUtcNow().AddDays(1));
        var sql = queue switch
        {
            Queue.Dispatcher => $"""
                SELECT {QueueColumns} FROM event
                WHERE state IN ('reported', 'accepted', 'returned') AND grid_code LIKE @prefix
                ORDER BY {UrgencyOrder}, reported_at LIMIT @limit
                """,
            Queue.Handler => $"""
                SELECT {QueueColumns} FROM event e
                WHERE state IN ('dispatched', 'in_handling') AND (
                    (department = @department AND unit_division LIKE @prefix)
                    OR EXISTS (SELECT 1 FROM event_assignment a WHERE a.event_id = e.event_id AND a.joint = 1 AND a.ended_at IS NULL
                               AND a.department = @department AND a.division_code LIKE @prefix))
                ORDER BY {UrgencyOrder}, handle_due LIMIT @limit
                """,
            Queue.Supervisor => $"""
                SELECT {QueueColumns} FROM event e
                WHERE grid_code LIKE @prefix AND (
                    (state IN ('dispatched', 'in_handling') AND (overdue = 1 OR handle_due <= @soon))
                    OR EXISTS (SELECT 1 FROM supervision_order o WHERE o.event_id = e.event_id AND o.answered_at IS NULL))
                ORDER BY overdue DESC, handle_due LIMIT @limit
                """,
            Queue.GridWorker => $"""
                SELECT {QueueColumns} FROM event
                WHERE state = 'handled' AND grid_code LIKE @prefix
                ORDER BY updated_at LIMIT @limit
                """,
            _ => throw new ArgumentOutOfRangeException(nameof(queue), queue, null),
        };
        if (queue == Queue.Handler && actor.Department is null)
        {
            return [];
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<QueueRow>(new CommandDefinition(
            sql, new { prefix, limit, department = actor.Department, now, soon }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToItem()).ToList();
    }

    /// <summary>
    /// The event whole, or null when it does not exist or lies outside what <paramref name="actor"/> may see: their scope
    /// covers its place or its unit, or they reported it.
    /// </summary>
    public async Task<EventView?> GetAsync(long eventId, Actor actor, bool revealContact, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var e = await connection.QuerySingleOrDefaultAsync<EventRowFull>(new CommandDefinition(
            """
            SELECT event_id AS EventId, token AS Token, channel AS Channel, class_code AS ClassCode, catalogue_version AS CatalogueVersion,
                   kind AS Kind, urgency AS Urgency, state AS State, description AS Description, address AS Address, lat AS Lat, lon AS Lon,
                   grid_code AS GridCode, attributes AS Attributes, reporter_name AS ReporterName, reporter_phone AS ReporterPhone,
                   reporter_user AS ReporterUser, reported_at AS ReportedAt, level AS Level, department AS Department,
                   unit_division AS UnitDivision, accept_due AS AcceptDue, handle_due AS HandleDue, overdue AS Overdue,
                   handled_by AS HandledBy, result AS Result, closed_at AS ClosedAt, satisfaction AS Satisfaction,
                   reopen_until AS ReopenUntil, duplicate_of AS DuplicateOf, possible_duplicate_of AS PossibleDuplicateOf, revision AS Revision
            FROM event WHERE event_id = @eventId
            """,
            new { eventId }, cancellationToken: cancellationToken));
        if (e is null)
        {
            return null;
        }

        var joint = await EventRows.JointUnitsAsync(connection, null, eventId, cancellationToken);
        if (!MaySee(actor, e.GridCode, e.Department, e.UnitDivision, e.ReporterUser, joint))
        {
            return null;
        }

        var timeline = await connection.QueryAsync<TimelineRow>(new CommandDefinition(
            """
            SELECT seq AS Seq, at AS At, actor AS Actor, action AS Action, from_state AS FromState, to_state AS ToState, reason AS Reason, detail AS Detail
            FROM event_timeline WHERE event_id = @eventId ORDER BY seq
            """, new { eventId }, cancellationToken: cancellationToken));
        var assignments = await connection.QueryAsync<AssignmentRow>(new CommandDefinition(
            """
            SELECT assignment_id AS AssignmentId, level AS Level, department AS Department, division_code AS DivisionCode, joint AS Joint,
                   assigned_at AS AssignedAt, accept_due AS AcceptDue, accepted_at AS AcceptedAt, handle_due AS HandleDue,
                   handled_at AS HandledAt, overdue AS Overdue, outcome AS Outcome, ended_at AS EndedAt
            FROM event_assignment WHERE event_id = @eventId ORDER BY assignment_id
            """, new { eventId }, cancellationToken: cancellationToken));
        var orders = await connection.QueryAsync<OrderRow>(new CommandDefinition(
            """
            SELECT order_id AS OrderId, event_id AS EventId, opened_by AS OpenedBy, opened_at AS OpenedAt, instruction AS Instruction,
                   due_at AS DueAt, answered_by AS AnsweredBy, answered_at AS AnsweredAt, answer AS Answer, overdue AS Overdue
            FROM supervision_order WHERE event_id = @eventId ORDER BY order_id
            """, new { eventId }, cancellationToken: cancellationToken));
        var breaches = await connection.QueryAsync<(string Checkpoint, string At, string? Department, string? Division, string? Detail)>(new CommandDefinition(
            "SELECT checkpoint, at, department, division_code, detail FROM event_breach WHERE event_id = @eventId ORDER BY breach_id",
            new { eventId }, cancellationToken: cancellationToken));
        var links = await connection.QueryAsync<(string Kind, string GoldenId)>(new CommandDefinition(
            "SELECT kind, golden_id FROM event_link WHERE event_id = @eventId ORDER BY kind, golden_id", new { eventId }, cancellationToken: cancellationToken));
        var photos = await connection.QueryAsync<(long Seq, string ContentType, long Bytes, string Sha256, string AddedAt)>(new CommandDefinition(
            "SELECT seq, content_type, bytes, sha256, added_at FROM event_photo WHERE event_id = @eventId ORDER BY seq",
            new { eventId }, cancellationToken: cancellationToken));

        var state = EventStates.Parse(e.State);
        var facts = new EventFacts(state, e.GridCode, e.Department, e.UnitDivision, e.ReporterUser, e.HandledBy, joint,
            Instant.ParseOrNull(e.ReopenUntil), e.Satisfaction is { } s ? (int)s : null);
        return new EventView(
            e.EventId, e.Token, e.Channel, e.ClassCode, (int)e.CatalogueVersion, e.Kind, e.Urgency, e.State, e.Description, e.Address, e.Lat, e.Lon,
            e.GridCode, e.Attributes,
            revealContact ? e.ReporterName : MaskName(e.ReporterName),
            revealContact ? e.ReporterPhone : Masking.Phone(e.ReporterPhone),
            e.ReporterUser, Instant.Parse(e.ReportedAt), e.Level, e.Department, e.UnitDivision,
            Instant.ParseOrNull(e.AcceptDue), Instant.ParseOrNull(e.HandleDue), e.Overdue != 0, e.HandledBy, e.Result,
            Instant.ParseOrNull(e.ClosedAt), facts.Satisfaction, facts.ReopenUntil, e.DuplicateOf, e.PossibleDuplicateOf, e.Revision,
            timeline.Select(t => new TimelineEntry((int)t.Seq, Instant.Parse(t.At), t.Actor, t.Action, t.FromState, t.ToState, t.Reason, t.Detail)).ToList(),
            assignments.Select(a => a.ToView()).ToList(),
            orders.Select(o => o.ToOrder()).ToList(),
            breaches.Select(b => new BreachView(b.Checkpoint, Instant.Parse(b.At), b.Department, b.Division, b.Detail)).ToList(),
            links.Select(l => new LinkView(l.Kind, l.GoldenId)).ToList(),
            photos.Select(p => new PhotoView((int)p.Seq, p.ContentType, p.Bytes, p.Sha256, Instant.Parse(p.AddedAt))).ToList(),
            Lifecycle.Lifecycle.Available(facts, actor, time.GetUtcNow()).Select(a => a.Name()).ToList());
    }

    /// <summary>
    /// The event's <see cref="EventStamp"/>, for the event page to compare when told of a change (every 10 s without the
    /// live stream): one read of the event row by its key and of its last timeline line by the timeline's key, not the
    /// whole view. Null when the event does not exist or lies outside
    /// what <paramref name="actor"/> may see, by the rule of <see cref="GetAsync"/>.
    /// </summary>
    public async Task<EventStamp?> StampAsync(long eventId, Actor actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StampRow>(new CommandDefinition(
            """
            SELECT grid_code AS GridCode, department AS Department, unit_division AS UnitDivision, reporter_user AS ReporterUser,
                   revision AS Revision, state AS State, overdue AS Overdue, handle_due AS HandleDue, reopen_until AS ReopenUntil,
                   (SELECT MAX(seq) FROM event_timeline t WHERE t.event_id = e.event_id) AS LastEntry
            FROM event e WHERE event_id = @eventId
            """,
            new { eventId }, cancellationToken: cancellationToken));
        return row is not null && await MaySeeAsync(connection, eventId, actor, row.GridCode, row.Department, row.UnitDivision, row.ReporterUser, cancellationToken)
            ? new EventStamp(row.Revision, (int)(row.LastEntry ?? 0), row.State, row.Overdue != 0, Instant.ParseOrNull(row.HandleDue), Instant.ParseOrNull(row.ReopenUntil))
            : null;
    }

    /// <summary>The event a reporter follows by its token: what they may know, without anyone else's names.</summary>
    public async Task<long?> FindByTokenAsync(string token, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT event_id FROM event WHERE token = @token", new { token }, cancellationToken: cancellationToken));
    }

    /// <summary>A name shows its first character only: "张**".</summary>
    internal static string? MaskName(string? name) =>
        string.IsNullOrEmpty(name) ? name : string.Concat(name.AsSpan(0, 1), new string('*', Math.Max(1, name.Length - 1)));

    /// <summary>
    /// Whether <paramref name="actor"/> may see the event, by the same rule as <see cref="GetAsync"/>, reading only what
    /// the rule needs (for a photo, which must not cost a whole view).
    /// </summary>
    public async Task<bool> MaySeeAsync(long eventId, Actor actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var e = await connection.QuerySingleOrDefaultAsync<(string GridCode, string? Department, string? UnitDivision, string? ReporterUser)?>(new CommandDefinition(
            "SELECT grid_code, department, unit_division, reporter_user FROM event WHERE event_id = @eventId", new { eventId }, cancellationToken: cancellationToken));
        return e is { } found
            && await MaySeeAsync(connection, eventId, actor, found.GridCode, found.Department, found.UnitDivision, found.ReporterUser, cancellationToken);
    }

    // The joint units are read only when nothing else lets the actor see the event and they have a department to be one
    // of them: most readers (the place's grid worker, dispatcher, supervisor, the lead unit) cost no second read.
    private static async Task<bool> MaySeeAsync(
        DbConnection connection, long eventId, Actor actor, string gridCode, string? department, string? unitDivision, string? reporterUser,
        CancellationToken cancellationToken) =>
        MaySee(actor, gridCode, department, unitDivision, reporterUser, [])
        || (actor.Department is not null
            && MaySee(actor, gridCode, department, unitDivision, reporterUser, await EventRows.JointUnitsAsync(connection, null, eventId, cancellationToken)));

    private static bool MaySee(
        Actor actor, string gridCode, string? department, string? unitDivision, string? reporterUser,
        IReadOnlyList<(string Department, string Division)> joint) =>
        actor.Kind == ActorKind.System
        || actor.Covers(gridCode)
        || (unitDivision is { } division && actor.Department == department && actor.Covers(division))
        || joint.Any(j => actor.Department == j.Department && actor.Covers(j.Division))
        || (reporterUser is { } reporter && reporter == actor.Name);

    private sealed record QueueRow(
        long EventId, string ClassCode, string Kind, string Urgency, string State, string Description, string GridCode, string? Level,
        string? Department, string? UnitDivision, string ReportedAt, string? AcceptDue, string? HandleDue, long Overdue, long? PossibleDuplicateOf, long Revision)
    {
        public QueueItem ToItem() => new(
            EventId, ClassCode, Kind, Urgency, State, Description, GridCode, Level, Department, UnitDivision, Instant.Parse(ReportedAt),
            Instant.ParseOrNull(AcceptDue), Instant.ParseOrNull(HandleDue), Overdue != 0, PossibleDuplicateOf, Revision);
    }

    private sealed record EventRowFull(
        long EventId, string Token, string Channel, string ClassCode, long CatalogueVersion, string Kind, string Urgency, string State,
        string Description, string? Address, double Lat, double Lon, string GridCode, string? Attributes, string? ReporterName,
        string? ReporterPhone, string? ReporterUser, string ReportedAt, string? Level, string? Department, string? UnitDivision,
        string? AcceptDue, string? HandleDue, long Overdue, string? HandledBy, string? Result, string? ClosedAt, long? Satisfaction,
        string? ReopenUntil, long? DuplicateOf, long? PossibleDuplicateOf, long Revision);

    private sealed record StampRow(
        string GridCode, string? Department, string? UnitDivision, string? ReporterUser, long Revision, string State, long Overdue,
        string? HandleDue, string? ReopenUntil, long? LastEntry);

    private sealed record TimelineRow(long Seq, string At, string Actor, string Action, string? FromState, string ToState, string? Reason, string? Detail);

    private sealed record AssignmentRow(
        long AssignmentId, string Level, string Department, string DivisionCode, long Joint, string AssignedAt, string AcceptDue,
        string? AcceptedAt, string HandleDue, string? HandledAt, long Overdue, string? Outcome, string? EndedAt)
    {
        public AssignmentView ToView() => new(
            AssignmentId, Level, Department, DivisionCode, Joint != 0, Instant.Parse(AssignedAt), Instant.Parse(AcceptDue),
            Instant.ParseOrNull(AcceptedAt), Instant.Parse(HandleDue), Instant.ParseOrNull(HandledAt), Overdue != 0, Outcome, Instant.ParseOrNull(EndedAt));
    }

    private sealed record OrderRow(
        long OrderId, long EventId, string OpenedBy, string OpenedAt, string Instruction, string DueAt, string? AnsweredBy,
        string? AnsweredAt, string? Answer, long Overdue)
    {
        public SupervisionOrder ToOrder() => new(
            OrderId, EventId, OpenedBy, Instant.Parse(OpenedAt), Instruction, Instant.Parse(DueAt), AnsweredBy,
            Instant.ParseOrNull(AnsweredAt), Answer, Overdue != 0);
    }
}
