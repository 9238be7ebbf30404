using System.Diagnostics;
using System.Globalization;
using Zhiwang.Linkage;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Bench.Linkage;

/// <summary>
/// Latency of <see cref="IncrementalLinker.Link"/> with a city's person records loaded: the records of
/// <c>--persons N</c> (<see cref="ShenzhenPersons"/>) less <c>--held-out</c> drawn with a fixed seed are trained,
/// predicted and clustered as a batch, loaded into the linker, then the held-out records are linked one at a time.
/// Prints p50 / p99 / max microseconds per call, the memory the table, its prepared form (shared with the batch) and
/// the linker hold per loaded record, and how often a held-out record joined a cluster holding its true person.
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- linkage-incremental --persons 1000000 --held-out 10000</c>
/// </summary>
public static class LinkageIncremental
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (BenchOptions.Parse(args, "--persons N --held-out H --cities DIR --settings S.json", ["--persons", "--held-out", "--cities", "--settings"]) is not { } given)
        {
            return 2;
        }

        var persons = given.Int("--persons", 100_000);
        var heldOut = given.Int("--held-out", 10_000);
        var cities = given.Text("--cities", Path.Combine(Path.GetTempPath(), "zhiwang-linkage-scale"));
        var settingsPath = given.Text("--settings", Path.Combine(LinkageAccuracy.Root(), "bench", "linkage", "shenzhen-persons.json"));

        var settings = LinkageSettings.Load(settingsPath);
        var directory = Path.Combine(cities, "sz" + persons.ToString(CultureInfo.InvariantCulture));
        await BenchCity.EnsureAsync(directory, persons, CancellationToken.None);
        var all = ShenzhenPersons.Load(directory, out var allTruth);
        var held = new bool[all.Count];
        var random = new Random(42);
        for (var taken = 0; taken < Math.Min(heldOut, all.Count / 2);)
        {
            var pick = random.Next(all.Count);
            taken += held[pick] ? 0 : 1;
            held[pick] = true;
        }

        var heapBeforeTable = GC.GetTotalMemory(forceFullCollection: true);
        var table = new RecordTable(ShenzhenPersons.Columns);
        var truth = new List<int>();
        var values = new string?[ShenzhenPersons.Columns.Length];
        for (var r = 0; r < all.Count; r++)
        {
            if (!held[r])
            {
                Copy(all, r, values);
                table.Add(all.Source(r), values);
                truth.Add(allTruth[r]);
            }
        }

        var tableBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBeforeTable;
        var stopwatch = Stopwatch.StartNew();
        var options = new LinkageOptions();
        var model = Linker.Train(settings, table, options);

        // The prepared table (comparisons, blocking keys) is made by Train and kept on the table: predict and the
        // linker share it, so it belongs to the linker's memory as much as to the batch's.
        var preparedBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBeforeTable - tableBytes;
        var prediction = Linker.Predict(model, table, options);
        var clusters = Linker.Cluster(model, table, prediction.Pairs);
        var batch = stopwatch.Elapsed.TotalSeconds;
        var clusterOfPerson = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        for (var r = 0; r < table.Count; r++)
        {
            var id = clusters.ClusterId(r);
            if (!clusterOfPerson.TryGetValue(id, out var people))
            {
                clusterOfPerson[id] = people = [];
            }

            people.Add(truth[r]);
        }

        var heapBeforeLinker = GC.GetTotalMemory(forceFullCollection: true);
        stopwatch.Restart();
        var linker = new IncrementalLinker(model, table, clusters);
        var loadSeconds = stopwatch.Elapsed.TotalSeconds;
        var linkerBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBeforeLinker;
        var loaded = linker.Count;

        var micros = new List<double>();
        var joinedTrue = 0;
        var withTrue = 0;
        var basePersons = truth.ToHashSet();
        for (var r = 0; r < all.Count; r++)
        {
            if (!held[r])
            {
                continue;
            }

            Copy(all, r, values);
            var start = Stopwatch.GetTimestamp();
            var result = linker.Link(all.Source(r), values);
            micros.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
            if (basePersons.Contains(allTruth[r]))
            {
                withTrue++;
                joinedTrue += !result.NewCluster && clusterOfPerson.TryGetValue(result.ClusterId, out var people) && people.Contains(allTruth[r]) ? 1 : 0;
            }
        }

        micros.Sort();
        double Percentile(double p) => micros[Math.Min(micros.Count - 1, (int)Math.Ceiling(p * micros.Count) - 1)];
        using var process = Process.GetCurrentProcess();
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine("| persons | loaded records | held out | batch s | linker build s | p50 µs | p99 µs | max µs | table B/record | prepared + model B/record | linker B/record | total B/record | joined true person | peak WS MB |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(
            invariant,
            $"| {persons:N0} | {loaded:N0} | {micros.Count:N0} | {batch:F1} | {loadSeconds:F1} | {Percentile(0.5):F0} | {Percentile(0.99):F0} | {micros[^1]:F0} | " +
            $"{tableBytes / (double)loaded:F0} | {preparedBytes / (double)loaded:F0} | {linkerBytes / (double)loaded:F0} | {(tableBytes + preparedBytes + linkerBytes) / (double)loaded:F0} | {joinedTrue / (double)Math.Max(1, withTrue):F4} | {process.PeakWorkingSet64 / 1048576.0:F0} |"));
        return 0;
    }

    private static void Copy(RecordTable table, int record, string?[] values)
    {
        for (var c = 0; c < values.Length; c++)
        {
            values[c] = table.Value(record, c);
        }
    }
}
