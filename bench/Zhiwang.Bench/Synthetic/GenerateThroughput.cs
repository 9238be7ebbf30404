using System.Diagnostics;
using System.Globalization;
using Zhiwang.Geo;
using Zhiwang.Synthetic;

namespace Zhiwang.Bench.Synthetic;

/// <summary>
/// End-to-end throughput of <c>zhiwang generate</c>: every city file, extract and truth file written to disk.
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- generate --persons 1000000 --out /tmp/sz1m</c>
/// </summary>
/// <remarks>
/// A whole run is seconds of disk-bound work, so BenchmarkDotNet's repeated invocations would measure the
/// page cache more than the generator; one timed run per process, like the CLI, says what a user sees.
/// The map is built before the clock starts: it is built once per process and is Geo's cost (see
/// <c>CityMapBuildBenchmarks</c>). CPU time counts every thread of the process over the timed run only.
/// </remarks>
public static class GenerateThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (BenchOptions.Parse(args, "--persons N --seed S --threads T --out DIR", ["--persons", "--seed", "--threads", "--out"]) is not { } given)
        {
            return 2;
        }

        var persons = given.Int("--persons", 1_000_000);
        var seed = given.Long("--seed", 42L);
        var threads = given.Int("--threads", Environment.ProcessorCount);
        var output = given.Text("--out", Path.Combine(Path.GetTempPath(), "zhiwang-generate-bench"));

        if (Directory.Exists(output))
        {
            Directory.Delete(output, recursive: true);
        }

        var map = CityMap.Shenzhen;
        var options = new SyntheticCityOptions
        {
            OutputDirectory = output,
            Persons = persons,
            Seed = seed,
            MaxDegreeOfParallelism = threads,
        };

        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var stopwatch = Stopwatch.StartNew();
        var summary = await CityGenerator.ForCity(map).GenerateAsync(options, CancellationToken.None);
        stopwatch.Stop();
        process.Refresh();
        var allocatedMb = (GC.GetTotalAllocatedBytes() - allocatedBefore) / 1048576.0;
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var bytes = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        var invariant = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(invariant,
            $"threads={threads} output_mb={bytes / 1048576.0:F0} cpu_seconds={cpu:F2} cpu_percent={100 * cpu / seconds:F0} allocated_mb={allocatedMb:F0} gc_count={GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} gc_pause_seconds={GC.GetTotalPauseDuration().TotalSeconds:F2}"));
        Console.WriteLine(string.Create(invariant,
            $"persons={summary.Persons} seconds={seconds:F2} persons_per_second={summary.Persons / seconds:F0} peak_mb={process.PeakWorkingSet64 / 1048576.0:F0}"));
        return 0;
    }
}
