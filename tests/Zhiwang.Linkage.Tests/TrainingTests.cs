using System.Globalization;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Scoring;

namespace Zhiwang.Linkage.Tests;

public sealed class TrainingTests
{
    private const string Settings = """
        {
          "unique_id_column": "id",
          "blocking_rules": [["first"], ["last"], ["city"]],
          "comparisons": [
            { "column": "first", "levels": ["exact"] },
            { "column": "last", "levels": ["exact"] },
            { "column": "city", "levels": ["exact"] },
            { "column": "year", "levels": ["exact"] }
          ],
          "training": { "max_random_pairs": 2000000, "seed": 7, "max_iterations": 500 }
        }
        """;

    /// <summary>
    /// 3,000 persons with values drawn uniformly (first of 500, last of 1,000, city of 200, birth year of 80); 1,500 of
    /// them get a duplicate whose first name is changed with probability 0.1, last 0.2, city 0.3, year 0.05. So
    /// m(exact) ≈ 0.9, 0.8, 0.7, 0.95 and u(exact) ≈ 1/500, 1/1000, 1/200, 1/80.
    /// </summary>
    private static RecordTable Synthetic()
    {
        var random = new Random(1);
        var table = new RecordTable(["id", "first", "last", "city", "year"]);
        string Pick(string prefix, int count) => prefix + random.Next(count).ToString(CultureInfo.InvariantCulture);
        for (var p = 0; p < 3000; p++)
        {
            var person = new[] { $"p{p}", Pick("f", 500), Pick("l", 1000), Pick("c", 200), Pick("y", 80) };
            table.Add("a", person);
            if (p % 2 == 0)
            {
                table.Add("a", [
                    $"p{p}-dup",
                    random.NextDouble() < 0.1 ? Pick("f", 500) : person[1],
                    random.NextDouble() < 0.2 ? Pick("l", 1000) : person[2],
                    random.NextDouble() < 0.3 ? Pick("c", 200) : person[3],
                    random.NextDouble() < 0.05 ? Pick("y", 80) : person[4],
                ]);
            }
        }

        return table;
    }

    [Fact]
    public void A_blocking_rule_whose_column_no_record_has_yields_no_pairs_instead_of_failing()
    {
        // A feed without phones still names the phone rule: training must go on over the other rules.
        var table = Synthetic();
        var withPhone = new RecordTable(["id", "first", "last", "city", "year", "phone"]);
        for (var i = 0; i < table.Count; i++)
        {
            withPhone.Add("a", [table.Value(i, 0), table.Value(i, 1), table.Value(i, 2), table.Value(i, 3), table.Value(i, 4), null]);
        }

        var settings = TestTables.Settings(Settings.Replace("""[["first"], ["last"], ["city"]]""", """[["phone"], ["first"], ["last"], ["city"]]""", StringComparison.Ordinal));
        var model = Linker.Train(settings, withPhone);

        model.Comparisons[0].Levels[0].M.ShouldBe(0.9, 0.05);
    }

    [Fact]
    public void Em_recovers_m_and_u_of_a_synthetic_set()
    {
        var model = Linker.Train(TestTables.Settings(Settings), Synthetic());

        // A changed value is redrawn and may come out the same, so the true m is slightly above 1 − change rate.
        model.Comparisons[0].Levels[0].M.ShouldBe(0.9 + (0.1 / 500), 0.03);
        model.Comparisons[1].Levels[0].M.ShouldBe(0.8 + (0.2 / 1000), 0.03);
        model.Comparisons[2].Levels[0].M.ShouldBe(0.7 + (0.3 / 200), 0.03);
        model.Comparisons[3].Levels[0].M.ShouldBe(0.95 + (0.05 / 80), 0.03);
        model.Comparisons[0].Levels[0].U.ShouldBe(1 / 500.0, 0.001);
        model.Comparisons[1].Levels[0].U.ShouldBe(1 / 1000.0, 0.001);
        model.Comparisons[2].Levels[0].U.ShouldBe(1 / 200.0, 0.001);
        model.Comparisons[3].Levels[0].U.ShouldBe(1 / 80.0, 0.002);

        // 1,500 matching pairs among 4,500 × 4,499 / 2.
        model.Prior.ShouldBe(1500 / (4500 * 4499 / 2.0), 0.3 * 1500 / (4500 * 4499 / 2.0));
    }

    [Fact]
    public void A_model_survives_a_json_round_trip()
    {
        var table = Synthetic();
        var model = Linker.Train(TestTables.Settings(Settings), table);

        var reloaded = Model.LinkageModel.FromJson(model.ToJson());

        reloaded.Prior.ShouldBe(model.Prior);
        reloaded.Comparisons[1].Levels.ShouldBe(model.Comparisons[1].Levels);
        new PairScorer(reloaded, table).MatchWeight(0, 1).ShouldBe(new PairScorer(model, table).MatchWeight(0, 1), 1e-9);
    }

    [Fact]
    public void A_shared_common_value_weighs_less_than_a_shared_rare_one()
    {
        var settings = TestTables.Settings("""
            {
              "unique_id_column": "id",
              "blocking_rules": [["surname"]],
              "comparisons": [{ "column": "surname", "term_frequency_adjustments": true, "levels": ["exact"] }],
              "probability_two_random_records_match": 0.001
            }
            """);
        var table = new RecordTable(["id", "surname"]);
        var id = 0;
        foreach (var (surname, count) in new[] { ("wang", 50), ("ouyang", 2) }.Concat(Enumerable.Range(0, 48).Select(i => ($"s{i}", 1))))
        {
            for (var i = 0; i < count; i++)
            {
                table.Add("a", [(id++).ToString(CultureInfo.InvariantCulture), surname]);
            }
        }

        var model = Linker.Train(settings, table);
        var scorer = new PairScorer(model, table);

        var common = scorer.Explain(0, 1);
        var rare = scorer.Explain(50, 51);
        common.Comparisons[0].Level.ShouldBe("exact");
        rare.Comparisons[0].Level.ShouldBe("exact");
        common.Comparisons[0].TermFrequencyAdjustment.ShouldBeLessThan(0);
        rare.Comparisons[0].TermFrequencyAdjustment.ShouldBeGreaterThan(0);
        rare.MatchWeight.ShouldBeGreaterThan(common.MatchWeight);
    }

    [Fact]
    public void An_explanation_adds_up_to_the_match_weight()
    {
        var table = Synthetic();
        var model = Linker.Train(TestTables.Settings(Settings), table);
        var scorer = new PairScorer(model, table);

        foreach (var (left, right) in new[] { (0, 1), (0, 2), (3, 4) })
        {
            var explanation = scorer.Explain(left, right);
            var sum = explanation.PriorWeight + explanation.Comparisons.Sum(c => c.Weight + c.TermFrequencyAdjustment);
            sum.ShouldBe(explanation.MatchWeight, 1e-9);
            explanation.Comparisons[^1].RunningTotal.ShouldBe(explanation.MatchWeight, 1e-9);
            explanation.MatchWeight.ShouldBe(scorer.MatchWeight(left, right), 1e-9);
            System.Text.Json.JsonSerializer.Serialize(explanation).ShouldContain("\"RunningTotal\"");
        }
    }
}
