using System.Diagnostics;
using System.Globalization;
using Dapper;
using Npgsql;
using Zhiwang.Geo;
using Zhiwang.Linkage.Text;
using Zhiwang.MasterData;
using Zhiwang.MasterData.Files;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.Bench.Hub;

/// <summary>
/// How well the hub links a synthetic city's extracts, and how fast it imports them:
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- hub-accuracy --persons 20000 [--out D] [--db CONN]</c>.
/// Builds (or reuses) the city in D, imports D/extracts into a fresh database (a new SQLite file, or a new
/// database on the PostgreSQL server that --db names, dropped afterwards), exports the links and compares them
/// with D/truth: pairwise precision, recall and F1 per kind, and how each kind of noise fared.
/// </summary>
public static class HubAccuracy
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 1 && args[0] == "--read-only")
        {
            return await ReadOnlyAsync(args[1]);
        }

        if (BenchOptions.Parse(args, "--persons N [--out D] [--db CONN]", ["--persons", "--out", "--db"]) is not { } given)
        {
            return 2;
        }

        var persons = given.Int("--persons", 20_000);
        var output = given.Text("--out");
        var connection = given.Text("--db");
        output ??= BenchCity.DefaultDirectory(persons);
        await BenchCity.EnsureAsync(output, persons, CancellationToken.None);

        var (database, drop) = await FreshDatabaseAsync(connection, output);
        try
        {
            await database.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, CancellationToken.None);
            var tallies = new CityTallies(database, CityMap.Shenzhen);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            var filesDone = TimeSpan.Zero;
            var files = new ImmediateProgress<ExtractProgress>(p => filesDone = p.Done ? stopwatch.Elapsed : filesDone);
            var summary = await new ExtractImport(database, tallies, TimeProvider.System).RunAsync(output, files, null, CancellationToken.None);
            var seconds = stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  registry and {summary.Batches.Count} files read, stored and linked by key: {filesDone.TotalSeconds:F1} s"));
            foreach (var stage in summary.Golden.Stages)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage.Name}: {stage.Elapsed.TotalSeconds:F1} s"));
            }

            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            var rows = summary.Batches.Sum(b => b.Rows);
            // The machine is shared: CPU seconds of this process say what the import costs whatever else runs beside it.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported {rows:N0} department rows into {database.Description} in {seconds:F1} s: {rows / seconds:N0} records/s (registry load included); {cpu:F1} CPU-seconds in this process; peak memory {process.PeakWorkingSet64 / 1e9:F2} GB (import alone); load average {File.ReadAllText("/proc/loadavg").Trim()}"));

            var linksFile = Path.Combine(output, "links.csv");
            await using (var writer = new StreamWriter(linksFile) { NewLine = "\n" })
            {
                await new LinkExport(database).WriteAsync(writer, CancellationToken.None);
            }

            var fields = await MentionFieldsAsync(database);
            Score(output, linksFile, fields);
            return 0;
        }
        finally
        {
            await drop();
        }
    }

    /// <summary>Reading and cleansing alone (the intake's share of an import), for comparison with the whole import.</summary>
    private static async Task<int> ReadOnlyAsync(string city)
    {
        var addresses = Zhiwang.MasterData.Intake.AddressIndex.FromHousesCsv(Path.Combine(city, "houses.csv"));
        var stopwatch = Stopwatch.StartNew();
        long rows = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(city, "extracts")))
        {
            var feed = Zhiwang.MasterData.Intake.FeedCatalog.Default.Match(file);
            if (feed is null)
            {
                continue;
            }

            await foreach (var row in Zhiwang.MasterData.Intake.FeedReader.ReadAsync(feed, file, addresses, CancellationToken.None))
            {
                rows += row.Record is null ? 0 : 1;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Read {rows:N0} records in {stopwatch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    private static async Task<(Database Database, Func<Task> Drop)> FreshDatabaseAsync(string? connection, string output)
    {
        if (string.IsNullOrWhiteSpace(connection))
        {
            var path = Path.Combine(output, "hub-bench.db");
            BenchCity.DeleteSqliteFiles(path);

            return (Database.Sqlite(path), () => Task.CompletedTask);
        }

        var admin = Database.FromConnectionString(connection, output);
        if (admin.Provider != DatabaseProvider.PostgreSql)
        {
            return (admin, () => Task.CompletedTask);
        }

        var name = "zw_hub_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var c = new NpgsqlConnection(admin.ConnectionString))
        {
            await c.OpenAsync();
            await c.ExecuteAsync($"CREATE DATABASE {name}");
        }

        var builder = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = name };
        return (Database.PostgreSql(builder.ConnectionString), async () =>
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(admin.ConnectionString);
            await c.OpenAsync();
            await c.ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        });
    }

    /// <summary>The hub fields and raw values of every latest mention, by export line key (department, record_id[#role], kind).</summary>
    private static async Task<Dictionary<(string, string, char), (Dictionary<string, string?> Fields, string Raw)>> MentionFieldsAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(string Department, string RecordId, string Role, string Kind, string Fields, string Raw)>(
            """
            SELECT m.department, m.record_id, m.role, m.kind, m.fields, s.raw_values
            FROM record_mention m JOIN source_record s ON s.department = m.department AND s.record_id = m.record_id AND s.version = m.version
            """,
            commandTimeout: 0);
        var result = new Dictionary<(string, string, char), (Dictionary<string, string?>, string)>();
        foreach (var row in rows)
        {
            var id = row.Role == LinkExport.SubjectRole ? row.RecordId : row.RecordId + "#" + row.Role;
            var kind = row.Kind switch { "person" => 'P', "legal_entity" => 'E', _ => 'H' };
            result[(row.Department, id, kind)] = (System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string?>>(row.Fields) ?? [], row.Raw);
        }

        return result;
    }

    private static void Score(string city, string linksFile, Dictionary<(string, string, char), (Dictionary<string, string?> Fields, string Raw)> fields)
    {
        var truth = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(city, "truth"), "*.csv"))
        {
            using var csv = new CsvRecordReader(file, System.Text.Encoding.UTF8);
            csv.ReadHeader();
            var header = csv.Header.ToArray();
            while (csv.Read())
            {
                var row = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length; i++)
                {
                    row[header[i]] = csv.Field(i) ?? "";
                }

                truth[row["record_id"]] = row;
            }
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var csv = new CsvRecordReader(Path.Combine(city, "persons.csv"), System.Text.Encoding.UTF8))
        {
            csv.ReadHeader();
            var id = csv.IndexOf("id_number");
            var name = csv.IndexOf("name");
            while (csv.Read())
            {
                names[csv.Field(id)!] = csv.Field(name)!;
            }
        }

        // (kind) → list of (truth entity, golden id, noise classes)
        var mentions = new Dictionary<char, List<(string Truth, string Golden, string[] Noise)>> { ['P'] = [], ['E'] = [], ['H'] = [] };
        var unlinked = 0;
        var noTruth = 0;
        var seenPerDepartment = new Dictionary<(string, char, string), int>();
        var parsed = new List<(string Department, string Line, char Kind, string Golden, string TruthKey, Dictionary<string, string>? Row)>();
        foreach (var line in File.ReadLines(linksFile).Skip(1))
        {
            var parts = line.Split(',');
            var (department, recordLine, golden) = (parts[0], parts[1], parts[2]);
            if (golden.Length == 0)
            {
                unlinked++;
                continue;
            }

            var kind = golden[0];
            var hash = recordLine.IndexOf('#', StringComparison.Ordinal);
            var recordId = hash < 0 ? recordLine : recordLine[..hash];
            if (!truth.TryGetValue(recordId, out var row))
            {
                noTruth++;
                continue;
            }

            var truthKey = kind switch
            {
                'P' => hash < 0 ? row["id_number"] : row["related_id_number"],
                'E' => row["credit_code"],
                _ => row["house_code"],
            };
            if (truthKey.Length == 0)
            {
                noTruth++;
                continue;
            }

            var roleKey = (department, kind, recordLine[(hash < 0 ? recordLine.Length : hash)..] + "|" + truthKey);
            seenPerDepartment[roleKey] = seenPerDepartment.GetValueOrDefault(roleKey) + 1;
            parsed.Add((department, recordLine, kind, golden, truthKey, row));
        }

        foreach (var (department, recordLine, kind, golden, truthKey, row) in parsed)
        {
            var hash = recordLine.IndexOf('#', StringComparison.Ordinal);
            var roleKey = (department, kind, recordLine[(hash < 0 ? recordLine.Length : hash)..] + "|" + truthKey);
            var noise = Classify(kind, truthKey, row!, fields.GetValueOrDefault((department, recordLine, kind)), names, seenPerDepartment[roleKey] > 1);
            mentions[kind].Add((truthKey, golden, noise));
        }

        Console.WriteLine($"{unlinked:N0} mentions unlinked, {noTruth:N0} without a truth value (not scored)");
        Console.WriteLine("kind           mentions   precision      recall          F1");
        foreach (var (kind, list) in mentions)
        {
            var (precision, recall, f1) = Pairwise(list.Select(m => (m.Truth, m.Golden)).ToList());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{KindName(kind),-12}{list.Count,11:N0}{precision,12:F4}{recall,12:F4}{f1,12:F4}"));
        }

        Console.WriteLine();
        Console.WriteLine("noise (persons and entities)   mentions   linked right   share");
        foreach (var kind in new[] { 'P', 'E' })
        {
            var list = mentions[kind];
            var majorityGolden = list.GroupBy(m => m.Truth).ToDictionary(g => g.Key, g => g.GroupBy(m => m.Golden).MaxBy(x => x.Count())!.Key);
            var majorityTruth = list.GroupBy(m => m.Golden).ToDictionary(g => g.Key, g => g.GroupBy(m => m.Truth).MaxBy(x => x.Count())!.Key);
            foreach (var noise in list.SelectMany(m => m.Noise).Distinct().Order(StringComparer.Ordinal))
            {
                var withNoise = list.Where(m => m.Noise.Contains(noise)).ToList();
                var right = withNoise.Count(m => majorityGolden[m.Truth] == m.Golden && majorityTruth[m.Golden] == m.Truth);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{KindName(kind) + ": " + noise,-30}{withNoise.Count,10:N0}{right,15:N0}{(double)right / withNoise.Count,9:P2}"));
            }
        }
    }

    private static string[] Classify(char kind, string truthKey, Dictionary<string, string> row, (Dictionary<string, string?> Fields, string Raw) mention, Dictionary<string, string> names, bool repeated)
    {
        var noise = new List<string>();
        var fields = mention.Fields ?? [];
        var keyField = kind == 'P' ? "id_number" : kind == 'E' ? "credit_code" : "house_code";
        var key = fields.GetValueOrDefault(keyField);
        if (kind == 'E' && string.IsNullOrEmpty(key))
        {
            key = fields.GetValueOrDefault("id_number");
        }

        if (string.IsNullOrEmpty(key))
        {
            noise.Add("key missing");
        }
        else if (IdNumberSimilarity.Fold(key) != truthKey)
        {
            noise.Add(kind == 'P'
                ? IdNumberSimilarity.Compare(key, truthKey) switch
                {
                    IdNumberRelation.WrongCheckCharacter => "key wrong check",
                    IdNumberRelation.AdjacentTransposition => "key transposition",
                    IdNumberRelation.OneDigitMissing => "key missing digit",
                    IdNumberRelation.OneDigitTypo => "key typo",
                    _ => "key different",
                }
                : "key mistyped");
        }

        if (mention.Raw is { } raw && raw.Any(c => c is >= '０' and <= '９'))
        {
            noise.Add("full-width");
        }

        if (kind == 'P' && names.TryGetValue(truthKey, out var trueName) && fields.GetValueOrDefault("name") is { Length: > 0 } name && name != trueName)
        {
            noise.Add("name variant or typo");
        }

        if (kind == 'P' && fields.GetValueOrDefault("house_code") is { Length: > 0 } house && row["house_code"].Length > 0 && house != row["house_code"])
        {
            noise.Add("stale address");
        }

        if (repeated)
        {
            noise.Add("repeated in department");
        }

        if (noise.Count == 0)
        {
            noise.Add("clean");
        }

        return [.. noise];
    }

    /// <summary>Pairwise precision and recall: pairs of mentions put together by the hub versus by the truth.</summary>
    private static (double Precision, double Recall, double F1) Pairwise(List<(string Truth, string Golden)> mentions)
    {
        static double Pairs(long n) => n * (n - 1) / 2.0;
        var together = mentions.GroupBy(m => m).Sum(g => Pairs(g.LongCount()));
        var predicted = mentions.GroupBy(m => m.Golden).Sum(g => Pairs(g.LongCount()));
        var actual = mentions.GroupBy(m => m.Truth).Sum(g => Pairs(g.LongCount()));
        var precision = predicted == 0 ? 1 : together / predicted;
        var recall = actual == 0 ? 1 : together / actual;
        return (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
    }

    private static string KindName(char kind) => kind switch { 'P' => "persons", 'E' => "entities", _ => "houses" };
}
