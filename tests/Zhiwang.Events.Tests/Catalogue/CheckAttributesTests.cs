using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Tests.Catalogue;

public sealed class CheckAttributesTests
{
    private static readonly EventCatalogue Catalogue = EventCatalogue.Parse(TestCatalogue.Json, 1);

    private static EventClass Noise => Catalogue.Find("D0101")!;

    private static IReadOnlyList<string> Check(string json) => Catalogue.CheckAttributes(Noise, TestCatalogue.Attributes(json));

    [Fact]
    public void Good_attributes_have_no_problems()
    {
        Check("""{ "parties": 3, "noise_source": "music", "at_night": true, "first_noticed": "2024-02-29", "note": "每晚十点后" }""")
            .ShouldBeEmpty();
        Check("""{ "parties": 2 }""").ShouldBeEmpty();
        Check("""{ "parties": 2, "noise_source": null }""").ShouldBeEmpty();
        Catalogue.CheckAttributes(Catalogue.Find("D0201")!, TestCatalogue.Attributes("""{ "workers": 12, "amount_owed": 86500.5, "employer": "某电子厂" }"""))
            .ShouldBeEmpty();
    }

    [Fact]
    public void A_required_attribute_that_is_missing_is_reported()
    {
        Check("""{ "at_night": false }""").ShouldBe(["attributes.parties: required"]);
        Check("""{ "parties": null }""").ShouldBe(["attributes.parties: required"]);
        Catalogue.CheckAttributes(Noise, null).ShouldBe(["attributes.parties: required"]);
    }

    [Theory]
    [InlineData("""{ "parties": "three" }""", "attributes.parties: expected a whole number, got 'three'")]
    [InlineData("""{ "parties": 2.5 }""", "attributes.parties: expected a whole number, got 2.5")]
    [InlineData("""{ "parties": 2, "at_night": "yes" }""", "attributes.at_night: expected true or false, got 'yes'")]
    [InlineData("""{ "parties": 2, "note": 42 }""", "attributes.note: expected text, got 42")]
    [InlineData("""{ "parties": 2, "note": ["a"] }""", "attributes.note: expected text, got a list")]
    public void A_value_of_the_wrong_type_is_reported(string json, string expected)
    {
        Check(json).ShouldBe([expected]);
    }

    [Fact]
    public void A_number_must_be_a_json_number()
    {
        Catalogue.CheckAttributes(Catalogue.Find("D0201")!, TestCatalogue.Attributes("""{ "workers": 3, "amount_owed": "5000" }"""))
            .ShouldBe(["attributes.amount_owed: expected a number, got '5000'"]);
    }

    [Fact]
    public void A_name_the_class_does_not_have_is_reported()
    {
        Check("""{ "parties": 2, "volume_db": 80 }""").ShouldBe(["attributes.volume_db: not an attribute of D0101"]);
    }

    [Fact]
    public void A_choice_must_be_one_of_the_options()
    {
        Check("""{ "parties": 2, "noise_source": "drums" }""")
            .ShouldBe(["attributes.noise_source: 'drums' is not one of renovation, music, pets, other"]);
        Check("""{ "parties": 2, "noise_source": "Music" }""").Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("2024-02-30")]
    [InlineData("30/01/2024")]
    [InlineData("2024-1-5")]
    [InlineData("2024-01-05T10:00:00")]
    public void A_date_must_be_a_real_day_written_yyyy_mm_dd(string date)
    {
        Check($$"""{ "parties": 2, "first_noticed": "{{date}}" }""")
            .ShouldBe([$"attributes.first_noticed: '{date}' is not a date (expected yyyy-MM-dd)"]);
    }

    [Fact]
    public void Text_is_at_most_2000_characters()
    {
        Check($$"""{ "parties": 2, "note": "{{new string('吵', 2000)}}" }""").ShouldBeEmpty();
        Check($$"""{ "parties": 2, "note": "{{new string('吵', 2001)}}" }""")
            .ShouldBe(["attributes.note: longer than 2,000 characters"]);
    }

    [Fact]
    public void Every_problem_is_reported_together()
    {
        Check("""{ "noise_source": "drums", "at_night": 1, "colour": "red" }""").ShouldBe([
            "attributes.parties: required",
            "attributes.noise_source: 'drums' is not one of renovation, music, pets, other",
            "attributes.at_night: expected true or false, got 1",
            "attributes.colour: not an attribute of D0101",
        ]);
    }
}
