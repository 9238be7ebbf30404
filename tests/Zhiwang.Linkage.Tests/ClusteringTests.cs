using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Scoring;

namespace Zhiwang.Linkage.Tests;

public sealed class ClusteringTests
{
    private const string Settings = """
        {
          "unique_id_column": "id",
          "blocking_rules": [["id"]],
          "comparisons": [{ "column": "name", "levels": ["exact"] }],
          "probability_two_random_records_match": 0.01
        }
        """;

    private static (LinkageModel Model, RecordTable Table) Fixture(int records)
    {
        var table = new RecordTable(["id", "name"]);
        for (var i = 0; i < records; i++)
        {
            table.Add("a", [$"r{i}", "x"]);
        }

        var settings = TestTables.Settings(Settings);
        var model = new LinkageModel(settings, 0.01, [new ComparisonModel("name", [new LevelModel("exact", 0.9, 0.1), new LevelModel("else", 0.1, 0.9)], null)], new TrainingSummary(records, 0, 0, 0));
        return (model, table);
    }

    private static ScoredPair Pair(int a, int b, double probability) => new(a, b, MatchWeights.FromProbability(probability));

    [Fact]
    public void Two_groups_joined_by_one_weak_link_stay_apart()
    {
        var (model, table) = Fixture(6);
        ScoredPair[] pairs =
        [
            Pair(0, 1, 0.99), Pair(0, 2, 0.99), Pair(1, 2, 0.98),
            Pair(3, 4, 0.99), Pair(3, 5, 0.99), Pair(4, 5, 0.97),
            Pair(2, 3, 0.6),
        ];

        var clusters = Linker.Cluster(model, table, pairs);

        clusters.Count.ShouldBe(2);
        clusters.ClusterId(1).ShouldBe("r0");
        clusters.ClusterId(2).ShouldBe("r0");
        clusters.ClusterId(5).ShouldBe("r3");
    }

    [Fact]
    public void Two_groups_with_many_strong_links_between_them_merge()
    {
        var (model, table) = Fixture(4);
        ScoredPair[] pairs = [Pair(0, 1, 0.99), Pair(2, 3, 0.99), Pair(0, 2, 0.9), Pair(1, 3, 0.9), Pair(1, 2, 0.8)];

        Linker.Cluster(model, table, pairs).Count.ShouldBe(1);
    }

    [Fact]
    public void Links_below_the_threshold_are_not_followed_and_the_caller_may_move_it()
    {
        var (model, table) = Fixture(2);
        ScoredPair[] pairs = [Pair(0, 1, 0.4)];

        Linker.Cluster(model, table, pairs).Count.ShouldBe(2);
        Linker.Cluster(model, table, pairs, thresholdMatchWeight: MatchWeights.FromProbability(0.3)).Count.ShouldBe(1);
    }

    [Fact]
    public void One_record_per_source_makes_a_one_to_one_linkage()
    {
        var settings = TestTables.Settings(Settings.Replace("\"probability_two", "\"clustering\": {\"one_record_per_source\": true}, \"probability_two", StringComparison.Ordinal));
        var table = new RecordTable(["id", "name"]);
        table.Add("a", ["a1", "x"]);
        table.Add("b", ["b1", "x"]);
        table.Add("b", ["b2", "x"]);
        var model = new LinkageModel(settings, 0.01, [new ComparisonModel("name", [new LevelModel("exact", 0.9, 0.1), new LevelModel("else", 0.1, 0.9)], null)], new TrainingSummary(3, 0, 0, 0));

        var clusters = Linker.Cluster(model, table, [Pair(0, 1, 0.95), Pair(0, 2, 0.99)]);

        clusters.ClusterId(0).ShouldBe(clusters.ClusterId(2));
        clusters.ClusterId(1).ShouldBe("b1");
    }
}
