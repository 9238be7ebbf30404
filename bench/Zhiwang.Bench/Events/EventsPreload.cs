using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Dispatch;
using Zhiwang.Storage;

namespace Zhiwang.Bench.Events;

/// <summary>
/// Events stored straight into PostgreSQL with binary COPY (event, event_assignment, event_timeline, event_timer), shaped
/// as years of intake leave them: 98% closed (seven timeline entries from report to close, the assignment ended, no
/// timers), 2% open and dispatched with their four timers spread over the next 30 days. Loaded in chunks, each one
/// transaction over the four tables, so a load cut off leaves whole events only, and a re-run tops the table up to the
/// target instead of loading it again.
/// </summary>
public static class EventsPreload
{
    /// <summary>Events per transaction.</summary>
    private const int Chunk = 25_000;

    /// <summary>
    /// Chunks loaded at once: one COPY keeps one PostgreSQL backend busy (its index updates dominate), so two keep
    /// both cores of the target machine busy.
    /// </summary>
    private const int Streams = 2;

    /// <summary>The share of events still open, with timers pending.</summary>
    private const double OpenShare = 0.02;

    private const string Alphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    /// <summary>Tops <c>event</c> up to <paramref name="target"/> rows; does nothing when it holds as many already.</summary>
    public static async Task EnsureAsync(Database database, ReportMaker maker, long target, CancellationToken cancellationToken)
    {
        var stored = await CountAsync(database, "event", cancellationToken);
        if (stored >= target)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"preload: the database holds {stored:N0} events already (≥ {target:N0}); nothing to load"));
            return;
        }

        var version = await CatalogueVersionAsync(database, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var need = target - stored;
        var chunks = (need + Chunk - 1) / Chunk;
        var times = new PhaseTimes();
        var next = -1L;
        var loaded = 0L;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"preload: {stored:N0} events stored; loading {need:N0} more with binary COPY, {Chunk:N0} per transaction, {Streams} transactions at a time"));

        async Task LoadChunksAsync()
        {
            for (var chunk = Interlocked.Increment(ref next); chunk < chunks; chunk = Interlocked.Increment(ref next))
            {
                var count = (int)Math.Min(Chunk, need - (chunk * Chunk));
                // Seeded by position, so a re-run after a cut-off load draws the same kind of events.
                var random = new Random(unchecked((int)(stored + (chunk * Chunk))));
                await LoadAsync(database, maker, version, count, (_, _) => NextEvent(random, maker, now, "preload"), times, cancellationToken);
                Interlocked.Add(ref loaded, count);
            }
        }

        var loading = Task.WhenAll(Enumerable.Range(0, Streams).Select(_ => Task.Run(LoadChunksAsync, cancellationToken)));
        while (await Task.WhenAny(loading, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken)) != loading)
        {
            var done = Interlocked.Read(ref loaded);
            var rate = done / clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"preload: {stored + done,12:N0} / {target:N0} events  {Bar(done / (double)need)}  {rate:N0} events/s, {(need - done) / Math.Max(1, rate) / 60:F1} min left ({times})"));
        }

        await loading;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var analyzing = Stopwatch.StartNew();
        await connection.ExecuteAsync(new CommandDefinition(
            "ANALYZE event; ANALYZE event_assignment; ANALYZE event_timeline; ANALYZE event_timer", commandTimeout: 0, cancellationToken: cancellationToken));
        var took = clock.Elapsed;
        var size = await SizeAsync(database, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"preload: {need:N0} events in {took.TotalSeconds:F0} s ({need / took.TotalSeconds:N0} events/s; ANALYZE {analyzing.Elapsed.TotalSeconds:F1} s); {size}"));
    }

    /// <summary>
    /// Open, dispatched events of <paramref name="submitter"/> whose acceptance warning falls at the given instants and
    /// whose other timers lie 30 days on: probes for whether the sweep fires each deadline once and on time.
    /// Returns their event ids, in the order of <paramref name="warnings"/>.
    /// </summary>
    public static async Task<IReadOnlyList<long>> ProbesAsync(
        Database database, ReportMaker maker, IReadOnlyList<DateTimeOffset> warnings, string submitter, CancellationToken cancellationToken)
    {
        var version = await CatalogueVersionAsync(database, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var random = new Random(warnings.Count);
        return await LoadAsync(database, maker, version, warnings.Count, (i, _) => NextEvent(random, maker, now, submitter, warnings[i]), null, cancellationToken);
    }

    public static async Task<long> CountAsync(Database database, string table, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table}", commandTimeout: 0, cancellationToken: cancellationToken));
    }

    /// <summary>The on-disk size of the events tables with their indexes.</summary>
    public static async Task<string> SizeAsync(Database database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var sizes = await connection.QueryAsync<(string Table, long Bytes)>(new CommandDefinition(
            """
            SELECT t AS Table, pg_total_relation_size(t::regclass) AS Bytes
            FROM unnest(ARRAY['event', 'event_assignment', 'event_timeline', 'event_timer']) AS t
            """,
            cancellationToken: cancellationToken));
        return "on disk " + string.Join(", ", sizes.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Table} {s.Bytes / 1e9:F2} GB")));
    }

    /// <summary>An event to store: what it is, where, and where it stands.</summary>
    private sealed record Planned(
        string Submitter, string Channel, EventClass Class, ReportMaker.Spot Spot, ResponsibleUnit Unit, int Description,
        DateTimeOffset ReportedAt, bool Open, DateTimeOffset AcceptWarning, DateTimeOffset AcceptDue, DateTimeOffset HandleWarning,
        DateTimeOffset HandleDue, DateTimeOffset AcceptedAt, DateTimeOffset HandledAt, DateTimeOffset VerifiedAt, DateTimeOffset ClosedAt);

    private static Planned NextEvent(Random random, ReportMaker maker, DateTimeOffset now, string submitter, DateTimeOffset? acceptWarning = null)
    {
        var eventClass = maker.Classes[random.Next(maker.Classes.Count)];
        var spot = maker.Spots[random.Next(maker.Spots.Count)];
        var unit = maker.Catalogue.Route(eventClass, eventClass.Urgency, spot.Grid.Code);
        var channel = random.Next(10) switch
        {
            < 6 => "grid_worker",
            < 9 => "hotline",
            _ => "department",
        };
        var open = acceptWarning is not null || random.NextDouble() < OpenShare;
        if (open)
        {
            // Reported over the last 30 days; its deadlines somewhere in the next 30.
            var reported = now - TimeSpan.FromDays(30 * random.NextDouble());
            var warning = acceptWarning ?? now + TimeSpan.FromDays(30 * random.NextDouble());
            var later = acceptWarning is null ? TimeSpan.Zero : TimeSpan.FromDays(30);
            return new Planned(
                $"{submitter}-{channel}", channel, eventClass, spot, unit, random.Next(ReportMaker.Descriptions.Count), reported, true,
                warning, warning + later + TimeSpan.FromMinutes(30), warning + later + TimeSpan.FromDays(1), warning + later + TimeSpan.FromDays(2),
                default, default, default, default);
        }

        // Closed within days of being reported, any time in the last two years.
        var at = now - TimeSpan.FromDays(1 + (729 * random.NextDouble()));
        var accepted = at + TimeSpan.FromMinutes(5 + (115 * random.NextDouble()));
        var handled = accepted + TimeSpan.FromHours(1 + (95 * random.NextDouble()));
        var verified = handled + TimeSpan.FromHours(1 + (23 * random.NextDouble()));
        return new Planned(
            $"{submitter}-{channel}", channel, eventClass, spot, unit, random.Next(ReportMaker.Descriptions.Count), at, false,
            at + TimeSpan.FromMinutes(90), at + TimeSpan.FromHours(2), at + TimeSpan.FromDays(3.75), at + TimeSpan.FromDays(5),
            accepted, handled, verified, verified + TimeSpan.FromMinutes(10 + (50 * random.NextDouble())));
    }

    private static async Task<IReadOnlyList<long>> LoadAsync(
        Database database, ReportMaker maker, int version, int count, Func<int, long, Planned> next, PhaseTimes? times, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Identities reserved in one block; COPY writes them explicitly (it may, into GENERATED ALWAYS columns).
        var firstEvent = await ReserveAsync(connection, "event", "event_id", count, cancellationToken);
        var firstAssignment = await ReserveAsync(connection, "event_assignment", "assignment_id", count, cancellationToken);
        var phase = Stopwatch.StartNew();
        var events = new Planned[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = next(i, firstEvent + i);
        }

        var attributes = maker.Classes.ToDictionary(c => c.Code, c => JsonSerializer.Serialize(SampleAttributes.Required(c)), StringComparer.Ordinal);
        var tokens = new Random();
        // The rows are written with Npgsql's synchronous Write: they only fill its buffer, and an await per value
        // (~130 values an event) cost more CPU than PostgreSQL spent storing them.
        times?.Add("plan", phase);
        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY event (event_id, token, submitter, channel, class_code, catalogue_version, kind, urgency, state, description, address,
                        lat, lon, grid_code, community_code, district_code, attributes, reporter_name, reporter_phone, reported_at,
                        level, department, unit_division, accept_due, handle_due, handled_by, result, closed_at, satisfaction,
                        reopen_until, revision, updated_at) FROM STDIN (FORMAT BINARY)
            """,
            cancellationToken))
        {
            for (var i = 0; i < count; i++)
            {
                var e = events[i];
                copy.StartRow();
                copy.Write(firstEvent + i, NpgsqlDbType.Bigint);
                copy.Write(Token(tokens), NpgsqlDbType.Text);
                copy.Write(e.Submitter, NpgsqlDbType.Text);
                copy.Write(e.Channel, NpgsqlDbType.Text);
                copy.Write(e.Class.Code, NpgsqlDbType.Text);
                copy.Write((long)version, NpgsqlDbType.Bigint);
                copy.Write(e.Class.Kind == EventKind.Dispute ? "dispute" : "hazard", NpgsqlDbType.Text);
                copy.Write(e.Class.Urgency.ToString().ToLowerInvariant(), NpgsqlDbType.Text);
                copy.Write(e.Open ? "dispatched" : "closed", NpgsqlDbType.Text);
                copy.Write(ReportMaker.Descriptions[e.Description], NpgsqlDbType.Text);
                copy.Write("深圳市某小区3栋", NpgsqlDbType.Text);
                copy.Write(e.Spot.Lat, NpgsqlDbType.Double);
                copy.Write(e.Spot.Lon, NpgsqlDbType.Double);
                copy.Write(e.Spot.Grid.Code, NpgsqlDbType.Text);
                copy.Write(e.Spot.Grid.CommunityCode, NpgsqlDbType.Text);
                copy.Write(e.Spot.Grid.DistrictCode, NpgsqlDbType.Text);
                copy.Write(attributes[e.Class.Code], NpgsqlDbType.Text);
                WriteTextOrNull(copy, e.Channel == "hotline" ? "李四" : null);
                WriteTextOrNull(copy, e.Channel == "hotline" ? "13900139000" : null);
                copy.Write(Instant(e.ReportedAt), NpgsqlDbType.Text);
                copy.Write(e.Unit.Level.ToString().ToLowerInvariant(), NpgsqlDbType.Text);
                copy.Write(e.Unit.Department, NpgsqlDbType.Text);
                copy.Write(e.Unit.DivisionCode, NpgsqlDbType.Text);
                copy.Write(Instant(e.AcceptDue), NpgsqlDbType.Text);
                copy.Write(Instant(e.HandleDue), NpgsqlDbType.Text);
                WriteTextOrNull(copy, e.Open ? null : "handler-" + e.Unit.Department);
                WriteTextOrNull(copy, e.Open ? null : "已处理完毕，现场恢复正常。");
                WriteTextOrNull(copy, e.Open ? null : Instant(e.ClosedAt));
                if (e.Open)
                {
                    copy.WriteNull();
                }
                else
                {
                    copy.Write(5L, NpgsqlDbType.Bigint);
                }

                WriteTextOrNull(copy, e.Open ? null : Instant(e.ClosedAt + TimeSpan.FromDays(7)));
                copy.Write(e.Open ? 3L : 7L, NpgsqlDbType.Bigint);
                copy.Write(Instant(e.Open ? e.ReportedAt : e.ClosedAt), NpgsqlDbType.Text);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        times?.Add("event", phase);
        await using (var copy = await connection.BeginBinaryImportAsync(
            """
            COPY event_assignment (assignment_id, event_id, level, department, division_code, joint, assigned_at, accept_due,
                                   accepted_at, handle_due, handled_at, overdue, outcome, ended_at) FROM STDIN (FORMAT BINARY)
            """,
            cancellationToken))
        {
            for (var i = 0; i < count; i++)
            {
                var e = events[i];
                copy.StartRow();
                copy.Write(firstAssignment + i, NpgsqlDbType.Bigint);
                copy.Write(firstEvent + i, NpgsqlDbType.Bigint);
                copy.Write(e.Unit.Level.ToString().ToLowerInvariant(), NpgsqlDbType.Text);
                copy.Write(e.Unit.Department, NpgsqlDbType.Text);
                copy.Write(e.Unit.DivisionCode, NpgsqlDbType.Text);
                copy.Write(0L, NpgsqlDbType.Bigint);
                copy.Write(Instant(e.ReportedAt), NpgsqlDbType.Text);
                copy.Write(Instant(e.AcceptDue), NpgsqlDbType.Text);
                WriteTextOrNull(copy, e.Open ? null : Instant(e.AcceptedAt));
                copy.Write(Instant(e.HandleDue), NpgsqlDbType.Text);
                WriteTextOrNull(copy, e.Open ? null : Instant(e.HandledAt));
                copy.Write(0L, NpgsqlDbType.Bigint);
                WriteTextOrNull(copy, e.Open ? null : "closed");
                WriteTextOrNull(copy, e.Open ? null : Instant(e.ClosedAt));
            }

            await copy.CompleteAsync(cancellationToken);
        }

        times?.Add("event_assignment", phase);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY event_timeline (event_id, seq, at, actor, action, from_state, to_state, reason, detail) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            for (var i = 0; i < count; i++)
            {
                var e = events[i];
                var id = firstEvent + i;
                var at = Instant(e.ReportedAt);
                var plan = new UnitPlan(e.Unit, e.ReportedAt, e.AcceptDue, e.HandleDue, e.AcceptWarning, e.HandleWarning);
                var report = JsonSerializer.Serialize(new { channel = e.Channel, @class = e.Class.Code, catalogue = version, possibleDuplicateOf = (long?)null });
                Timeline(copy, id, 1, at, e.Submitter, "report", null, "reported", null, report);
                Timeline(copy, id, 2, at, "system", "accept", "reported", "accepted", null, null);
                Timeline(copy, id, 3, at, "system", "dispatch", "accepted", "dispatched", e.Unit.Rule?.Why, Timers.DispatchDetail(plan));
                if (e.Open)
                {
                    continue;
                }

                var handler = "handler-" + e.Unit.Department;
                Timeline(copy, id, 4, Instant(e.AcceptedAt), handler, "take", "dispatched", "in_handling", null, null);
                Timeline(copy, id, 5, Instant(e.HandledAt), handler, "handle", "in_handling", "handled", "已处理完毕，现场恢复正常。", null);
                Timeline(copy, id, 6, Instant(e.VerifiedAt), "grid-worker", "verify", "handled", "verified", "现场核实属实", null);
                Timeline(copy, id, 7, Instant(e.ClosedAt), "dispatcher", "close", "verified", "closed", null, null);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        times?.Add("event_timeline", phase);
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY event_timer (event_id, timer, ref_id, fire_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < count; i++)
            {
                var e = events[i];
                if (!e.Open)
                {
                    continue;
                }

                // As intake leaves them: the two warnings; each sets its deadline's timer when it fires.
                foreach (var (timer, fireAt) in new[] { (Timers.AcceptWarning, e.AcceptWarning), (Timers.HandleWarning, e.HandleWarning) })
                {
                    copy.StartRow();
                    copy.Write(firstEvent + i, NpgsqlDbType.Bigint);
                    copy.Write(timer, NpgsqlDbType.Text);
                    copy.Write(firstAssignment + i, NpgsqlDbType.Bigint);
                    copy.Write(Instant(fireAt), NpgsqlDbType.Text);
                }
            }

            await copy.CompleteAsync(cancellationToken);
        }

        times?.Add("event_timer", phase);
        await transaction.CommitAsync(cancellationToken);
        times?.Add("commit", phase);
        return Enumerable.Range(0, count).Select(i => firstEvent + i).ToList();
    }

    /// <summary>Where a load's time goes: planning the rows, each table's COPY (with its index updates), the commit.</summary>
    private sealed class PhaseTimes
    {
        private readonly Dictionary<string, TimeSpan> _spent = new(StringComparer.Ordinal);

        /// <summary>Adds the time since <paramref name="clock"/> was last restarted to <paramref name="phase"/>, and restarts it.</summary>
        private readonly Lock _lock = new();

        public void Add(string phase, Stopwatch clock)
        {
            lock (_lock)
            {
                _spent[phase] = _spent.GetValueOrDefault(phase) + clock.Elapsed;
            }

            clock.Restart();
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return "seconds summed over the streams: "
                    + string.Join(", ", _spent.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value.TotalSeconds:F0}")));
            }
        }
    }

    private static void Timeline(
        NpgsqlBinaryImporter copy, long eventId, long seq, string at, string actor, string action, string? from, string to, string? reason, string? detail)
    {
        copy.StartRow();
        copy.Write(eventId, NpgsqlDbType.Bigint);
        copy.Write(seq, NpgsqlDbType.Bigint);
        copy.Write(at, NpgsqlDbType.Text);
        copy.Write(actor, NpgsqlDbType.Text);
        copy.Write(action, NpgsqlDbType.Text);
        WriteTextOrNull(copy, from);
        copy.Write(to, NpgsqlDbType.Text);
        WriteTextOrNull(copy, reason);
        WriteTextOrNull(copy, detail);
    }

    private static void WriteTextOrNull(NpgsqlBinaryImporter copy, string? value)
    {
        if (value is null)
        {
            copy.WriteNull();
        }
        else
        {
            copy.Write(value, NpgsqlDbType.Text);
        }
    }

    private static async Task<long> ReserveAsync(NpgsqlConnection connection, string table, string column, int count, CancellationToken cancellationToken)
    {
        var first = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT nextval(pg_get_serial_sequence(@table, @column))", new { table, column }, cancellationToken: cancellationToken));
        if (count > 1)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT setval(pg_get_serial_sequence(@table, @column), @last)", new { table, column, last = first + count - 1 }, cancellationToken: cancellationToken));
        }

        return first;
    }

    /// <summary>The newest catalogue version, saving the built-in one first on a fresh database (as the server's start-up does).</summary>
    private static async Task<int> CatalogueVersionAsync(Database database, CancellationToken cancellationToken) =>
        (await EventsBench.CataloguesAsync(database, cancellationToken)).Current.Version;

    /// <summary>As the Events module stores times: UTC text with 100 ns ticks, sortable.</summary>
    public static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Token(Random random) => string.Create(16, random, (span, r) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = Alphabet[r.Next(Alphabet.Length)];
        }
    });

    private static string Bar(double done)
    {
        var filled = (int)Math.Round(Math.Clamp(done, 0, 1) * 30);
        return "[" + new string('#', filled) + new string('.', 30 - filled) + "]";
    }
}
