using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Tests.Catalogue;

public sealed class RouteTests
{
    private const string FutianGrid = TestCatalogue.FutianGrid;
    private const string LuohuGrid = TestCatalogue.LuohuGrid;

    [Fact]
    public void Without_rules_an_event_goes_to_its_class_start_level_and_department()
    {
        var catalogue = TestCatalogue.WithRules("[]");
        var noise = catalogue.Find("D0101")!;

        catalogue.Route(noise, Urgency.Normal, FutianGrid)
            .ShouldBe(new ResponsibleUnit(Level.Community, "community_workstation", "440304001000001", null));
        catalogue.Route(catalogue.Find("H0101")!, Urgency.Emergency, FutianGrid)
            .ShouldBe(new ResponsibleUnit(Level.District, "fire", "440304", null));
    }

    [Fact]
    public void A_district_rule_overrides_only_inside_its_district()
    {
        var catalogue = EventCatalogue.Parse(TestCatalogue.Json, 1);
        var noise = catalogue.Find("D0101")!;

        catalogue.Route(noise, Urgency.Normal, FutianGrid)
            .ShouldBe(new ResponsibleUnit(Level.District, "petitions", "440304", catalogue.Rules[0]));
        catalogue.Route(noise, Urgency.Normal, LuohuGrid)
            .ShouldBe(new ResponsibleUnit(Level.Community, "community_workstation", "440303001000001", null));
    }

    [Fact]
    public void A_longer_division_prefix_beats_a_shorter_one()
    {
        // The street rule comes first, so it wins by being more specific, not by being later.
        var catalogue = TestCatalogue.WithRules("""
            [
              { "group": "neighbourhood", "division": "440304001000", "level": "street", "department": "street_safety" },
              { "group": "neighbourhood", "division": "440304", "level": "district", "department": "petitions" }
            ]
            """);
        var noise = catalogue.Find("D0101")!;

        catalogue.Route(noise, Urgency.Normal, FutianGrid).ShouldSatisfyAllConditions(
            unit => unit.Level.ShouldBe(Level.Street),
            unit => unit.Department.ShouldBe("street_safety"),
            unit => unit.DivisionCode.ShouldBe("440304001000"),
            unit => unit.Rule.ShouldBe(catalogue.Rules[0]));
        catalogue.Route(noise, Urgency.Normal, TestCatalogue.OtherFutianGrid).Department.ShouldBe("petitions");
    }

    [Fact]
    public void A_class_rule_beats_a_group_rule()
    {
        var catalogue = TestCatalogue.WithRules("""
            [
              { "class": "D0201", "level": "street" },
              { "group": "labour", "level": "district" }
            ]
            """);

        catalogue.Route(catalogue.Find("D0201")!, Urgency.Normal, LuohuGrid)
            .ShouldBe(new ResponsibleUnit(Level.Street, "street_labour", "440303001000", catalogue.Rules[0]));
        catalogue.Route(catalogue.Find("D0202")!, Urgency.Normal, LuohuGrid)
            .ShouldBe(new ResponsibleUnit(Level.District, "human_resources", "440303", catalogue.Rules[1]));
    }

    [Fact]
    public void An_urgent_labour_dispute_starts_at_the_street()
    {
        var catalogue = TestCatalogue.WithRules("""
            [
              { "group": "labour", "urgency": "urgent", "level": "street", "why": "Urgent labour disputes start at the street" },
              { "group": "labour", "level": "district" }
            ]
            """);
        var wages = catalogue.Find("D0201")!;

        catalogue.Route(wages, Urgency.Urgent, LuohuGrid)
            .ShouldBe(new ResponsibleUnit(Level.Street, "street_labour", "440303001000", catalogue.Rules[0]));
        catalogue.Route(wages, Urgency.Normal, LuohuGrid).Level.ShouldBe(Level.District);
    }

    [Fact]
    public void On_a_tie_the_later_rule_wins()
    {
        var catalogue = TestCatalogue.WithRules("""
            [
              { "group": "neighbourhood", "level": "street", "department": "street_safety" },
              { "group": "neighbourhood", "level": "street", "department": "street_labour" }
            ]
            """);

        catalogue.Route(catalogue.Find("D0101")!, Urgency.Normal, FutianGrid).Department.ShouldBe("street_labour");
    }

    [Fact]
    public void A_rule_that_only_sets_the_level_keeps_a_less_specific_rule_department_for_that_level()
    {
        var catalogue = TestCatalogue.WithRules("""
            [
              { "group": "neighbourhood", "division": "440304", "level": "street", "department": "street_safety" },
              { "class": "D0101", "urgency": "urgent", "level": "street" }
            ]
            """);

        catalogue.Route(catalogue.Find("D0101")!, Urgency.Urgent, FutianGrid)
            .ShouldBe(new ResponsibleUnit(Level.Street, "street_safety", "440304001000", catalogue.Rules[0]));
    }

    [Fact]
    public void A_rule_with_a_department_and_no_level_names_the_department_where_the_event_starts()
    {
        var catalogue = TestCatalogue.WithRules("""[ { "class": "D0101", "department": "petitions" } ]""");
        var noise = catalogue.Find("D0101")!;

        catalogue.Route(noise, Urgency.Normal, FutianGrid).ShouldSatisfyAllConditions(
            unit => unit.Level.ShouldBe(Level.Community),
            unit => unit.Department.ShouldBe("petitions"));
        catalogue.Route(noise, Urgency.Normal, FutianGrid, Level.Street).Department.ShouldBe("street_comprehensive_governance");
    }

    [Theory]
    [InlineData(Level.Community, "community_workstation", "440303001000001")]
    [InlineData(Level.Street, "street_comprehensive_governance", "440303001000")]
    [InlineData(Level.District, "justice", "440303")]
    [InlineData(Level.City, "justice", "440300")]
    public void A_given_level_returns_that_level_department_and_division(Level level, string department, string division)
    {
        var catalogue = EventCatalogue.Parse(TestCatalogue.Json, 1);

        catalogue.Route(catalogue.Find("D0101")!, Urgency.Normal, LuohuGrid, level)
            .ShouldBe(new ResponsibleUnit(level, department, division, null));
    }

    [Fact]
    public void Escalating_past_a_rule_level_uses_the_class_department()
    {
        var catalogue = EventCatalogue.Parse(TestCatalogue.Json, 1);
        var noise = catalogue.Find("D0101")!;

        catalogue.Route(noise, Urgency.Normal, FutianGrid, Level.District).Department.ShouldBe("petitions");
        catalogue.Route(noise, Urgency.Normal, FutianGrid, Level.City)
            .ShouldBe(new ResponsibleUnit(Level.City, "justice", "440300", null));
    }

    [Theory]
    [InlineData("44030400100000100")]
    [InlineData("4403040010000010011")]
    [InlineData("44030400100000100x")]
    public void A_place_that_is_not_a_grid_code_is_refused(string gridCode)
    {
        var catalogue = EventCatalogue.Parse(TestCatalogue.Json, 1);
        Should.Throw<ArgumentException>(() => catalogue.Route(catalogue.Find("D0101")!, Urgency.Normal, gridCode));
    }

    [Fact]
    public void Division_codes_are_cut_from_the_grid_code()
    {
        EventCatalogue.DivisionCode(FutianGrid, Level.Community).ShouldBe("440304001000001");
        EventCatalogue.DivisionCode(FutianGrid, Level.Street).ShouldBe("440304001000");
        EventCatalogue.DivisionCode(FutianGrid, Level.District).ShouldBe("440304");
        EventCatalogue.DivisionCode(FutianGrid, Level.City).ShouldBe("440300");
    }
}
