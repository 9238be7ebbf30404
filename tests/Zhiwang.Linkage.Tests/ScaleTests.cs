using System.Globalization;
using Zhiwang.Linkage.Comparisons;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;
using Zhiwang.Linkage.Text;

namespace Zhiwang.Linkage.Tests;

/// <summary>What keeps the engine bounded on large inputs: the block size cap, training samples, the ID-number fast path.</summary>
public sealed class ScaleTests
{
    private static string Settings(string extra) => $$"""
        {
          "unique_id_column": "id",
          "blocking_rules": [["city"], ["first"]],
          "comparisons": [
            { "column": "first", "levels": ["exact"] },
            { "column": "last", "levels": ["exact"] }
          ],
          "probability_two_random_records_match": 0.01
          {{extra}}
        }
        """;

    /// <summary>Twelve records in one city, of which 3 pairs share a first name; the rest of the cities are unique.</summary>
    private static RecordTable BigCity()
    {
        var table = new RecordTable(["id", "first", "last", "city"]);
        for (var i = 0; i < 12; i++)
        {
            var first = i < 6 ? "f" + (i / 2).ToString(CultureInfo.InvariantCulture) : "u" + i.ToString(CultureInfo.InvariantCulture);
            table.Add("a", [$"r{i}", first, "l" + (i / 2).ToString(CultureInfo.InvariantCulture), "shenzhen"]);
        }

        table.Add("a", ["lone", "x", "y", "elsewhere"]);
        return table;
    }

    [Fact]
    public void A_block_above_the_cap_is_skipped_and_its_pairs_are_counted_and_warned_about()
    {
        var settings = TestTables.Settings(Settings(""", "max_block_size": 10"""));
        var table = BigCity();
        var warnings = new List<string>();
        var options = new LinkageOptions { Warnings = new Collect(warnings) };
        var model = Linker.Train(settings, table, options);
        var prediction = Linker.Predict(model, table, options);

        prediction.SkippedBlocks.ShouldBe(1);
        prediction.SkippedPairs.ShouldBe(12 * 11 / 2);

        // The city block is gone, so the three first-name pairs come from the second rule, which the skipped rule
        // must not claim to have covered.
        prediction.CandidatePairs.ShouldBe(3);
        prediction.Pairs.Select(p => (p.Left, p.Right)).ShouldBe([(0, 1), (2, 3), (4, 5)]);
        warnings.ShouldContain(w => w.Contains("blocking rule 1 (city)", StringComparison.Ordinal) && w.Contains("66 pairs", StringComparison.Ordinal));
    }

    [Fact]
    public void A_block_at_the_cap_is_compared()
    {
        var settings = TestTables.Settings(Settings(""", "max_block_size": 12"""));
        var table = BigCity();
        var prediction = Linker.Predict(Linker.Train(settings, table), table);

        prediction.SkippedBlocks.ShouldBe(0);
        prediction.SkippedPairs.ShouldBe(0);
        prediction.CandidatePairs.ShouldBe(66);
    }

    [Fact]
    public void The_incremental_linker_ignores_a_block_above_the_cap()
    {
        var settings = TestTables.Settings(Settings(""", "max_block_size": 10"""));
        var table = BigCity();
        var model = Linker.Train(settings, table);
        var linker = new IncrementalLinker(model, table, Linker.Cluster(model, table, Linker.Predict(model, table).Pairs));

        // Shares only the oversized city block with the loaded records: no candidates, a cluster of its own.
        var result = linker.Link("a", ["new", "z", "l0", "shenzhen"]);

        result.Candidates.ShouldBeEmpty();
        result.NewCluster.ShouldBeTrue();
    }

    [Fact]
    public void Training_samples_the_same_pairs_on_any_thread_count_and_still_counts_every_candidate()
    {
        var settings = TestTables.Settings(Settings(""", "training": { "max_pairs_per_rule": 20, "seed": 5 }, "max_block_size": 100"""));
        var table = new RecordTable(["id", "first", "last", "city"]);
        var random = new Random(3);
        for (var i = 0; i < 400; i++)
        {
            table.Add("a", [$"r{i}", "f" + random.Next(40).ToString(CultureInfo.InvariantCulture), "l" + random.Next(30).ToString(CultureInfo.InvariantCulture), "c" + random.Next(20).ToString(CultureInfo.InvariantCulture)]);
        }

        var one = Linker.Train(settings, table, new LinkageOptions { MaxDegreeOfParallelism = 1 });
        var two = Linker.Train(settings, table, new LinkageOptions { MaxDegreeOfParallelism = 2 });
        var unsampled = Linker.Train(TestTables.Settings(Settings(""", "max_block_size": 100""")), table);

        two.ToJson().ShouldBe(one.ToJson());
        one.Training.CandidatePairs.ShouldBe(unsampled.Training.CandidatePairs);
        one.Training.CandidatePairs.ShouldBe(Linker.Predict(one, table).CandidatePairs);

        // A 20-pair sample of thousands estimates m differently from all of them.
        one.Comparisons[1].Levels[0].M.ShouldNotBe(unsampled.Comparisons[1].Levels[0].M);
    }

    [Fact]
    public void Another_seed_draws_another_training_sample()
    {
        var table = new RecordTable(["id", "first", "last", "city"]);
        var random = new Random(3);
        for (var i = 0; i < 400; i++)
        {
            table.Add("a", [$"r{i}", "f" + random.Next(40).ToString(CultureInfo.InvariantCulture), "l" + random.Next(30).ToString(CultureInfo.InvariantCulture), "c" + random.Next(20).ToString(CultureInfo.InvariantCulture)]);
        }

        var five = Linker.Train(TestTables.Settings(Settings(""", "training": { "max_pairs_per_rule": 20, "seed": 5 }""")), table);
        var six = Linker.Train(TestTables.Settings(Settings(""", "training": { "max_pairs_per_rule": 20, "seed": 6 }""")), table);

        six.Comparisons[1].Levels[0].M.ShouldNotBe(five.Comparisons[1].Levels[0].M);
    }

    [Theory]
    [InlineData("\"max_block_size\": 1", "$.max_block_size")]
    [InlineData("\"max_block_size\": 2.5", "$.max_block_size")]
    [InlineData("\"training\": { \"max_pairs_per_rule\": 0 }", "$.training.max_pairs_per_rule")]
    public void Bad_caps_fail_with_their_path(string extra, string path)
    {
        var error = Should.Throw<LinkageSettingsException>(() => TestTables.Settings(Settings(", " + extra)));

        error.JsonPath.ShouldBe(path);
    }

    [Fact]
    public void Caps_default_when_not_given()
    {
        var settings = TestTables.Settings(Settings(""));

        settings.MaxBlockSize.ShouldBe(LinkageSettings.DefaultMaxBlockSize);
        settings.Training.MaxPairsPerRule.ShouldBe(TrainingSettings.DefaultMaxPairsPerRule);
    }

    [Fact]
    public void The_id_number_level_relates_values_as_the_id_number_rules_do()
    {
        const string Valid = "11010519491231002X";
        string[] values =
        [
            Valid, "11010519491231002x", "１１０１０５１９４９１２３１００２Ｘ", "110105194912310021", "11010519491213002X",
            "11010519491231003X", "1101051949123102X", "110105194912310029", "440303198601292541", "44030319860129254",
        ];
        var settings = TestTables.Settings("""
            {
              "unique_id_column": "id", "blocking_rules": [["id"]],
              "comparisons": [{ "column": "number", "levels": [
                { "type": "id_number", "relations": ["exact"] },
                { "type": "id_number", "relations": ["wrong_check_character"] },
                { "type": "id_number", "relations": ["adjacent_transposition"] },
                { "type": "id_number", "relations": ["one_digit_typo"] },
                { "type": "id_number", "relations": ["one_digit_missing"] }] }]
            }
            """);
        var table = new RecordTable(["id", "number"]);
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            table.Add("a", [i.ToString(CultureInfo.InvariantCulture), value]);
        }

        var comparison = new PreparedComparison(settings.Comparisons[0], table);
        comparison.Refresh();
        IdNumberRelation[] order =
        [
            IdNumberRelation.Exact, IdNumberRelation.WrongCheckCharacter, IdNumberRelation.AdjacentTransposition,
            IdNumberRelation.OneDigitTypo, IdNumberRelation.OneDigitMissing,
        ];
        for (var a = 0; a < values.Length; a++)
        {
            for (var b = 0; b < values.Length; b++)
            {
                var expected = IdNumberSimilarity.Compare(values[a], values[b]);
                var gamma = comparison.Gamma(a, b);
                var level = Array.IndexOf(order, expected);
                gamma.ShouldBe(level < 0 ? order.Length : level, $"{values[a]} against {values[b]}: {expected}");
            }
        }
    }

    private sealed class Collect(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
