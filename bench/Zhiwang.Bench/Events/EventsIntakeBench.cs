using System.Diagnostics;
using System.Globalization;
using Zhiwang.Events.Deadlines;

namespace Zhiwang.Bench.Events;

/// <summary>
/// Intake with dispatch over HTTP on PostgreSQL, the real server as a child process:
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- events-intake --db CONN --rate 1000 --seconds 600 [--concurrency 64] [--preload 0]</c>.
/// Tops the database up to <c>--preload</c> events first (binary COPY, kept for later runs), creates a department client
/// allowed to report, starts the server, offers reports at a fixed rate (open loop, <c>--concurrency</c> HTTP
/// connections) after a short warm-up that is not counted (and a sweep of the deadlines that came due since the last
/// run), prints every 10 s and a summary with the server's peak
/// RSS, then checks in the database that every acknowledged report is stored and dispatched once. With
/// <c>--listeners N</c>, N city-wide dispatcher queue pages stay open through the run (<see cref="QueueListeners"/>).
/// Targets (issue): ≥ 1,000 events/s sustained for 10 minutes, p99 &lt; 50 ms, on two cores; the same with 10 M stored.
/// </summary>
public static class EventsIntakeBench
{
    private const string Usage =
        "--db CONN [--rate 1000] [--seconds 600] [--concurrency 64] [--preload 0] [--warmup 10] [--listeners 0] [--port 5391] [--server Zhiwang.Server.dll]";

    public static async Task<int> RunAsync(string[] args)
    {
        if (BenchOptions.Parse(args, Usage, ["--db", "--rate", "--seconds", "--concurrency", "--preload", "--warmup", "--listeners", "--port", "--server"]) is not { } given
            || given.Text("--db") is not { } connectionString)
        {
            Console.Error.WriteLine($"events-intake {Usage}");
            return 2;
        }

        var rate = given.Int("--rate", 1_000);
        var seconds = given.Int("--seconds", 600);
        var concurrency = given.Int("--concurrency", 64);
        var preload = given.Long("--preload", 0);
        var warmup = given.Int("--warmup", 10);
        var listening = given.Int("--listeners", 0);
        var port = given.Int("--port", 5391);
        var dll = ServerProcess.Locate(given.Text("--server"));
        var cancellationToken = CancellationToken.None;

        var database = await EventsBench.OpenAsync(connectionString, cancellationToken);
        var maker = ReportMaker.Create();
        if (preload > 0)
        {
            await EventsPreload.EnsureAsync(database, maker, preload, cancellationToken);
        }

        var stored = await EventsPreload.CountAsync(database, "event", cancellationToken);
        // Deadlines of events stored earlier (by a preload, by the last run) that came due while no server ran: a server
        // running all along would have swept them as they came, so sweep them now rather than inside the measured minutes.
        var catchUp = Stopwatch.StartNew();
        var caught = await EventsBench.Sweep(database, await EventsBench.CataloguesAsync(database, cancellationToken), new SweepOptions())
            .SweepAsync(cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"catch-up sweep before the load: {caught.Total:N0} warnings and deadlines fired in {catchUp.Elapsed.TotalSeconds:F1} s"));

        var run = EventsBench.RunId();
        var reporter = await EventsBench.ReporterAsync(database, "bench-intake-" + run, cancellationToken);
        var log = Path.Combine(Path.GetTempPath(), $"zhiwang-evbench-intake-{run}.log");
        var starting = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(dll, connectionString, port, log, new Dictionary<string, string>(), cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server pid {server.Id} ready at {server.Address} in {starting.Elapsed.TotalSeconds:F1} s ({database.Description}, {stored:N0} events stored; log {log})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"offering {rate:N0} reports/s for {seconds:N0} s on {concurrency} connections as client '{reporter.Client.Name}' ({maker.Classes.Count} classes, {maker.Spots.Count:N0} places)"));

        await using var listeners = await QueueListeners.StartAsync(database, server.Address, listening, run, cancellationToken);
        using var http = EventsBench.Http(server.Address, concurrency, TimeSpan.FromSeconds(60));
        var load = new OpenLoopLoad(http, reporter.ApiKey, maker, "k", retryUntilAcknowledged: false);
        var warming = new LoadStats();
        if (warmup > 0)
        {
            await load.RunAsync(rate, TimeSpan.FromSeconds(warmup), 0, warming, null, TimeSpan.FromSeconds(30), cancellationToken);
            Console.WriteLine(warming.Summary("warm-up (not counted)"));
        }

        var stats = new LoadStats();
        var cpu = CpuShare.Start(server.Id);
        await load.RunAsync(rate, TimeSpan.FromSeconds(seconds), warming.Offered, stats, "intake", TimeSpan.FromSeconds(60), cancellationToken);
        var cpuLine = cpu.Line();
        var listenersLine = listeners.Line();
        var peak = server.PeakResidentBytes();
        await server.StopAsync();

        Console.WriteLine(stats.Summary("intake"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"server peak RSS (VmHWM) {peak / 1e6:F0} MB; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        Console.WriteLine(cpuLine);
        if (listening > 0)
        {
            Console.WriteLine(listenersLine);
        }
        var sustained = stats.Acknowledged.Count >= stats.Offered * 0.999 && stats.Errors == 0 && stats.Unfinished == 0;
        var p99 = stats.Percentile(0.99);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(sustained && p99 < 50 ? "MET" : "NOT MET")} target {rate:N0}/s for {seconds:N0} s with p99 < 50 ms: every report acknowledged {(sustained ? "yes" : "no")}, p99 {p99:F1} ms"));

        var acknowledged = new Dictionary<string, long>(warming.Acknowledged, StringComparer.Ordinal);
        foreach (var (key, eventId) in stats.Acknowledged)
        {
            acknowledged[key] = eventId;
        }

        var checking = Stopwatch.StartNew();
        var allStored = await EventsBench.CheckStoredAsync(database, EventsBench.Submitter(reporter), acknowledged, cancellationToken);
        var checkedIn = checking.Elapsed;
        var size = await EventsPreload.SizeAsync(database, cancellationToken);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"checked {acknowledged.Count:N0} reports in the database in {checkedIn.TotalSeconds:F1} s; {size}"));
        return allStored ? 0 : 1;
    }
}
