using System.Diagnostics;
using System.Globalization;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.Bench.Intake;

/// <summary>
/// How fast the intake reads, validates and cleanses each department's extract, with no database:
/// <c>dotnet run -c Release --project bench/Zhiwang.Bench -- intake --persons 100000 [--out D]</c>.
/// Builds (or reuses) the city in D, builds the standard-address index from its houses.csv, then reads every
/// extract twice (the first pass pays for JIT and a cold page cache) and prints rows/s per feed for the second.
/// </summary>
public static class IntakeThroughput
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (BenchOptions.Parse(args, "--persons N [--out D]", ["--persons", "--out"]) is not { } given)
        {
            return 2;
        }

        var persons = given.Int("--persons", 100_000);
        var output = given.Text("--out");
        output ??= BenchCity.DefaultDirectory(persons);
        await BenchCity.EnsureAsync(output, persons, CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var addresses = AddressIndex.FromHousesCsv(Path.Combine(output, "houses.csv"));
        Console.WriteLine($"address index: {clock.Elapsed.TotalSeconds:F2} s");

        var files = Directory.GetFiles(Path.Combine(output, "extracts")).Order(StringComparer.Ordinal)
            .Select(path => (Path: path, Feed: FeedCatalog.Default.Match(path)))
            .Where(file => file.Feed is not null)
            .ToList();
        long totalRows = 0;
        var totalSeconds = 0.0;
        for (var pass = 1; pass <= 2; pass++)
        {
            Console.WriteLine(pass == 1 ? "pass 1 (cold):" : "pass 2 (warm):");
            Console.WriteLine("| feed | file | rows | row errors | field issues | seconds | rows/s |");
            Console.WriteLine("|---|---|--:|--:|--:|--:|--:|");
            totalRows = 0;
            totalSeconds = 0;
            foreach (var (path, feed) in files)
            {
                long rows = 0, errors = 0, issues = 0;
                var timer = Stopwatch.StartNew();
                await foreach (var row in FeedReader.ReadAsync(feed!, path, addresses, CancellationToken.None))
                {
                    rows++;
                    if (row.IsError)
                    {
                        errors++;
                    }
                    else
                    {
                        issues += row.Record!.Issues.Count;
                    }
                }

                var seconds = timer.Elapsed.TotalSeconds;
                totalRows += rows;
                totalSeconds += seconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {feed!.Department} | {Path.GetFileName(path)} | {rows:N0} | {errors:N0} | {issues:N0} | {seconds:F2} | {rows / seconds:N0} |"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rows={totalRows} seconds={totalSeconds:F2} rows_per_second={totalRows / totalSeconds:F0}"));
        return 0;
    }
}
