using System.Globalization;
using System.Text.RegularExpressions;
using Zhiwang.Linkage;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Bench.Linkage;

/// <summary>
/// FEBRL 1-4 with and without soc_sec_id through the real engine, threshold chosen without labels, scored against the
/// truth (records of one person share N in rec-N-org / rec-N-dup-K). Labels are read only to score.
/// </summary>
public static partial class LinkageAccuracy
{
    private static readonly (string Settings, string[] Inputs)[] DataSets =
    [
        ("febrl1", ["dataset1.csv"]), ("febrl2", ["dataset2.csv"]), ("febrl3", ["dataset3.csv"]), ("febrl4", ["dataset4a.csv", "dataset4b.csv"]),
    ];

    public static int Run(string[] args)
    {
        var root = args.Length > 1 && args[0] == "--root" ? args[1] : Root();
        var directory = Path.Combine(root, "bench", "linkage");
        Console.WriteLine("| data set | records | candidate pairs | true pairs | precision | recall | F1 | B³ P | B³ R | B³ F1 | exact clusters | prior | seconds |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, inputs) in DataSets)
        {
            foreach (var suffix in new[] { "", "-nossn" })
            {
                var settings = LinkageSettings.Load(Path.Combine(directory, name + suffix + ".json"));
                var table = Load(inputs.Select(i => Path.Combine(directory, "data", "febrl", i)));
                var result = Linker.Run(settings, table, new LinkageOptions());
                var score = Score(table, result.Clusters, settings);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {name}{suffix} | {table.Count:N0} | {result.Prediction.CandidatePairs:N0} | {score.TruePairs:N0} | {score.Precision:F4} | {score.Recall:F4} | {score.F1:F4} | " +
                    $"{score.BCubedPrecision:F4} | {score.BCubedRecall:F4} | {score.BCubedF1:F4} | {score.ExactClusterShare:F4} | {result.Model.Prior:G3} | {result.Elapsed.TotalSeconds:F2} |"));
            }
        }

        return 0;
    }

    /// <summary>Reads FEBRL CSV (no quoting; a space after each comma) into a table, each file its own source.</summary>
    public static RecordTable Load(IEnumerable<string> paths)
    {
        RecordTable? table = null;
        foreach (var path in paths)
        {
            using var reader = new StreamReader(path);
            var header = reader.ReadLine()!.Split(',').Select(h => h.Trim()).ToArray();
            table ??= new RecordTable(header);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0)
                {
                    table.Add(Path.GetFileNameWithoutExtension(path), line.Split(',').Select(v => v.Trim()).ToArray());
                }
            }
        }

        return table!;
    }

    public static AccuracyScore Score(RecordTable table, Zhiwang.Linkage.Clustering.Clusters clusters, LinkageSettings settings)
    {
        var id = table.ColumnIndex(settings.UniqueIdColumn);
        var truth = Enumerable.Range(0, table.Count).Select(i => PersonNumber().Match(table.Value(i, id)!).Groups[1].Value).ToArray();
        var crossOnly = settings.LinkType == LinkType.LinkOnly;

        // Pairs counted within groups; link-only counts only pairs across sources.
        double Pairs(IEnumerable<int> members)
        {
            if (!crossOnly)
            {
                var n = (double)members.Count();
                return n * (n - 1) / 2;
            }

            var bySource = members.GroupBy(table.SourceCode).Select(g => (double)g.Count()).ToArray();
            var total = bySource.Sum();
            return ((total * total) - bySource.Sum(s => s * s)) / 2;
        }

        var records = Enumerable.Range(0, table.Count).ToArray();
        var truePairs = records.GroupBy(i => truth[i]).Sum(g => Pairs(g));
        var predictedPairs = records.GroupBy(clusters.Representative).Sum(g => Pairs(g));
        var correct = records.GroupBy(i => (clusters.Representative(i), truth[i])).Sum(g => Pairs(g));
        var precision = predictedPairs == 0 ? 1 : correct / predictedPairs;
        var recall = truePairs == 0 ? 1 : correct / truePairs;

        var clusterSize = records.GroupBy(clusters.Representative).ToDictionary(g => g.Key, g => g.Count());
        var truthSize = records.GroupBy(i => truth[i]).ToDictionary(g => g.Key, g => g.Count());
        var cellSize = records.GroupBy(i => (clusters.Representative(i), truth[i])).ToDictionary(g => g.Key, g => g.Count());
        var bPrecision = records.Average(i => cellSize[(clusters.Representative(i), truth[i])] / (double)clusterSize[clusters.Representative(i)]);
        var bRecall = records.Average(i => cellSize[(clusters.Representative(i), truth[i])] / (double)truthSize[truth[i]]);
        var truthGroups = records.GroupBy(i => truth[i]).Select(g => string.Join(",", g.OrderBy(x => x))).ToHashSet();
        var exact = records.GroupBy(clusters.Representative).Count(g => truthGroups.Contains(string.Join(",", g.OrderBy(x => x)))) / (double)truthGroups.Count;
        return new AccuracyScore(truePairs, precision, recall, F(precision, recall), bPrecision, bRecall, F(bPrecision, bRecall), exact);
    }

    private static double F(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);

    /// <summary>The repository root (the folder holding Zhiwang.slnx) above the running bench, else the current folder.</summary>
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zhiwang.slnx")))
            {
                return directory.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    [GeneratedRegex(@"^rec-(\d+)-")]
    private static partial Regex PersonNumber();
}

/// <summary>Pairwise precision, recall and F1 over pairs in the same cluster; B-cubed; share of true groups found exactly.</summary>
public sealed record AccuracyScore(double TruePairs, double Precision, double Recall, double F1, double BCubedPrecision, double BCubedRecall, double BCubedF1, double ExactClusterShare);
