using System.Diagnostics;
using System.Globalization;
using Dapper;
using Zhiwang.Events.Dispatch;
using Zhiwang.Storage;

namespace Zhiwang.Bench.Events;

/// <summary>
/// Intake under load with the server killed (SIGKILL) at random moments and restarted:
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- events-crash --db CONN [--rate 500] [--seconds 60] [--kills 3]</c>.
/// Clients send each report again with the same Idempotency-Key until it is acknowledged. Probe events whose acceptance
/// warning falls during the run (the server sweeps every <c>--sweep-interval</c> seconds) show whether each deadline
/// fires once and no later than one sweep interval plus the time the server was down. At the end: every acknowledged
/// key stored exactly once under the id it was acknowledged with, nothing stored unacknowledged, no event dispatched
/// twice, every due probe fired once and in time. Prints a PASS or FAIL line per check.
/// </summary>
public static class EventsCrashBench
{
    private const string Usage =
        "--db CONN [--rate 500] [--seconds 60] [--kills 3] [--concurrency 64] [--sweep-interval 5] [--probes 40] [--seed N] [--port 5392] [--server Zhiwang.Server.dll]";

    public static async Task<int> RunAsync(string[] args)
    {
        string[] names = ["--db", "--rate", "--seconds", "--kills", "--concurrency", "--sweep-interval", "--probes", "--seed", "--port", "--server"];
        if (BenchOptions.Parse(args, Usage, names) is not { } given || given.Text("--db") is not { } connectionString)
        {
            Console.Error.WriteLine($"events-crash {Usage}");
            return 2;
        }

        var rate = given.Int("--rate", 500);
        var seconds = given.Int("--seconds", 60);
        var kills = given.Int("--kills", 3);
        var concurrency = given.Int("--concurrency", 64);
        var interval = TimeSpan.FromSeconds(given.Int("--sweep-interval", 5));
        var probeCount = given.Int("--probes", 40);
        var seed = given.Int("--seed", Environment.TickCount);
        var port = given.Int("--port", 5392);
        var dll = ServerProcess.Locate(given.Text("--server"));
        var cancellationToken = CancellationToken.None;

        var database = await EventsBench.OpenAsync(connectionString, cancellationToken);
        var maker = ReportMaker.Create();
        var run = EventsBench.RunId();
        var reporter = await EventsBench.ReporterAsync(database, "bench-crash-" + run, cancellationToken);
        var log = Path.Combine(Path.GetTempPath(), $"zhiwang-evbench-crash-{run}.log");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Zhiwang__Events__Sweep__Interval"] = interval.ToString("c", CultureInfo.InvariantCulture),
        };
        var server = await ServerProcess.StartAsync(dll, connectionString, port, log, settings, cancellationToken);
        try
        {
            var random = new Random(seed);
            var killAt = Enumerable.Range(0, kills)
                .Select(k => TimeSpan.FromSeconds(seconds * (0.1 + (0.8 * (k + 0.2 + (0.6 * random.NextDouble())) / kills))))
                .ToList();
            var now = TimeProvider.System.GetUtcNow();
            var warnings = Enumerable.Range(0, probeCount)
                .Select(i => now + TimeSpan.FromSeconds(2 + ((seconds - 2) * (i + 0.5) / probeCount)))
                .ToList();
            var probes = await EventsPreload.ProbesAsync(database, maker, warnings, "bench-crash-probe-" + run, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server pid {server.Id} ready at {server.Address}, sweeping every {interval.TotalSeconds:F0} s (log {log}); {probeCount} probe warnings due over the run; kills at {string.Join(", ", killAt.Select(t => t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s"))} (seed {seed})"));

            using var http = EventsBench.Http(server.Address, concurrency, TimeSpan.FromSeconds(10));
            var load = new OpenLoopLoad(http, reporter.ApiKey, maker, "k", retryUntilAcknowledged: true);
            var stats = new LoadStats();
            var downtimes = new List<TimeSpan>();
            var peak = 0L;
            var started = Stopwatch.StartNew();
            var offering = load.RunAsync(rate, TimeSpan.FromSeconds(seconds), 0, stats, "crash", TimeSpan.FromSeconds(180), cancellationToken);
            foreach (var at in killAt)
            {
                var wait = at - started.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                peak = Math.Max(peak, server.PeakResidentBytes());
                var inFlight = load.InFlight;
                var pid = server.Id;
                var killedAt = started.Elapsed;
                var down = Stopwatch.StartNew();
                await server.KillAsync();
                await server.DisposeAsync();
                server = await ServerProcess.StartAsync(dll, connectionString, port, log, settings, cancellationToken);
                downtimes.Add(down.Elapsed);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"kill at {killedAt.TotalSeconds:F1} s: pid {pid} killed (SIGKILL) with {inFlight:N0} reports in flight; pid {server.Id} answering again after {down.Elapsed.TotalSeconds:F1} s"));
            }

            await offering;
            var ended = TimeProvider.System.GetUtcNow();
            // Every probe is due by now; one more interval (and a little for the sweep itself) lets the server fire the last.
            await Task.Delay(interval + TimeSpan.FromSeconds(2), cancellationToken);
            peak = Math.Max(peak, server.PeakResidentBytes());
            await server.StopAsync();

            Console.WriteLine(stats.Summary("crash"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{stats.AlreadyReported:N0} reports acknowledged on a retry as already reported (stored before a kill, the answer lost); server peak RSS {peak / 1e6:F0} MB"));
            var stored = await EventsBench.CheckStoredAsync(database, EventsBench.Submitter(reporter), stats.Acknowledged, cancellationToken);
            Console.WriteLine((stats.Conflicts == 0 ? "PASS " : "FAIL ") + string.Create(CultureInfo.InvariantCulture,
                $"a key sent again is answered with the same event ({stats.Conflicts:N0} answered with another)"));
            var finished = stats.Unfinished == 0 && stats.Errors == 0 && stats.Conflicts == 0;
            Console.WriteLine((finished ? "PASS " : "FAIL ") + string.Create(CultureInfo.InvariantCulture,
                $"every report acknowledged in the end ({stats.Unfinished:N0} unfinished, {stats.Errors:N0} refused)"));
            var deadlines = await CheckProbesAsync(database, probes, warnings, ended, interval, downtimes.DefaultIfEmpty().Max(), cancellationToken);
            return stored && finished && deadlines ? 0 : 1;
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>Each probe's warning fired once, and no later than one sweep interval plus the longest time the server was down.</summary>
    private static async Task<bool> CheckProbesAsync(
        Database database, IReadOnlyList<long> probes, IReadOnlyList<DateTimeOffset> warnings, DateTimeOffset ended, TimeSpan interval, TimeSpan downtime,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ProbeRow>(new CommandDefinition(
            """
            SELECT e.event_id AS EventId,
                   (SELECT COUNT(*) FROM event_timer t WHERE t.event_id = e.event_id AND t.timer = @timer) AS Pending,
                   (SELECT COUNT(*) FROM event_timeline l WHERE l.event_id = e.event_id AND l.action = 'warning') AS Warnings,
                   (SELECT MIN(l.at) FROM event_timeline l WHERE l.event_id = e.event_id AND l.action = 'warning') AS FiredAt
            FROM event e WHERE e.event_id = ANY(@probes)
            """,
            new { timer = Timers.AcceptWarning, probes = probes.ToArray() }, cancellationToken: cancellationToken))).ToDictionary(r => r.EventId);

        var bound = interval + downtime + TimeSpan.FromSeconds(1);
        var due = 0;
        var notOnce = 0;
        var late = 0;
        var latest = TimeSpan.Zero;
        for (var i = 0; i < probes.Count; i++)
        {
            if (warnings[i] > ended)
            {
                continue;
            }

            due++;
            var row = rows[probes[i]];
            if (row.Pending != 0 || row.Warnings != 1 || row.FiredAt is null)
            {
                notOnce++;
                continue;
            }

            var lateness = DateTimeOffset.Parse(row.FiredAt, CultureInfo.InvariantCulture) - warnings[i];
            latest = lateness > latest ? lateness : latest;
            late += lateness > bound ? 1 : 0;
        }

        Console.WriteLine((notOnce == 0 ? "PASS " : "FAIL ") + string.Create(CultureInfo.InvariantCulture,
            $"every due probe deadline fired exactly once: {due - notOnce} of {due} ({notOnce} not fired or fired twice)"));
        Console.WriteLine((late == 0 ? "PASS " : "FAIL ") + string.Create(CultureInfo.InvariantCulture,
            $"no deadline fired later than one sweep interval plus the longest outage ({bound.TotalSeconds:F1} s): latest {latest.TotalSeconds:F1} s after it was due"));
        return notOnce == 0 && late == 0;
    }

    private sealed record ProbeRow(long EventId, long Pending, long Warnings, string? FiredAt);
}
