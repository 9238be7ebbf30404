using System.Text.Json.Nodes;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Tests.Catalogue;

public sealed class CatalogueJsonTests
{
    [Fact]
    public void The_default_catalogue_written_and_read_back_is_equal()
    {
        var original = EventCatalogue.Default;
        var reparsed = EventCatalogue.Parse(original.ToJson(), 2);

        reparsed.Classes.ShouldBe(original.Classes);
        reparsed.Rules.ShouldBe(original.Rules);
        reparsed.Departments.ShouldBe(original.Departments);
        reparsed.Groups.ShouldBe(original.Groups);
        reparsed.ToJson().ShouldBe(original.ToJson());
    }

    [Fact]
    public void Written_json_keeps_chinese_readable_and_rules_only_say_what_they_set()
    {
        var json = EventCatalogue.Parse(TestCatalogue.Json, 1).ToJson();
        json.ShouldContain("\"zh\": \"噪声扰民纠纷\"");
        var rule = JsonNode.Parse(json)!["rules"]![0]!.AsObject();
        rule.Select(member => member.Key).ShouldBe(["class", "division", "level", "department", "why"]);
    }

    [Fact]
    public void Classes_compare_by_content()
    {
        var one = EventCatalogue.Parse(TestCatalogue.Json, 1).Find("D0101")!;
        var same = EventCatalogue.Parse(TestCatalogue.Json, 2).Find("D0101")!;
        var longer = EventCatalogue.Parse(TestCatalogue.Set("classes[0].deadline", "\"6d\""), 1).Find("D0101")!;
        var otherOptions = EventCatalogue.Parse(TestCatalogue.Set("classes[0].attributes[1].options[3]", "\"birds\""), 1).Find("D0101")!;

        same.ShouldBe(one);
        same.GetHashCode().ShouldBe(one.GetHashCode());
        longer.ShouldNotBe(one);
        longer.HandleWithin.ShouldBe(WorkingDuration.Days(6));
        otherOptions.ShouldNotBe(one);
    }

    [Fact]
    public void A_catalogue_with_other_counts_than_48_and_136_is_allowed()
    {
        var catalogue = EventCatalogue.Parse(TestCatalogue.Json, 3);
        catalogue.Classes.Count.ShouldBe(4);
        catalogue.FindGroup("labour")!.Kind.ShouldBe(EventKind.Dispute);
        catalogue.FindDepartment("petitions")!.Zh.ShouldBe("信访局");
        catalogue.Find("D0101")!.FindAttribute("at_night")!.Required.ShouldBeFalse();
    }

    [Fact]
    public void Malformed_json_is_reported_with_its_line()
    {
        var json = "{\n  \"departments\": [],\n  \"groups\": [,]\n}";
        var exception = Should.Throw<CatalogueException>(() => EventCatalogue.Parse(json, 1));
        exception.Message.ShouldContain("not valid JSON at line 3");
    }

    [Fact]
    public void A_member_given_twice_is_reported_with_its_path()
    {
        var json = TestCatalogue.Json
            .Replace("\"deadline\": \"5d\",", "\"deadline\": \"5d\", \"deadline\": \"6d\",", StringComparison.Ordinal)
            .Replace("\"city\": \"justice\" }", "\"city\": \"justice\", \"city\": \"petitions\" }", StringComparison.Ordinal);

        var exception = Should.Throw<CatalogueException>(() => EventCatalogue.Parse(json, 1));

        exception.Problems.ShouldBe(["classes[0].deadline: given twice", "classes[0].departments.city: given twice"]);
    }

    [Theory]
    [InlineData("departments", null, "departments: required")]
    [InlineData("classes", "{}", "classes: expected a list")]
    [InlineData("classes[0].code", null, "classes[0].code: required")]
    [InlineData("departments[1].code", "\"community_workstation\"", "departments[1].code: 'community_workstation' is already departments[0]")]
    [InlineData("departments[1].code", "\"Street-Office\"", "departments[1].code: 'Street-Office' is not a department code")]
    [InlineData("groups[1].code", "\"neighbourhood\"", "groups[1].code: 'neighbourhood' is already groups[0]")]
    [InlineData("classes[1].code", "\"D0101\"", "classes[1].code: 'D0101' is already classes[0]")]
    [InlineData("classes[0].code", "\"D101\"", "classes[0].code: 'D101' is not a class code")]
    [InlineData("classes[0].code", "\"X0101\"", "classes[0].code: 'X0101' is not a class code")]
    [InlineData("classes[0].code", "\"D0100\"", "classes[0].code: 'D0100' is not a class code")]
    [InlineData("classes[0].kind", "\"hazard\"", "classes[0].kind: 'hazard' does not match the code D0101")]
    [InlineData("classes[3].group", "\"neighbourhood\"", "classes[3].group: 'neighbourhood' is a dispute group, but this class is a hazard")]
    [InlineData("classes[0].group", "\"neighbours\"", "classes[0].group: no group 'neighbours'")]
    [InlineData("classes[2].code", "\"D0302\"", "classes[2].code: D0302 is numbered as group 03, but group labour is numbered 02 (classes[1])")]
    [InlineData("classes[1].code", "\"D0102\"", "classes[1].code: D0102 is numbered as group 01, which is group neighbourhood's number (classes[0])")]
    [InlineData("classes[0].departments.district", "\"justise\"", "classes[0].departments.district: no department 'justise'")]
    [InlineData("classes[0].departments.city", null, "classes[0].departments.city: required")]
    [InlineData("classes[0].departments.province", "\"justice\"", "classes[0].departments.province: not a level")]
    [InlineData("classes[0].departments", null, "classes[0].departments: required")]
    [InlineData("classes[0].deadline", "\"5x\"", "classes[0].deadline: '5x' is not a duration (expected e.g. 4h or 5d)")]
    [InlineData("classes[0].accept", "\"0h\"", "classes[0].accept: '0h' is not a duration")]
    [InlineData("classes[0].accept", "2", "classes[0].accept: expected a string")]
    [InlineData("classes[0].urgency", "\"high\"", "classes[0].urgency: 'high' is not one of normal, urgent, emergency")]
    [InlineData("classes[0].startLevel", "\"province\"", "classes[0].startLevel: 'province' is not one of community, street, district, city")]
    [InlineData("classes[0].zh", "\" \"", "classes[0].zh: must not be empty")]
    [InlineData("classes[0].deadlline", "\"5d\"", "classes[0].deadlline: unknown member")]
    [InlineData("classes[0].attributes", null, "classes[0].attributes: required")]
    [InlineData("classes[0].attributes[0].type", "\"float\"", "classes[0].attributes[0].type: 'float' is not one of text, integer, number, boolean, date, choice")]
    [InlineData("classes[0].attributes[0].required", "\"yes\"", "classes[0].attributes[0].required: expected true or false")]
    [InlineData("classes[0].attributes[0].name", "\"Parties Involved\"", "classes[0].attributes[0].name: 'Parties Involved' is not an attribute name")]
    [InlineData("classes[0].attributes[1].options", null, "classes[0].attributes[1].options: required: a choice needs a list of options")]
    [InlineData("classes[0].attributes[1].options", "[]", "classes[0].attributes[1].options: a choice needs a non-empty list of options")]
    [InlineData("classes[0].attributes[1].options[2]", "\"music\"", "classes[0].attributes[1].options[2]: 'music' is listed twice")]
    [InlineData("classes[0].attributes[0].options", "[\"one\"]", "classes[0].attributes[0].options: only a choice has options")]
    [InlineData("classes[0].attributes[2].name", "\"parties\"", "classes[0].attributes[2].name: 'parties' is already attributes[0]")]
    [InlineData("rules[0].class", "\"D9999\"", "rules[0].class: no class 'D9999'")]
    [InlineData("rules[0].group", "\"labour\"", "rules[0]: names both a class and a group")]
    [InlineData("rules[0].division", "\"44030\"", "rules[0].division: '44030' is not a division code (district 6 digits, street 12, community 15)")]
    [InlineData("rules[0].department", "\"mayor\"", "rules[0].department: no department 'mayor'")]
    [InlineData("rules[0].urgency", "\"soon\"", "rules[0].urgency: 'soon' is not one of normal, urgent, emergency")]
    [InlineData("rules[0]", "{ \"class\": \"D0101\", \"why\": \"nothing\" }", "rules[0]: sets neither a level nor a department")]
    public void A_broken_catalogue_is_reported_with_the_path_of_the_problem(string path, string? value, string expected)
    {
        var json = TestCatalogue.Set(path, value);
        var exception = Should.Throw<CatalogueException>(() => EventCatalogue.Parse(json, 1));
        exception.Problems.ShouldContain(problem => problem.StartsWith(expected, StringComparison.Ordinal), exception.Message);
        exception.Message.ShouldContain(expected);
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var json = TestCatalogue.Change(root =>
        {
            root["classes"]![0]!["deadline"] = "5x";
            root["classes"]![1]!["departments"]!["street"] = "street_labor";
            root["groups"]![2]!["kind"] = "danger";
            root["rules"]![0]!["division"] = "4403";
        });

        var exception = Should.Throw<CatalogueException>(() => EventCatalogue.Parse(json, 1));

        exception.Problems.ShouldContain("classes[0].deadline: '5x' is not a duration (expected e.g. 4h or 5d)");
        exception.Problems.ShouldContain("classes[1].departments.street: no department 'street_labor'");
        exception.Problems.ShouldContain("groups[2].kind: 'danger' is not one of dispute, hazard");
        exception.Problems.ShouldContain(p => p.StartsWith("rules[0].division:", StringComparison.Ordinal));
        exception.Message.ShouldStartWith("The event catalogue has");
    }

    [Fact]
    public void At_most_twenty_problems_are_listed_and_the_rest_counted()
    {
        var json = TestCatalogue.Change(root =>
        {
            var attributes = root["classes"]![0]!["attributes"]!.AsArray();
            for (var i = 0; i < 25; i++)
            {
                attributes.Add(JsonNode.Parse($$"""{ "name": "extra_{{i}}", "type": "colour", "zh": "多余", "en": "Extra" }"""));
            }
        });

        var exception = Should.Throw<CatalogueException>(() => EventCatalogue.Parse(json, 1));

        exception.Problems.Count.ShouldBe(20);
        exception.Message.ShouldContain("The event catalogue has 25 problems");
        exception.Message.ShouldContain("… and 5 more");
    }

    [Fact]
    public void A_version_must_be_positive()
    {
        Should.Throw<ArgumentOutOfRangeException>(() => EventCatalogue.Parse(TestCatalogue.Json, 0));
    }
}
