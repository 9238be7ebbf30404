using System.Data.Common;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;

namespace Zhiwang.Events.Intake;

/// <summary>What the reporter is told: the event, its state and, when dispatched, the unit and its deadlines.</summary>
public sealed record IntakeReceipt(
    long EventId,
    string Token,
    string State,
    bool AlreadyReported,
    DateTimeOffset ReportedAt,
    string? Level,
    string? Department,
    string? UnitDivision,
    DateTimeOffset? AcceptDue,
    DateTimeOffset? HandleDue,
    long? PossibleDuplicateOf);

public sealed class IntakeOptions
{
    public const string Section = "Zhiwang:Events:Intake";

    /// <summary>Events written in one transaction at most. Under load, reports wait for the commit in progress and share the next.</summary>
    public int MaxBatch { get; set; } = 200;

    /// <summary>
    /// Writers committing batches side by side: while one waits for its commit to reach the disk, another fills the next
    /// batch. The same key sent to two writers at once is still one event (the second waits on the first's unique key).
    /// </summary>
    public int Writers { get; set; } = 2;

    /// <summary>Reports waiting to be written at most; beyond it a submitter waits (back-pressure, not an unbounded queue).</summary>
    public int QueueCapacity { get; set; } = 5_000;

    /// <summary>A report of the same class this near an open one …</summary>
    public double DuplicateRadiusMetres { get; set; } = 200;

    /// <summary>… and this recent is flagged as a likely duplicate of it.</summary>
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>
/// Stores reported events and dispatches them at once (统一分拨). Reports from all requests go through one queue to a
/// writer (two by default, <see cref="IntakeOptions.Writers"/>), which commits whatever has gathered (up to
/// <see cref="IntakeOptions.MaxBatch"/>) in one transaction, then answers each: a report is acknowledged only once its event, its first assignment, its timeline and its deadlines are
/// durable together, so a crash can lose no acknowledged event and can never leave one stored but undispatched.
/// The same submitter's same client key is one event, however often it is sent.
/// </summary>
public sealed class EventIntake : IAsyncDisposable
{
    private readonly Database _database;
    private readonly DispatchPlanner _planner;
    private readonly IGoldenRecords _goldenRecords;
    private readonly TimeProvider _time;
    private readonly IntakeOptions _options;
    private readonly ILogger<EventIntake> _logger;
    private readonly Channel<Pending> _queue;
    private readonly Task[] _writers;
    private readonly FirstStatistics _firstStatistics;

    public EventIntake(
        Database database, DispatchPlanner planner, IGoldenRecords goldenRecords, TimeProvider time, IOptions<IntakeOptions> options, ILogger<EventIntake> logger)
    {
        _database = database;
        _planner = planner;
        _goldenRecords = goldenRecords;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _firstStatistics = new FirstStatistics(database, logger);
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = _options.Writers == 1 });
        _writers = Enumerable.Range(0, Math.Max(1, _options.Writers)).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>
    /// Stores and dispatches <paramref name="report"/>; returns once it is durable. Throws <see cref="ReportRefusedException"/>
    /// when a link names a golden record that does not exist.
    /// </summary>
    public async Task<IntakeReceipt> SubmitAsync(EventReport report, CancellationToken cancellationToken)
    {
        var pending = new Pending(report);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        // The write itself is not cancelled with the request: once queued it completes, so a client that gave up and
        // retries with the same key gets the stored event back.
        return await pending.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_options.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            // Two writers taking the same keys in the same order wait for each other instead of deadlocking.
            batch.Sort((a, b) => string.CompareOrdinal(a.Report.Submitter + "\n" + a.Report.ClientKey, b.Report.Submitter + "\n" + b.Report.ClientKey));

            try
            {
                await WriteKnownAsync(batch);
            }
            catch (Exception e) when (batch.Count > 1 && e is DbException or DatabaseException)
            {
                // One bad report must not fail the others: write each alone, so only it fails.
                _logger.LogWarning(e, "A batch of {Count} events failed to store; storing them one by one", batch.Count);
                foreach (var pending in batch)
                {
                    try
                    {
                        await WriteKnownAsync([pending]);
                    }
                    catch (Exception single)
                    {
                        pending.Done.TrySetException(single);
                    }
                }
            }
            catch (Exception e)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }

    /// <summary>Writes the reports of the batch whose links all exist; the others are refused.</summary>
    private async Task WriteKnownAsync(List<Pending> batch)
    {
        await RefuseUnknownLinksAsync(batch);
        if (batch.Count > 0)
        {
            await WriteAsync(batch);
        }
    }

    /// <summary>
    /// Answers and takes out of the batch every report linking a golden record that does not exist. The whole batch is
    /// asked at once (one query per kind), and a batch without links asks nothing.
    /// </summary>
    private async Task RefuseUnknownLinksAsync(List<Pending> batch)
    {
        var links = batch.SelectMany(p => p.Report.Links).Select(l => (l.Kind, l.GoldenId)).Distinct().ToList();
        if (links.Count == 0)
        {
            return;
        }

        var unknown = await _goldenRecords.UnknownAsync(links, CancellationToken.None);
        if (unknown.Count == 0)
        {
            return;
        }

        batch.RemoveAll(pending =>
        {
            var problems = pending.Report.Links
                .Where(l => unknown.Contains((l.Kind, l.GoldenId)))
                .Select(l => new ReportProblem(l.Field, $"'{l.GoldenId}' is not the golden id of a {l.Kind.Replace('_', ' ')} in the master data hub"))
                .ToList();
            return problems.Count > 0 && pending.Done.TrySetException(new ReportRefusedException(problems));
        });
    }

    private async Task WriteAsync(IReadOnlyList<Pending> batch)
    {
        var now = _time.GetUtcNow();
        await using var connection = await _database.OpenConnectionAsync(CancellationToken.None);
        var (created, repeats) = _database.Provider == DatabaseProvider.PostgreSql
            ? await WriteInOneStatementAsync(connection, batch, now)
            : await WriteInOneTransactionAsync(connection, batch, now);

        foreach (var pending in created)
        {
            var plan = pending.Plan;
            pending.Done.TrySetResult(new IntakeReceipt(
                pending.EventId, pending.Token!, pending.State.Name(), false, now,
                plan is null ? null : CatalogueWords.Name(plan.Unit.Level), plan?.Unit.Department, plan?.Unit.DivisionCode,
                plan?.AcceptDue, plan?.HandleDue, pending.PossibleDuplicateOf));
        }

        foreach (var (pending, receipt) in repeats)
        {
            pending.Done.TrySetResult(receipt);
        }

        _firstStatistics.Stored(created.Count);
    }

    /// <summary>
    /// PostgreSQL: the duplicate check, the events, their assignments, deadline timers, timeline and links are one
    /// statement (a data-modifying <c>WITH</c>, each table's rows as arrays), committed on its own. Intake's latency is
    /// mostly round trips to the database and per-statement work, each round trip a wake-up of two processes on a busy
    /// machine: this way a batch costs one round trip instead of seven. The statement's text is the same for every
    /// batch, so it is prepared once per connection. One statement is atomic: either the whole batch is stored and
    /// dispatched, or none of it.
    /// </summary>
    private async Task<(List<Pending> Created, List<(Pending, IntakeReceipt)> Repeats)> WriteInOneStatementAsync(
        DbConnection connection, IReadOnlyList<Pending> batch, DateTimeOffset now)
    {
        var at = Instant.Format(now);
        // The likely duplicate is found in the statement (below), so the rows go without one.
        var events = EventRows(batch, [], now, at);
        var assignments = AssignmentRows(batch, "token", p => p.Token, at);
        var timers = new MultiRowInsert(_database.Provider, "event_timer", "token", "timer", "fire_at");
        foreach (var pending in batch.Where(p => p.Plan is not null))
        {
            foreach (var (timer, fireAt) in Timers.ForAssignment(pending.Plan!))
            {
                timers.Add(pending.Token, timer, Instant.Format(fireAt));
            }
        }

        var timeline = TimelineRows(batch, "token", p => p.Token, at);
        var links = LinkRows(batch, "token", p => p.Token);

        var parameters = new DynamicParameters(new
        {
            since = Instant.Format(now - _options.DuplicateWindow),
            radius = _options.DuplicateRadiusMetres,
            noDuplicate = NoDuplicate,
            duplicateOf = NoDuplicate[..^"null".Length],
        });
        // The likely duplicate, as LikelyDuplicate decides it: the nearest open event of the same class in the same
        // community, reported within the window and the radius (the same equirectangular distance). The event_nearby
        // index is read only in the cells around the place (migration 0003), a few short ranges per report. The report
        // line's detail was written before the duplicate was known, so it is filled in there too. Rows of the other
        // tables name their event by token; joining them to the events actually inserted leaves out those whose client
        // key was stored before (ON CONFLICT … DO NOTHING).
        const string Distance =
            "sqrt(power(radians(o.lon - r.lon) * cos(radians(o.lat + r.lat) / 2), 2) + power(radians(o.lat - r.lat), 2)) * 6371000";
        var sql = $"""
            WITH e AS (
                INSERT INTO event ({events.ColumnList})
                SELECT {string.Join(", ", events.Columns.Select(c => c == "possible_duplicate_of" ? "d.event_id" : "r." + c))}
                FROM {events.Rowset(parameters, "e", "r")}
                LEFT JOIN LATERAL (
                    SELECT o.event_id FROM event o
                    WHERE o.class_code = r.class_code AND event_cell(o.lat, o.lon) = ANY (event_cells_near(r.lat, r.lon, @radius))
                      AND o.reported_at >= @since AND o.community_code = r.community_code
                      AND o.state NOT IN ('closed', 'rejected') AND {Distance} <= @radius
                    ORDER BY {Distance}, o.event_id
                    LIMIT 1) d ON true
                ON CONFLICT (submitter, client_key) DO NOTHING
                RETURNING event_id, token, possible_duplicate_of),
            a AS ({ChildInsert(assignments, parameters, "a", "RETURNING assignment_id, event_id")}),
            m AS (
                INSERT INTO event_timer (event_id, timer, ref_id, fire_at)
                SELECT e.event_id, r.timer, a.assignment_id, r.fire_at
                FROM {timers.Rowset(parameters, "m", "r")} JOIN e USING (token) JOIN a ON a.event_id = e.event_id),
            t AS (
                INSERT INTO event_timeline (event_id, seq, at, actor, action, from_state, to_state, reason, detail)
                SELECT e.event_id, r.seq, r.at, r.actor, r.action, r.from_state, r.to_state, r.reason,
                       CASE WHEN r.seq = 1 AND e.possible_duplicate_of IS NOT NULL
                            THEN replace(r.detail, @noDuplicate, @duplicateOf || e.possible_duplicate_of)
                            ELSE r.detail END
                FROM {timeline.Rowset(parameters, "t", "r")} JOIN e USING (token)),
            l AS ({ChildInsert(links, parameters, "l", "")})
            SELECT event_id AS EventId, token AS Token, possible_duplicate_of AS PossibleDuplicateOf FROM e
            """;
        var stored = (await connection.QueryAsync<(long EventId, string Token, long? PossibleDuplicateOf)>(new CommandDefinition(sql, parameters))).ToList();
        var created = Created(batch, stored.Select(row => (row.EventId, row.Token)));
        for (var i = 0; i < stored.Count; i++)
        {
            created[i].PossibleDuplicateOf = stored[i].PossibleDuplicateOf; // Created keeps the rows' order
        }

        var repeats = new List<(Pending, IntakeReceipt)>();
        foreach (var pending in batch.Where(p => p.EventId == 0))
        {
            repeats.Add((pending, await StoredAsync(connection, null, pending.Report)));
        }

        return (created, repeats);
    }

    /// <summary><c>INSERT INTO table (event_id, …) SELECT e.event_id, r.… FROM rows JOIN e USING (token) tail</c>.</summary>
    private static string ChildInsert(MultiRowInsert rows, DynamicParameters parameters, string prefix, string tail)
    {
        var columns = rows.Columns.Skip(1).ToList();
        return $"""
            INSERT INTO {rows.Table} (event_id, {string.Join(", ", columns)})
            SELECT e.event_id, {string.Join(", ", columns.Select(c => "r." + c))}
            FROM {rows.Rowset(parameters, prefix, "r")} JOIN e USING (token) {tail}
            """;
    }

    /// <summary>
    /// SQLite: the same rows in one transaction, a statement per table. The database is in the process, so a statement
    /// costs no round trip, and the child rows can name their event by id once the events are inserted.
    /// </summary>
    private async Task<(List<Pending> Created, List<(Pending, IntakeReceipt)> Repeats)> WriteInOneTransactionAsync(
        DbConnection connection, IReadOnlyList<Pending> batch, DateTimeOffset now)
    {
        var at = Instant.Format(now);
        await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
        var nearby = await OpenNearbyAsync(connection, transaction, batch, now);
        var events = EventRows(batch, nearby, now, at);
        var stored = await connection.QueryAsync<(long EventId, string Token)>(
            events.Command(transaction, "ON CONFLICT (submitter, client_key) DO NOTHING RETURNING event_id, token"));
        var created = Created(batch, stored);

        await WriteAssignmentsAsync(connection, transaction, created, at);
        var timeline = TimelineRows(created, "event_id", p => p.EventId, at);
        if (timeline.Rows > 0)
        {
            await connection.ExecuteAsync(timeline.Command(transaction));
        }

        var links = LinkRows(created, "event_id", p => p.EventId);
        if (links.Rows > 0)
        {
            await connection.ExecuteAsync(links.Command(transaction));
        }

        // A key sent before (or twice in this batch) is the event already stored: answer with it.
        var repeats = new List<(Pending, IntakeReceipt)>();
        foreach (var pending in batch.Where(p => p.EventId == 0))
        {
            repeats.Add((pending, await StoredAsync(connection, transaction, pending.Report)));
        }

        await transaction.CommitAsync(CancellationToken.None);
        return (created, repeats);
    }

    /// <summary>Decides each report's token, first state, unit and likely duplicate, and lays out its event row.</summary>
    private MultiRowInsert EventRows(IReadOnlyList<Pending> batch, List<NearbyEvent> nearby, DateTimeOffset now, string at)
    {
        var events = new MultiRowInsert(
            _database.Provider,
            "event",
            "token", "submitter", "client_key", "channel", "class_code", "catalogue_version", "kind", "urgency", "state",
            "description", "address", "lat", "lon", "grid_code", "community_code", "district_code", "attributes",
            "reporter_name", "reporter_phone", "reporter_user", "reported_at", "level", "department", "unit_division",
            "accept_due", "handle_due", "possible_duplicate_of:bigint", "updated_at");
        foreach (var pending in batch)
        {
            var report = pending.Report;
            pending.Token = NewToken(now);
            pending.State = FirstState(report);
            pending.Plan = pending.State == EventState.Dispatched
                ? _planner.Plan(report.Catalogue, report.Class, report.GridCode, now)
                : null;
            pending.PossibleDuplicateOf = LikelyDuplicate(report, nearby);
            var plan = pending.Plan;
            events.Add(
                pending.Token, report.Submitter, report.ClientKey, report.Channel, report.Class.Code, report.Catalogue.Version,
                CatalogueWords.Name(report.Class.Kind), CatalogueWords.Name(report.Class.Urgency), pending.State.Name(),
                report.Description, report.Address, report.Lat, report.Lon, report.GridCode, report.CommunityCode, report.DistrictCode,
                report.AttributesJson, report.ReporterName, report.ReporterPhone, report.ReporterUser, at,
                plan is null ? null : CatalogueWords.Name(plan.Unit.Level), plan?.Unit.Department, plan?.Unit.DivisionCode,
                plan is null ? null : Instant.Format(plan.AcceptDue), plan is null ? null : Instant.Format(plan.HandleDue),
                pending.PossibleDuplicateOf, at);
        }

        return events;
    }

    /// <summary>The reports of the batch that were inserted (not repeats of a stored key), with their new event ids.</summary>
    private static List<Pending> Created(IReadOnlyList<Pending> batch, IEnumerable<(long EventId, string Token)> stored)
    {
        var byToken = batch.ToDictionary(p => p.Token!, StringComparer.Ordinal);
        var created = new List<Pending>(batch.Count);
        foreach (var (eventId, token) in stored)
        {
            var pending = byToken[token];
            pending.EventId = eventId;
            created.Add(pending);
        }

        return created;
    }

    /// <summary>The first assignment of each dispatched report, its event named by <paramref name="key"/>.</summary>
    private MultiRowInsert AssignmentRows(IEnumerable<Pending> pendings, string keyColumn, Func<Pending, object?> key, string at)
    {
        var assignments = new MultiRowInsert(
            _database.Provider,
            "event_assignment", keyColumn, "level", "department", "division_code", "joint:bigint", "assigned_at", "accept_due", "handle_due");
        foreach (var pending in pendings.Where(p => p.Plan is not null))
        {
            var plan = pending.Plan!;
            assignments.Add(
                key(pending), CatalogueWords.Name(plan.Unit.Level), plan.Unit.Department, plan.Unit.DivisionCode, 0L, at,
                Instant.Format(plan.AcceptDue), Instant.Format(plan.HandleDue));
        }

        return assignments;
    }

    private async Task WriteAssignmentsAsync(DbConnection connection, DbTransaction transaction, List<Pending> created, string at)
    {
        var assignments = AssignmentRows(created, "event_id", p => p.EventId, at);
        if (assignments.Rows == 0)
        {
            return;
        }

        var ids = await connection.QueryAsync<(long AssignmentId, long EventId)>(assignments.Command(transaction, "RETURNING assignment_id, event_id"));
        var timers = new MultiRowInsert(_database.Provider, "event_timer", "event_id", "timer", "ref_id", "fire_at");
        var byEvent = created.ToDictionary(p => p.EventId);
        foreach (var (assignmentId, eventId) in ids)
        {
            var plan = byEvent[eventId].Plan!;
            foreach (var (timer, fireAt) in Timers.ForAssignment(plan))
            {
                timers.Add(eventId, timer, assignmentId, Instant.Format(fireAt));
            }
        }

        await connection.ExecuteAsync(timers.Command(transaction));
    }

    /// <summary>Each report's first timeline lines (report; accept and dispatch when the rules did both), its event named by <paramref name="key"/>.</summary>
    private MultiRowInsert TimelineRows(IEnumerable<Pending> pendings, string keyColumn, Func<Pending, object?> key, string at)
    {
        var timeline = new MultiRowInsert(
            _database.Provider, "event_timeline", keyColumn, "seq:bigint", "at", "actor", "action", "from_state", "to_state", "reason", "detail");
        foreach (var pending in pendings)
        {
            var report = pending.Report;
            timeline.Add(key(pending), 1L, at, report.Submitter, "report", null, EventState.Reported.Name(), null,
                ReportDetail(report, pending.PossibleDuplicateOf));
            if (pending.State == EventState.Reported)
            {
                continue;
            }

            timeline.Add(key(pending), 2L, at, Actor.System.Name, EventAction.Accept.Name(), EventState.Reported.Name(), EventState.Accepted.Name(), null, null);
            if (pending.Plan is { } plan)
            {
                timeline.Add(key(pending), 3L, at, Actor.System.Name, EventAction.Dispatch.Name(), EventState.Accepted.Name(), EventState.Dispatched.Name(),
                    plan.Unit.Rule?.Why, Timers.DispatchDetail(plan));
            }
        }

        return timeline;
    }

    /// <summary>The golden records each report links, its event named by <paramref name="key"/>.</summary>
    private MultiRowInsert LinkRows(IEnumerable<Pending> pendings, string keyColumn, Func<Pending, object?> key)
    {
        var links = new MultiRowInsert(_database.Provider, "event_link", keyColumn, "kind", "golden_id");
        foreach (var pending in pendings)
        {
            foreach (var link in pending.Report.Links)
            {
                links.Add(key(pending), link.Kind, link.GoldenId);
            }
        }

        return links;
    }

    /// <summary>
    /// SQLite: open events recent enough to be duplicated, of the same class in the same community as a report of the
    /// batch. Each (class, community) pair is one range of the <c>event_nearby</c> index, so the cost follows the events
    /// near these reports, not every event of the last day. (PostgreSQL asks the same inside its intake statement.)
    /// </summary>
    private async Task<List<NearbyEvent>> OpenNearbyAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<Pending> batch, DateTimeOffset now)
    {
        var parameters = new DynamicParameters();
        parameters.Add("since", Instant.Format(now - _options.DuplicateWindow));
        var pairs = batch.Select(p => (p.Report.Class.Code, p.Report.CommunityCode)).Distinct().ToList();
        var conditions = new List<string>(pairs.Count);
        for (var i = 0; i < pairs.Count; i++)
        {
            conditions.Add($"(e.class_code = @c{i} AND e.community_code = @m{i} AND e.reported_at >= @since)");
            parameters.Add($"c{i}", pairs[i].Code);
            parameters.Add($"m{i}", pairs[i].CommunityCode);
        }

        var query = new CommandDefinition(
            $"""
            SELECT e.event_id AS EventId, e.class_code AS ClassCode, e.community_code AS CommunityCode, e.lat AS Lat, e.lon AS Lon
            FROM event e WHERE ({string.Join(" OR ", conditions)}) AND e.state NOT IN ('closed', 'rejected')
            """,
            parameters, transaction);
        return (await connection.QueryAsync<NearbyEvent>(query)).ToList();
    }

    /// <summary>
    /// The nearest open event of the report's class and community within the radius, among <paramref name="nearby"/>.
    /// PostgreSQL's intake statement applies the same rule in SQL; the duplicate tests run on both providers.
    /// </summary>
    private long? LikelyDuplicate(EventReport report, List<NearbyEvent> nearby)
    {
        long? best = null;
        var bestDistance = double.MaxValue;
        foreach (var other in nearby)
        {
            if (other.ClassCode != report.Class.Code || other.CommunityCode != report.CommunityCode)
            {
                continue;
            }

            var distance = Metres(report.Lat, report.Lon, other.Lat, other.Lon);
            if (distance <= _options.DuplicateRadiusMetres && distance < bestDistance)
            {
                (best, bestDistance) = (other.EventId, distance);
            }
        }

        return best;
    }

    private static async Task<IntakeReceipt> StoredAsync(DbConnection connection, DbTransaction? transaction, EventReport report)
    {
        var row = await connection.QuerySingleAsync<StoredRow>(new CommandDefinition(
            """
            SELECT event_id AS EventId, token AS Token, state AS State, reported_at AS ReportedAt, level AS Level,
                   department AS Department, unit_division AS UnitDivision, accept_due AS AcceptDue, handle_due AS HandleDue,
                   possible_duplicate_of AS PossibleDuplicateOf
            FROM event WHERE submitter = @Submitter AND client_key = @ClientKey
            """,
            new { report.Submitter, report.ClientKey }, transaction));
        return new IntakeReceipt(
            row.EventId, row.Token, row.State, true, Instant.Parse(row.ReportedAt), row.Level, row.Department, row.UnitDivision,
            Instant.ParseOrNull(row.AcceptDue), Instant.ParseOrNull(row.HandleDue), row.PossibleDuplicateOf);
    }

    /// <summary>
    /// How the report line's detail says that no likely duplicate was found (System.Text.Json writes a null member so).
    /// PostgreSQL's intake statement, which finds the duplicate itself, writes the id there instead.
    /// </summary>
    private const string NoDuplicate = "\"possibleDuplicateOf\":null";

    /// <summary>
    /// The report line's detail. A place found from the address says so, with the standard house it matched and how, so a
    /// dispatcher can judge whether the event is where it was placed.
    /// </summary>
    private static string ReportDetail(EventReport report, long? possibleDuplicateOf) => report.PlacedBy is { } placed
        ? JsonSerializer.Serialize(new
        {
            channel = report.Channel, @class = report.Class.Code, catalogue = report.Catalogue.Version, possibleDuplicateOf,
            place = "address", addressMatch = placed.Match, house = placed.HouseCode, building = placed.BuildingCode,
            standardAddress = placed.StandardAddress,
        })
        : JsonSerializer.Serialize(new { channel = report.Channel, @class = report.Class.Code, catalogue = report.Catalogue.Version, possibleDuplicateOf });

    /// <summary>
    /// Online opinion waits for a dispatcher to judge whether it is an event at all; a class of an "other" group waits
    /// for a dispatcher to choose the unit. Everything else is accepted and dispatched by the rules at once.
    /// </summary>
    private static EventState FirstState(EventReport report) =>
        report.Channel == Channels.OnlineOpinion ? EventState.Reported
        : report.Class.Group.StartsWith("other", StringComparison.Ordinal) ? EventState.Accepted
        : EventState.Dispatched;

    /// <summary>Base 32 without look-alikes (no l, o, 0, 1), its characters in ascending order so that text order is number order.</summary>
    private const string TokenDigits = "23456789abcdefghijkmnpqrstuvwxyz";

    private static readonly DateTimeOffset TokenEpoch = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// 22 characters, safe in a URL: six of the second it was issued, then sixteen random (80 bits, unguessable). The
    /// time comes first so that tokens issued together sit together in the token index: a random token sent each insert
    /// to a random page of an index that outgrows memory with millions of events. Six digits of base 32 count seconds
    /// for 34 years, then wrap around, which costs only that locality.
    /// </summary>
    internal static string NewToken(DateTimeOffset now)
    {
        var seconds = (long)(now - TokenEpoch).TotalSeconds & ((1L << 30) - 1);
        Span<char> token = stackalloc char[22];
        for (var i = 5; i >= 0; i--, seconds >>= 5)
        {
            token[i] = TokenDigits[(int)(seconds & 31)];
        }

        RandomNumberGenerator.GetItems(TokenDigits, token[6..]);
        return new string(token);
    }

    private static double Metres(double lat1, double lon1, double lat2, double lon2)
    {
        // Equirectangular: within a few hundred metres its error is far below GPS error.
        const double EarthRadius = 6_371_000;
        var x = (lon2 - lon1) * Math.PI / 180 * Math.Cos((lat1 + lat2) * Math.PI / 360);
        var y = (lat2 - lat1) * Math.PI / 180;
        return Math.Sqrt((x * x) + (y * y)) * EarthRadius;
    }

    private sealed class Pending(EventReport report)
    {
        public EventReport Report { get; } = report;

        public TaskCompletionSource<IntakeReceipt> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string? Token { get; set; }

        public EventState State { get; set; }

        public UnitPlan? Plan { get; set; }

        public long? PossibleDuplicateOf { get; set; }

        public long EventId { get; set; }
    }

    private sealed record NearbyEvent(long EventId, string ClassCode, string CommunityCode, double Lat, double Lon);

    private sealed record StoredRow(
        long EventId, string Token, string State, string ReportedAt, string? Level, string? Department, string? UnitDivision,
        string? AcceptDue, string? HandleDue, long? PossibleDuplicateOf);
}
