using System.Diagnostics;
using System.Globalization;
using Dapper;
using Zhiwang.Events.Deadlines;
using Zhiwang.Storage;

namespace Zhiwang.Bench.Events;

/// <summary>
/// The deadline sweep with many events stored:
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- events-sweep --db CONN [--preload 10000000] [--due 1000] [--runs 5]</c>.
/// Tops the database up to <c>--preload</c> events (2% open, their timers over the next 30 days), sweeps once to catch up
/// with what came due since, then <c>--runs</c> times: makes <c>--due</c> random pending timers due now, times the
/// sweep's own query for what is due (alone, and under EXPLAIN ANALYZE), then the whole <see cref="DeadlineSweep.SweepAsync"/>
/// (warnings on the timeline, breaches, overdue marks, escalations), then a sweep that finds nothing.
/// Target (issue): finding what is due under 100 ms per sweep with 10 M events stored.
/// </summary>
public static class EventsSweepBench
{
    private const string Usage = "--db CONN [--preload 10000000] [--due 1000] [--runs 5]";

    /// <summary><see cref="DeadlineSweep"/>'s query for what is due, as it runs on PostgreSQL.</summary>
    private const string DueSql = """
        SELECT event_id AS EventId, timer AS Timer, ref_id AS RefId, fire_at AS FireAt FROM event_timer
        WHERE fire_at <= @now ORDER BY fire_at LIMIT @chunk FOR UPDATE SKIP LOCKED
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (BenchOptions.Parse(args, Usage, ["--db", "--preload", "--due", "--runs"]) is not { } given || given.Text("--db") is not { } connectionString)
        {
            Console.Error.WriteLine($"events-sweep {Usage}");
            return 2;
        }

        var preload = given.Long("--preload", 10_000_000);
        var due = given.Int("--due", 1_000);
        var runs = given.Int("--runs", 5);
        var cancellationToken = CancellationToken.None;

        var database = await EventsBench.OpenAsync(connectionString, cancellationToken);
        await EventsPreload.EnsureAsync(database, ReportMaker.Create(), preload, cancellationToken);
        var catalogues = await EventsBench.CataloguesAsync(database, cancellationToken);
        var options = new SweepOptions();
        var sweep = EventsBench.Sweep(database, catalogues, options);

        var events = await EventsPreload.CountAsync(database, "event", cancellationToken);
        var timers = await EventsPreload.CountAsync(database, "event_timer", cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{events:N0} events, {timers:N0} pending timers in {database.Description}; the sweep takes {options.Chunk} timers per transaction"));
        var catchUp = Stopwatch.StartNew();
        var caught = await sweep.SweepAsync(cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"catch-up sweep (timers that came due since the load): {Describe(caught)} in {catchUp.Elapsed.TotalMilliseconds:F0} ms"));

        for (var run = 1; run <= runs; run++)
        {
            var made = await MakeDueAsync(database, due, cancellationToken);
            var finds = new List<double>();
            var found = 0;
            for (var i = 0; i < 3; i++)
            {
                (var ms, found) = await FindDueAsync(database, options.Chunk, cancellationToken);
                finds.Add(ms);
            }

            var plan = await ExplainAsync(database, options.Chunk, cancellationToken);
            if (run == 1)
            {
                Console.WriteLine("EXPLAIN (ANALYZE, BUFFERS) of the sweep's query for what is due:");
                foreach (var line in plan)
                {
                    Console.WriteLine("    " + line);
                }
            }

            var sweeping = Stopwatch.StartNew();
            var result = await sweep.SweepAsync(cancellationToken);
            var full = sweeping.Elapsed.TotalMilliseconds;
            sweeping.Restart();
            var nothing = await sweep.SweepAsync(cancellationToken);
            var empty = sweeping.Elapsed.TotalMilliseconds;
            var execution = plan.FirstOrDefault(l => l.StartsWith("Execution Time", StringComparison.Ordinal)) ?? "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run}: {made:N0} timers made due; find: {string.Join(" / ", finds.Select(f => f.ToString("F1", CultureInfo.InvariantCulture)))} ms for {found:N0} rows (EXPLAIN ANALYZE {execution}); full sweep {full:F0} ms for {Describe(result)} = {full / Math.Max(1, made):F2} ms per timer made due; a sweep with nothing due {empty:F1} ms ({nothing.Total} fired)"));
        }

        var size = await EventsPreload.SizeAsync(database, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load average {File.ReadAllText("/proc/loadavg").Trim()}; {size}"));
        return 0;
    }

    private static string Describe(SweepResult result) => string.Create(CultureInfo.InvariantCulture,
        $"{result.Total:N0} fired ({result.Warnings:N0} warnings, {result.LateAcceptances:N0} late acceptances, {result.Overdue:N0} overdue of which {result.Escalated:N0} escalated, {result.LateSupervisionAnswers:N0} late supervision answers)");

    /// <summary>Sets <paramref name="count"/> random pending timers due within the last 30 s (one sweep interval).</summary>
    private static async Task<int> MakeDueAsync(Database database, int count, CancellationToken cancellationToken)
    {
        var now = TimeProvider.System.GetUtcNow();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE event_timer SET fire_at = to_char((@now::timestamptz - random() * interval '30 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US0"Z"')
            WHERE (event_id, timer, ref_id) IN (SELECT event_id, timer, ref_id FROM event_timer WHERE fire_at > @nowText ORDER BY random() LIMIT @count)
            """,
            new { now, nowText = EventsPreload.Instant(now), count },
            commandTimeout: 0,
            cancellationToken: cancellationToken));
    }

    /// <summary>The sweep's query alone, in a transaction rolled back (so it locks nothing for long): milliseconds and rows.</summary>
    private static async Task<(double Ms, int Rows)> FindDueAsync(Database database, int chunk, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var clock = Stopwatch.StartNew();
        var rows = (await connection.QueryAsync<(long, string, long, string)>(new CommandDefinition(
            DueSql, new { now = EventsPreload.Instant(TimeProvider.System.GetUtcNow()), chunk }, transaction, cancellationToken: cancellationToken))).Count();
        var ms = clock.Elapsed.TotalMilliseconds;
        await transaction.RollbackAsync(cancellationToken);
        return (ms, rows);
    }

    private static async Task<List<string>> ExplainAsync(Database database, int chunk, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var plan = (await connection.QueryAsync<string>(new CommandDefinition(
            "EXPLAIN (ANALYZE, BUFFERS) " + DueSql, new { now = EventsPreload.Instant(TimeProvider.System.GetUtcNow()), chunk }, transaction,
            cancellationToken: cancellationToken))).ToList();
        await transaction.RollbackAsync(cancellationToken);
        return plan;
    }
}
