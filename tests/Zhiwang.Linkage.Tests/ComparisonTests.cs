using Zhiwang.Linkage.Comparisons;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Linkage.Tests;

public sealed class ComparisonTests
{
    private static int Gamma(string levelsJson, string? left, string? right, string standardise = "[\"trim\"]")
    {
        var settings = TestTables.Settings($$"""
            {
              "unique_id_column": "id",
              "blocking_rules": [["v"]],
              "comparisons": [{ "column": "v", "standardise": {{standardise}}, "levels": {{levelsJson}} }]
            }
            """);
        var table = new RecordTable(["id", "v"]);
        table.Add("a", ["1", left]);
        table.Add("a", ["2", right]);
        var comparison = new PreparedComparison(settings.Comparisons[0], table);
        comparison.Refresh();
        return comparison.Gamma(0, 1);
    }

    [Theory]
    [InlineData("martha", "martha", 0)]
    [InlineData("martha", "marhta", 1)]
    [InlineData("dwayne", "duane", 2)]
    [InlineData("martha", "zzz", 3)]
    public void String_levels_are_tested_in_order_and_the_first_that_holds_wins(string left, string right, int expected) =>
        Gamma("""[{"type":"exact"},{"type":"jaro_winkler","threshold":0.95},{"type":"jaro_winkler","threshold":0.8}]""", left, right).ShouldBe(expected);

    [Fact]
    public void Jaro_winkler_matches_the_published_examples()
    {
        StringDistance.JaroWinkler("martha", "marhta").ShouldBe(0.9611, 0.0001);
        StringDistance.JaroWinkler("dwayne", "duane").ShouldBe(0.84, 0.0001);
        StringDistance.JaroWinkler("dixon", "dicksonx").ShouldBe(0.8133, 0.0001);
    }

    [Fact]
    public void Levenshtein_and_damerau_levenshtein_differ_on_a_transposition()
    {
        StringDistance.Levenshtein("kitten", "sitting").ShouldBe(3);
        StringDistance.Levenshtein("ab", "ba").ShouldBe(2);
        StringDistance.DamerauLevenshtein("ab", "ba").ShouldBe(1);
        Gamma("""[{"type":"levenshtein","max":1}]""", "1234", "1243").ShouldBe(1);
        Gamma("""[{"type":"damerau_levenshtein","max":1}]""", "1234", "1243").ShouldBe(0);
    }

    [Fact]
    public void A_missing_value_on_either_side_is_the_null_level()
    {
        Gamma("""["exact"]""", null, "x").ShouldBe(-1);
        Gamma("""["exact"]""", "  ", "x").ShouldBe(-1);
    }

    [Fact]
    public void Standardisation_trims_and_lower_cases_before_comparing()
    {
        Gamma("""["exact"]""", " Smith ", "SMITH", """["trim","lower"]""").ShouldBe(0);
        Gamma("""["exact"]""", " Smith ", "SMITH").ShouldBe(1);
    }

    [Theory]
    [InlineData("19900512", "1990-05-12", 0)]
    [InlineData("19900512", "19900515", 1)]
    [InlineData("19900512", "19901205", 2)]
    [InlineData("19900512", "19800512", 3)]
    public void Date_levels_recognise_equal_dates_in_any_format_nearby_dates_and_a_day_month_swap(string left, string right, int expected) =>
        Gamma("""[{"type":"date_equal"},{"type":"date_within_days","days":7},{"type":"date_day_month_swapped"}]""", left, right).ShouldBe(expected);

    [Theory]
    [InlineData("100", "104", 0)]
    [InlineData("100", "109", 1)]
    [InlineData("100", "150", 2)]
    public void Numeric_levels_use_absolute_then_relative_difference(string left, string right, int expected) =>
        Gamma("""[{"type":"absolute_difference","max":5},{"type":"relative_difference","max":0.1}]""", left, right).ShouldBe(expected);

    [Fact]
    public void Distance_levels_compare_latitude_and_longitude_in_kilometres()
    {
        var settings = TestTables.Settings("""
            {
              "unique_id_column": "id",
              "blocking_rules": [["id"]],
              "comparisons": [{ "columns": ["lat", "lon"], "levels": [{"type":"distance_km","max":1},{"type":"distance_km","max":10}] }]
            }
            """);
        var table = new RecordTable(["id", "lat", "lon"]);
        table.Add("a", ["1", "22.5431", "114.0579"]);
        table.Add("a", ["2", "22.5480", "114.0600"]);
        table.Add("a", ["3", "22.6000", "114.0579"]);
        table.Add("a", ["4", "23.1291", "113.2644"]);
        var comparison = new PreparedComparison(settings.Comparisons[0], table);
        comparison.Refresh();
        comparison.Gamma(0, 1).ShouldBe(0);
        comparison.Gamma(0, 2).ShouldBe(1);
        comparison.Gamma(0, 3).ShouldBe(2);
    }

    [Fact]
    public void Chinese_levels_use_folding_then_pinyin()
    {
        var levels = """[{"type":"exact"},{"type":"folded_equal"},{"type":"pinyin_equal"}]""";
        Gamma(levels, "张伟", "张伟").ShouldBe(0);
        Gamma(levels, "張偉", "张伟").ShouldBe(1);
        Gamma(levels, "张伟", "章伟").ShouldBe(2);
        Gamma(levels, "张伟", "李娜").ShouldBe(3);
    }

    [Fact]
    public void Id_number_levels_accept_the_relations_they_name()
    {
        var levels = """[{"type":"exact"},{"type":"id_number","relations":["wrong_check_character","adjacent_transposition","one_digit_typo","one_digit_missing"]}]""";
        Gamma(levels, "11010519491231002X", "11010519491231002X").ShouldBe(0);
        Gamma(levels, "11010519491231002X", "11010519491213002X").ShouldBe(1);
        Gamma(levels, "11010519491231002X", "440304198001010011").ShouldBe(2);
    }
}
