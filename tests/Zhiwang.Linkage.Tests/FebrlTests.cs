using System.Text.RegularExpressions;
using Zhiwang.Linkage.Clustering;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Linkage.Tests;

/// <summary>The engine on the FEBRL data sets in bench/linkage, trained and thresholded without labels; labels only score.</summary>
public sealed partial class FebrlTests
{
    internal static RecordTable Load(params string[] files)
    {
        RecordTable? table = null;
        foreach (var file in files)
        {
            var path = Path.Combine(TestTables.RepositoryRoot(), "bench", "linkage", "data", "febrl", file);
            var lines = File.ReadAllLines(path);
            table ??= new RecordTable(lines[0].Split(',').Select(h => h.Trim()));
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                table.Add(Path.GetFileNameWithoutExtension(file), line.Split(',').Select(v => v.Trim()).ToArray());
            }
        }

        return table!;
    }

    internal static LinkageSettings LoadSettings(string name) =>
        LinkageSettings.Load(Path.Combine(TestTables.RepositoryRoot(), "bench", "linkage", name + ".json"));

    /// <summary>Pairwise F1 over pairs placed in one cluster; link-only counts pairs across sources only.</summary>
    private static double PairwiseF1(RecordTable table, Clusters clusters, bool crossOnly)
    {
        var truth = Enumerable.Range(0, table.Count).Select(i => PersonNumber().Match(table.Value(i, "rec_id")!).Groups[1].Value).ToArray();
        double Pairs(IEnumerable<int> members)
        {
            var bySource = members.GroupBy(table.SourceCode).Select(g => (double)g.Count()).ToArray();
            var n = bySource.Sum();
            return crossOnly ? ((n * n) - bySource.Sum(s => s * s)) / 2 : n * (n - 1) / 2;
        }

        var records = Enumerable.Range(0, table.Count).ToArray();
        var correct = records.GroupBy(i => (clusters.Representative(i), truth[i])).Sum(Pairs);
        var precision = correct / records.GroupBy(clusters.Representative).Sum(Pairs);
        var recall = correct / records.GroupBy(i => truth[i]).Sum(Pairs);
        return 2 * precision * recall / (precision + recall);
    }

    [Theory]
    [InlineData("febrl1", 0.995)]
    [InlineData("febrl1-nossn", 0.99)]
    public void Febrl1_is_deduplicated_to_target(string settings, double target)
    {
        var table = Load("dataset1.csv");
        var result = Linker.Run(LoadSettings(settings), table);

        PairwiseF1(table, result.Clusters, crossOnly: false).ShouldBeGreaterThanOrEqualTo(target);
    }

    [Theory]
    [InlineData("febrl4", 0.995)]
    [InlineData("febrl4-nossn", 0.99)]
    public void Febrl4_is_linked_one_to_one_to_target(string settings, double target)
    {
        var table = Load("dataset4a.csv", "dataset4b.csv");
        var result = Linker.Run(LoadSettings(settings), table);

        PairwiseF1(table, result.Clusters, crossOnly: true).ShouldBeGreaterThanOrEqualTo(target);
    }

    [GeneratedRegex(@"^rec-(\d+)-")]
    private static partial Regex PersonNumber();
}
