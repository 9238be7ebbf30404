using System.Diagnostics;
using System.Globalization;
using Zhiwang.Linkage;
using Zhiwang.Linkage.Clustering;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Bench.Linkage;

/// <summary>
/// The engine at city scale: for each person count, the person records of a synthetic city's extracts
/// (<see cref="ShenzhenPersons"/>) trained, predicted and clustered with <c>bench/linkage/shenzhen-persons.json</c>,
/// with time per stage, memory and pairwise accuracy against the generator's truth. One row per size:
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- linkage-scale --persons 100000,1000000</c>
/// </summary>
/// <remarks>
/// Peak working set is the process's, loading included: run one size per process for a clean figure. The managed
/// heap peak is sampled every 50 ms. Cities are generated once under <c>--cities</c> and reused.
/// </remarks>
public static class LinkageScale
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (BenchOptions.Parse(args, "--persons N[,N…] --cities DIR --settings S.json --threads T [--breakdown]", ["--persons", "--cities", "--settings", "--threads"], "--breakdown") is not { } given)
        {
            return 2;
        }

        var sizes = given.Text("--persons", "100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
        var cities = given.Text("--cities", Path.Combine(Path.GetTempPath(), "zhiwang-linkage-scale"));
        var settingsPath = given.Text("--settings", Path.Combine(LinkageAccuracy.Root(), "bench", "linkage", "shenzhen-persons.json"));
        var threads = given.Int("--threads", Environment.ProcessorCount);
        var breakdown = given.Flag("--breakdown");

        var settings = LinkageSettings.Load(settingsPath);
        Console.WriteLine("| persons | records | candidate pairs | skipped pairs | edges | load s | train s | predict s | cluster s | engine s | engine CPU s | records/s | peak WS MB | peak heap MB | allocated MB | P | R | F1 |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var persons in sizes)
        {
            var directory = Path.Combine(cities, "sz" + persons.ToString(CultureInfo.InvariantCulture));
            await BenchCity.EnsureAsync(directory, persons, CancellationToken.None);
            using var heap = new HeapSampler();
            var stopwatch = Stopwatch.StartNew();
            var heapBefore = breakdown ? GC.GetTotalMemory(forceFullCollection: true) : 0;
            var table = ShenzhenPersons.Load(directory, out var truth);
            var load = stopwatch.Elapsed.TotalSeconds;
            var retained = new Retained(breakdown, heapBefore, table.Count, heap);
            retained.After("table (records, pools, codes)");
            var options = new LinkageOptions
            {
                MaxDegreeOfParallelism = threads,
                Progress = new Progress(stopwatch),
                Warnings = new Progress(stopwatch),
            };
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = CpuSeconds();
            stopwatch.Restart();
            var model = Linker.Train(settings, table, options);
            var train = stopwatch.Elapsed.TotalSeconds;
            retained.After("+ prepared table (comparisons, blocking keys) and model");
            stopwatch.Restart();
            var prediction = Linker.Predict(model, table, options);
            var predict = stopwatch.Elapsed.TotalSeconds;
            retained.After("+ edges");
            stopwatch.Restart();
            var clusters = Linker.Cluster(model, table, prediction.Pairs, options: options);
            var cluster = stopwatch.Elapsed.TotalSeconds;
            retained.After("+ clusters");
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var cpu = CpuSeconds() - cpuBefore;
            var (precision, recall) = Score(clusters, truth);
            using var process = Process.GetCurrentProcess();
            var engine = train + predict + cluster;
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {persons:N0} | {table.Count:N0} | {prediction.CandidatePairs:N0} | {prediction.SkippedPairs:N0} | {prediction.Pairs.Count:N0} | {load:F1} | {train:F1} | {predict:F1} | {cluster:F1} | {engine:F1} | {cpu:F1} | " +
                $"{table.Count / engine:N0} | {process.PeakWorkingSet64 / 1048576.0:F0} | {heap.Peak / 1048576.0:F0} | {allocated / 1048576.0:F0} | {precision:F4} | {recall:F4} | {F(precision, recall):F4} |"));
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"prior={model.Prior:G3} clusters={clusters.Count:N0} true persons={truth.Max() + 1:N0}"));
        }

        return 0;
    }

    /// <summary>
    /// Pairwise precision and recall over the pairs placed in one cluster. Counted with arrays (group sizes by
    /// representative and by person, and the sorted (cluster, person) keys), not dictionaries: at city scale the
    /// scoring must not be the run's memory peak.
    /// </summary>
    public static (double Precision, double Recall) Score(Clusters clusters, int[] truth)
    {
        static double PairsOf(double n) => n * (n - 1) / 2;

        var predicted = new int[truth.Length];
        var actual = new int[truth.Length == 0 ? 0 : truth.Max() + 1];
        var both = new long[truth.Length];
        for (var i = 0; i < truth.Length; i++)
        {
            var representative = clusters.Representative(i);
            predicted[representative]++;
            actual[truth[i]]++;
            both[i] = ((long)representative << 32) | (uint)truth[i];
        }

        Array.Sort(both);
        double correct = 0;
        for (int start = 0, end = 0; start < both.Length; start = end)
        {
            while (end < both.Length && both[end] == both[start])
            {
                end++;
            }

            correct += PairsOf(end - start);
        }

        var predictedPairs = predicted.Sum(n => PairsOf(n));
        var truePairs = actual.Sum(n => PairsOf(n));
        return (predictedPairs == 0 ? 1 : correct / predictedPairs, truePairs == 0 ? 1 : correct / truePairs);
    }

    private static double CpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    private static double F(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);

    private sealed class Progress(Stopwatch stopwatch) : IProgress<LinkageProgress>, IProgress<string>
    {
        private string _last = "";

        public void Report(LinkageProgress value)
        {
            if (value.Stage != _last)
            {
                _last = value.Stage;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stopwatch.Elapsed.TotalSeconds,7:F1} s  {value.Stage}"));
            }
        }

        public void Report(string value) => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stopwatch.Elapsed.TotalSeconds,7:F1} s  warning: {value}"));
    }

    /// <summary>
    /// With --breakdown, the managed heap kept after each stage (a full collection first, so it adds seconds and
    /// lowers the peak: a breakdown run is not a peak run), in MB and bytes per record, on stderr.
    /// </summary>
    private sealed class Retained(bool enabled, long start, int records, HeapSampler heap)
    {
        private readonly long _start = start;
        private long _last = start;

        public void After(string stage)
        {
            // Where the peak falls: the sampler's highest heap so far, after each stage (no collection forced).
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  peak heap so far, after {stage}: {heap.Peak / 1048576.0:F0} MB"));
            if (!enabled)
            {
                return;
            }

            var now = GC.GetTotalMemory(forceFullCollection: true);
            Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  retained {stage}: {(now - _start) / 1048576.0:F0} MB in all, {(now - _start) / (double)records:F0} B/record ({(now - _last) / (double)records:+0;-0} B/record)"));
            _last = now;
        }
    }

    /// <summary>The managed heap's largest size seen, sampled on a timer.</summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly Timer _timer;
        private long _peak;

        public HeapSampler()
        {
            _timer = new Timer(_ => Sample(), null, 0, 50);
        }

        public long Peak
        {
            get
            {
                Sample();
                return Interlocked.Read(ref _peak);
            }
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            var now = GC.GetTotalMemory(forceFullCollection: false);
            long seen;
            do
            {
                seen = Interlocked.Read(ref _peak);
            }
            while (now > seen && Interlocked.CompareExchange(ref _peak, now, seen) != seen);
        }
    }
}
