using Zhiwang.Linkage.Settings;

namespace Zhiwang.Linkage.Tests;

public sealed class SettingsTests
{
    private const string Valid = """
        {
          "unique_id_column": "id",
          "link_type": "link_only",
          "blocking_rules": [["surname"], [{"column": "dob", "transform": "year"}, {"column": "name", "transform": "first_2"}]],
          "comparisons": [
            { "column": "name", "standardise": ["trim", "lower"], "term_frequency_adjustments": true,
              "levels": [{"type": "exact"}, {"type": "jaro_winkler", "threshold": 0.9}] }
          ],
          "threshold": { "match_probability": 0.9 },
          "clustering": { "min_link_share": 0.6, "one_record_per_source": true }
        }
        """;

    [Fact]
    public void Valid_settings_are_read()
    {
        var settings = LinkageSettings.Parse(Valid);

        settings.LinkType.ShouldBe(LinkType.LinkOnly);
        settings.BlockingRules[1].Columns[1].ShouldBe(new BlockingColumn("name", ColumnTransform.First, 2));
        settings.Comparisons[0].Levels[1].Value.ShouldBe(0.9);
        settings.Comparisons[0].TermFrequencyAdjustments.ShouldBeTrue();
        settings.ThresholdMatchWeight!.Value.ShouldBe(Math.Log2(9), 1e-9);
        settings.Clustering.ShouldBe(new ClusteringSettings(0.6, true));
        settings.Columns.ShouldBe(["id", "surname", "dob", "name"]);
    }

    [Theory]
    [InlineData("\"comparisons\": [", "\"colour\": 1, \"comparisons\": [", "$.colour", "unknown key")]
    [InlineData("\"threshold\": 0.9", "\"threshold\": 1.5", "$.comparisons[0].levels[1].threshold", "out of range")]
    [InlineData("\"type\": \"jaro_winkler\"", "\"type\": \"jaro\"", "$.comparisons[0].levels[1].type", "unknown level type 'jaro'")]
    [InlineData("\"transform\": \"year\"", "\"transform\": \"decade\"", "$.blocking_rules[1][0].transform", "unknown transform 'decade'")]
    [InlineData("\"link_only\"", "\"link_some\"", "$.link_type", "unknown value 'link_some'")]
    [InlineData("\"unique_id_column\": \"id\",", "", "$.unique_id_column", "is required")]
    [InlineData("\"match_probability\": 0.9", "\"match_probability\": 1", "$.threshold.match_probability", "out of range")]
    [InlineData("\"standardise\": [\"trim\", \"lower\"]", "\"standardise\": [\"trim\", \"upper\"]", "$.comparisons[0].standardise[1]", "unknown value 'upper'")]
    public void A_bad_key_or_value_is_reported_with_its_json_path(string find, string replace, string path, string reason)
    {
        var error = Should.Throw<LinkageSettingsException>(() => LinkageSettings.Parse(Valid.Replace(find, replace, StringComparison.Ordinal), "people.json"));

        error.JsonPath.ShouldBe(path);
        error.Message.ShouldStartWith($"people.json: {path}: ");
        error.Message.ShouldContain(reason);
    }

    [Fact]
    public void Invalid_json_is_reported_with_the_file_name()
    {
        var error = Should.Throw<LinkageSettingsException>(() => LinkageSettings.Parse("{ \"unique_id_column\": ", "people.json"));
        error.Message.ShouldStartWith("people.json: $: is not valid JSON");
    }

    [Fact]
    public void The_example_in_the_docs_is_valid()
    {
        var docs = File.ReadAllText(Path.Combine(TestTables.RepositoryRoot(), "docs", "LINKAGE.md"));
        var start = docs.IndexOf("```json", StringComparison.Ordinal) + "```json".Length;
        var json = docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)];

        var settings = LinkageSettings.Parse(json, "LINKAGE.md");

        settings.Comparisons.Count.ShouldBe(5);
        settings.Columns.ShouldContain("lat");
    }
}
