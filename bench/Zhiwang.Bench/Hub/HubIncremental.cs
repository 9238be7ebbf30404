using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Zhiwang.Geo;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Submissions;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.Bench.Hub;

/// <summary>
/// The single-record path with a city's golden records loaded:
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- hub-incremental --persons 100000 [--records 2000] [--db CONN]</c>.
/// Imports the city once (SQLite: <c>D/hub-live.db</c>, kept and copied for each run; PostgreSQL: the database --db
/// names, imported when it holds no golden person; each run goes into a copy of it, <c>NAME_run</c>), warms the hub (<see cref="LiveHub"/>), then submits new
/// vaccination records one at a time through <see cref="FeedSubmissions.SubmitAsync"/>, the service the feed API calls:
/// validated, cleansed, stored, linked, the golden records rebuilt and committed. One in ten leaves the child's ID
/// number out, as infants' records do, so the linkage engine decides. Prints the latency percentiles.
/// On SQLite the server's background upkeep runs as in the server (<see cref="SqliteCheckpoints"/>, and the search
/// backlog indexed every second); <c>--no-upkeep</c> leaves it out, so commits checkpoint and index for themselves.
/// Records go back to back unless <c>--rate R</c> offers R a second on a fixed schedule: each record's latency then
/// counts from when it was due, so a record held up by the one before it (or by the upkeep) is charged for the wait.
/// </summary>
public static class HubIncremental
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (BenchOptions.Parse(args, "--persons N [--records K] [--rate R] [--db CONN] [--no-upkeep]", ["--persons", "--records", "--rate", "--db"], "--no-upkeep") is not { } given)
        {
            return 2;
        }

        var persons = given.Int("--persons", 100_000);
        var records = given.Int("--records", 2_000);
        var connection = given.Text("--db");
        var rate = given.Int("--rate", 0);

        var city = BenchCity.DefaultDirectory(persons);
        await BenchCity.EnsureAsync(city, persons, CancellationToken.None);
        var database = await LoadedDatabaseAsync(city, connection);
        var tallies = new CityTallies(database, CityMap.Shenzhen);

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var hub = new LiveHub(database, TimeProvider.System, tallies);
        await hub.WarmUpAsync(CancellationToken.None);
        var warm = clock.Elapsed.TotalSeconds;
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        var golden = await CountAsync(database, "golden_person");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Warm hub: {golden:N0} golden persons loaded from {database.Description} in {warm:F1} s; {held / 1e6:F0} MB held ({held / (double)Math.Max(1, golden):F0} B per golden person)"));

        using var stopUpkeep = new CancellationTokenSource();
        var upkeep = new Upkeep();
        var upkeepRun = given.Flag("--no-upkeep") ? Task.CompletedTask : upkeep.RunAsync(database, hub, stopUpkeep.Token);
        var feed = FeedCatalog.Default.Find("health") ?? throw new InvalidOperationException("no health feed declaration");
        var submissions = new FeedSubmissions(database, TimeProvider.System, hub, new StandardAddressBase(database, TimeProvider.System));
        var doses = Doses(Path.Combine(city, "extracts", "health_vaccination.csv"), records + Warmup);
        var latencies = new List<double>(records);
        var keyless = 0;
        var linkedByEngine = 0;
        var check = new List<(string RecordId, string GoldenId)>();
        var timed = new List<Timed>(records);
        var run = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var first = Stopwatch.GetTimestamp();
        var late = 0;
        for (var i = 0; i < doses.Count; i++)
        {
            var dose = new Dictionary<string, string?>(doses[i], StringComparer.Ordinal)
            {
                ["接种记录编号"] = $"BENCH-{run}-{i:D7}",
                ["接种日期"] = "2026/11/21",
                ["剂次"] = "9",
            };
            if (i % 10 == 0)
            {
                dose["儿童身份证号"] = "";
            }

            var json = JsonSerializer.SerializeToElement(dose);
            // The warm-up goes back to back (its first records are slow while code and pages warm up); the schedule
            // starts with the first timed record.
            if (i == Warmup)
            {
                first = Stopwatch.GetTimestamp();
            }

            var due = rate > 0 && i >= Warmup ? first + (i - Warmup) * Stopwatch.Frequency / rate : Stopwatch.GetTimestamp();
            await WaitUntilAsync(due);
            var started = Stopwatch.GetTimestamp();
            late += i >= Warmup && started - due > Stopwatch.Frequency / 1000 ? 1 : 0;
            var response = await submissions.SubmitAsync(feed, [json], CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(Math.Min(started, due)).TotalMilliseconds;
            var result = response.Results[0];
            if (result.Outcome != SubmissionOutcome.Accepted)
            {
                throw new InvalidOperationException($"record {i}: {result.Outcome} {result.Field} {result.Reason}");
            }

            if (i < Warmup)
            {
                continue;
            }

            latencies.Add(elapsed);
            var child = result.Links.First(l => l.Role == "subject");
            keyless += i % 10 == 0 ? 1 : 0;
            linkedByEngine += child.Method == "engine" ? 1 : 0;
            timed.Add(new Timed(elapsed, started, Stopwatch.GetTimestamp(), child.Method, child.GoldenId));
            if (i % 50 == 0 && child.GoldenId is { } goldenId)
            {
                check.Add((dose["接种记录编号"]!, goldenId));
            }
        }

        await stopUpkeep.CancelAsync();
        await upkeepRun;
        var visible = await VisibleAsync(database, check);
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{latencies.Count:N0} records one at a time, {(rate > 0 ? $"{rate} a second offered ({late:N0} started over 1 ms late)" : "back to back")} ({keyless:N0} without the child's ID number, {linkedByEngine:N0} linked by the engine): p50 {Percentile(latencies, 0.50):F2} ms, p95 {Percentile(latencies, 0.95):F2} ms, p99 {Percentile(latencies, 0.99):F2} ms, max {latencies[^1]:F1} ms; {latencies.Count / (latencies.Sum() / 1000):N0} records/s; {visible}/{check.Count} sampled records in their golden record's lineage; load average {File.ReadAllText("/proc/loadavg").Trim()}"));
        await PrintTailAsync(database, timed, upkeep);
        return 0;
    }

    /// <summary>
    /// What the slowest 1% have in common, beside the rest: how their child was linked, how many mentions the child's
    /// golden record gathers (each one's contribution is read back when the record is rebuilt), and how many ran while
    /// the background upkeep indexed the search backlog or checkpointed.
    /// </summary>
    private static async Task PrintTailAsync(Database database, List<Timed> timed, Upkeep upkeep)
    {
        var ordered = timed.OrderBy(t => t.Ms).ToList();
        var tail = ordered.Skip(ordered.Count - Math.Max(1, ordered.Count / 100)).ToList();
        var middle = ordered.Skip(ordered.Count / 2 - tail.Count / 2).Take(tail.Count).ToList();
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        async Task<string> DescribeAsync(List<Timed> group)
        {
            var mentions = new List<long>();
            foreach (var goldenId in group.Select(t => t.GoldenId).OfType<string>())
            {
                mentions.Add(await connection.ExecuteScalarAsync<long>(
                    "SELECT COUNT(*) FROM record_mention WHERE golden_id = @goldenId", new { goldenId }));
            }

            mentions.Sort();
            return string.Create(CultureInfo.InvariantCulture,
                $"{group.Count} records, {group.Min(t => t.Ms):F1}-{group.Max(t => t.Ms):F1} ms, {group.Count(t => t.Method == "engine")} linked by the engine, mentions of the child's golden record: median {(mentions.Count > 0 ? mentions[mentions.Count / 2] : 0)}, max {(mentions.Count > 0 ? mentions[^1] : 0)}; {group.Count(t => upkeep.Indexing(t))} waited for or ran beside the backlog indexing, {group.Count(t => upkeep.Checkpointing(t))} beside a background checkpoint");
        }

        Console.WriteLine("slowest 1%: " + await DescribeAsync(tail));
        Console.WriteLine("around the median: " + await DescribeAsync(middle));
    }

    /// <summary>One timed record: its latency, when it started and ended (Stopwatch timestamps), how its child was linked.</summary>
    private sealed record Timed(double Ms, long Started, long Ended, string Method, string? GoldenId);

    /// <summary>
    /// What the server runs beside the writes on SQLite (Zhiwang.Server's SqliteCheckpointing and SearchBacklogIndexing):
    /// checkpoints every 250 ms and the search backlog indexed every second. Keeps when each ran, and prints a summary.
    /// </summary>
    private sealed class Upkeep
    {
        private readonly List<(long Started, long Ended)> _indexings = [];
        private readonly List<(long Started, long Ended)> _checkpoints = [];

        public bool Indexing(Timed record) => Overlaps(_indexings, record);

        public bool Checkpointing(Timed record) => Overlaps(_checkpoints, record);

        private static bool Overlaps(List<(long Started, long Ended)> intervals, Timed record)
        {
            lock (intervals)
            {
                return intervals.Exists(i => i.Started < record.Ended && record.Started < i.Ended);
            }
        }

        public async Task RunAsync(Database database, LiveHub hub, CancellationToken stop)
        {
            if (database.Provider != DatabaseProvider.Sqlite)
            {
                return;
            }

            var checkpointTimes = new List<double>();
            var peakLogPages = 0L;
            var checkpoints = SqliteCheckpoints.RunAsync(database, TimeProvider.System, e => Console.Error.WriteLine($"checkpoint failed: {e.Message}"), c =>
            {
                lock (_checkpoints)
                {
                    _checkpoints.Add(EndingNow(c.Took));
                    checkpointTimes.Add(c.Took.TotalMilliseconds);
                    peakLogPages = Math.Max(peakLogPages, c.LogPages);
                }
            }, stop);
            var indexed = 0L;
            var indexingTimes = new List<double>();
            await hub.RunSearchBacklogIndexingAsync(e => Console.Error.WriteLine($"indexing the search backlog failed: {e.Message}"), (rows, took) =>
            {
                lock (_indexings)
                {
                    _indexings.Add(EndingNow(took));
                    indexingTimes.Add(took.TotalMilliseconds);
                    indexed += rows;
                }
            }, stop);

            await checkpoints;
            indexingTimes.Sort();
            checkpointTimes.Sort();
            var log = new FileInfo(database.Description + "-wal");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Background upkeep: the search backlog indexed {indexingTimes.Count:N0} times ({indexed:N0} rows; median {Median(indexingTimes):F1} ms, max {(indexingTimes.Count > 0 ? indexingTimes[^1] : 0):F1} ms, the writer's turn included); {checkpointTimes.Count:N0} checkpoints (median {Median(checkpointTimes):F1} ms, max {(checkpointTimes.Count > 0 ? checkpointTimes[^1] : 0):F1} ms), the log at most {peakLogPages:N0} pages when checkpointed; write-ahead log file {(log.Exists ? log.Length / 1e6 : 0):F1} MB at the end"));
        }

        private static double Median(List<double> sorted) => sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];

        /// <summary>The Stopwatch interval of something that took <paramref name="took"/> and has just ended.</summary>
        private static (long Started, long Ended) EndingNow(TimeSpan took)
        {
            var ended = Stopwatch.GetTimestamp();
            return (ended - (long)(took.TotalSeconds * Stopwatch.Frequency), ended);
        }
    }

    /// <summary>Sleeps to within 2 ms of <paramref name="due"/> (a Stopwatch timestamp), then yields the core until it.</summary>
    private static async Task WaitUntilAsync(long due)
    {
        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
        if (remaining > TimeSpan.FromMilliseconds(2))
        {
            await Task.Delay(remaining - TimeSpan.FromMilliseconds(2));
        }

        while (Stopwatch.GetTimestamp() < due)
        {
            Thread.Yield();
        }
    }

    /// <summary>Records submitted first and not counted: the JIT and the connection pool warm up.</summary>
    private const int Warmup = 100;

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>The extract's rows spread over the whole file, as column → value; <paramref name="count"/> of them.</summary>
    private static List<Dictionary<string, string?>> Doses(string path, int count)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        var rows = lines.Length - 1;
        var step = Math.Max(1, rows / count);
        var doses = new List<Dictionary<string, string?>>(count);

        // A small city has fewer doses than asked for: its children get another dose each round.
        for (var i = 0; doses.Count < count; i++)
        {
            var line = 1 + (int)((long)i * step % rows);
            // The generator writes no quoted commas in this extract.
            var values = lines[line].Split(',');
            doses.Add(header.Select((column, c) => (column, value: c < values.Length ? values[c] : null)).ToDictionary(p => p.column, p => p.value, StringComparer.Ordinal));
        }

        return doses;
    }

    private static async Task<Database> LoadedDatabaseAsync(string city, string? connection)
    {
        Database database;
        if (string.IsNullOrWhiteSpace(connection))
        {
            var kept = Path.Combine(city, "hub-live.db");
            if (!File.Exists(kept))
            {
                // Imported under another name and renamed once complete: an import cut off leaves no half city to reuse.
                var importing = Path.Combine(city, "hub-live-importing.db");
                BenchCity.DeleteSqliteFiles(importing);
                await ImportAsync(Database.Sqlite(importing), city);
                await using (var importingConnection = await Database.Sqlite(importing).OpenConnectionAsync(CancellationToken.None))
                {
                    await importingConnection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
                }

                SqliteConnection.ClearAllPools();
                BenchCity.DeleteSqliteFiles(kept);
                File.Move(importing, kept);
                BenchCity.DeleteSqliteFiles(importing);
            }

            // Each run starts from the same imported city: the records it submits go into a copy, taken once the
            // write-ahead log is folded into the file (a copy of the file alone would miss the log's pages).
            await using (var keptConnection = await Database.Sqlite(kept).OpenConnectionAsync(CancellationToken.None))
            {
                await keptConnection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
            }

            var run = Path.Combine(city, "hub-live-run.db");
            BenchCity.DeleteSqliteFiles(run);

            File.Copy(kept, run);
            // Written through to the disk before the clock starts: otherwise the first checkpoint's sync of the file
            // writes out the whole copy (gigabytes), and the records meanwhile wait for their own syncs.
            using (var copy = new FileStream(run, FileMode.Open, FileAccess.ReadWrite))
            {
                copy.Flush(flushToDisk: true);
            }

            database = Database.Sqlite(run);
            await database.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, CancellationToken.None);
            return database;
        }

        database = Database.FromConnectionString(connection, city);
        await database.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, CancellationToken.None);
        if (await CountAsync(database, "golden_person") == 0)
        {
            await ImportAsync(database, city);
        }

        return await RunCopyAsync(database.ConnectionString);
    }

    /// <summary>
    /// PostgreSQL: each run submits into a copy of the imported database (<c>CREATE DATABASE … TEMPLATE</c>), named after
    /// it with <c>_run</c>, as SQLite's runs do into a copy of the file. Runs into the database itself would each add
    /// their records, and every later run would rebuild golden records with more sources.
    /// </summary>
    private static async Task<Database> RunCopyAsync(string connectionString)
    {
        var imported = new NpgsqlConnectionStringBuilder(connectionString);
        var copy = new NpgsqlConnectionStringBuilder(connectionString) { Database = imported.Database + "_run" };
        // The template may have no other session while it is copied: this process's pooled ones go first.
        NpgsqlConnection.ClearAllPools();
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString))
        {
            await admin.OpenAsync();
            var clock = Stopwatch.StartNew();
            await admin.ExecuteAsync($"DROP DATABASE IF EXISTS \"{copy.Database}\"", commandTimeout: 0);
            // FILE_COPY copies the files; PostgreSQL 15's default (WAL_LOG) would write the whole database through the WAL.
            await admin.ExecuteAsync($"CREATE DATABASE \"{copy.Database}\" TEMPLATE \"{imported.Database}\" STRATEGY = FILE_COPY", commandTimeout: 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Copied {imported.Database} to {copy.Database} for this run in {clock.Elapsed.TotalSeconds:F1} s"));
        }

        // The copy has the template's planner statistics: pg_statistic is copied with the rest of its catalog.
        return Database.PostgreSql(copy.ConnectionString);
    }

    private static async Task ImportAsync(Database database, string city)
    {
        await database.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, CancellationToken.None);
        var clock = Stopwatch.StartNew();
        var summary = await new ExtractImport(database, new CityTallies(database, CityMap.Shenzhen), TimeProvider.System).RunAsync(city, null, null, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Imported the city once: {summary.Batches.Sum(b => b.Rows):N0} department rows in {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private static async Task<long> CountAsync(Database database, string table)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table}");
    }

    /// <summary>How many of the sampled records the golden record they were linked to lists among its sources.</summary>
    private static async Task<int> VisibleAsync(Database database, List<(string RecordId, string GoldenId)> sample)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var visible = 0;
        foreach (var (recordId, goldenId) in sample)
        {
            visible += await connection.ExecuteScalarAsync<long>(
                """
                SELECT COUNT(*) FROM golden_person g
                JOIN record_mention m ON m.golden_id = g.golden_id
                WHERE g.golden_id = @goldenId AND m.department = 'health' AND m.record_id = @recordId AND g.provenance IS NOT NULL
                """,
                new { goldenId, recordId }) > 0 ? 1 : 0;
        }

        return visible;
    }
}
