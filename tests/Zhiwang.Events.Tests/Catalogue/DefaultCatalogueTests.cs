using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Tests.Catalogue;

public sealed class DefaultCatalogueTests
{
    private static EventCatalogue Catalogue => EventCatalogue.Default;

    [Fact]
    public void The_default_catalogue_has_48_dispute_and_136_hazard_classes()
    {
        Catalogue.Classes.Count(c => c.Kind == EventKind.Dispute).ShouldBe(48);
        Catalogue.Classes.Count(c => c.Kind == EventKind.Hazard).ShouldBe(136);
    }

    [Fact]
    public void The_default_catalogue_is_version_1_of_the_embedded_file()
    {
        Catalogue.Version.ShouldBe(1);
        EventCatalogue.DefaultJson.ShouldContain("\"D0101\"");
        EventCatalogue.Default.ShouldBeSameAs(Catalogue);
        EventCatalogue.Parse(EventCatalogue.DefaultJson, 7).Version.ShouldBe(7);
    }

    [Fact]
    public void Class_codes_are_unique_and_each_group_has_its_own_number()
    {
        Catalogue.Classes.Select(c => c.Code).ShouldBeUnique();
        foreach (var byGroup in Catalogue.Classes.GroupBy(c => c.Group))
        {
            byGroup.Select(c => c.Code[..3]).Distinct().Count().ShouldBe(1, byGroup.Key);
        }

        Catalogue.Classes.Select(c => c.Code[..3]).Distinct().Count().ShouldBe(Catalogue.Groups.Count);
        Catalogue.Find("D0101")!.Zh.ShouldBe("噪声扰民纠纷");
        Catalogue.Find("H9999").ShouldBeNull();
    }

    [Fact]
    public void Every_department_a_class_or_rule_names_exists()
    {
        Catalogue.Departments.Count.ShouldBeInRange(20, 26);
        foreach (var eventClass in Catalogue.Classes)
        {
            eventClass.Departments.Keys.Order().ToArray().ShouldBe(new[] { Level.Community, Level.Street, Level.District, Level.City }, eventClass.Code);
            foreach (var code in eventClass.Departments.Values)
            {
                Catalogue.FindDepartment(code).ShouldNotBeNull($"{eventClass.Code} names {code}");
            }
        }

        foreach (var rule in Catalogue.Rules.Where(r => r.Department is not null))
        {
            Catalogue.FindDepartment(rule.Department!).ShouldNotBeNull(rule.Why);
        }
    }

    [Fact]
    public void Every_department_is_used_and_every_group_has_classes_of_its_kind()
    {
        var named = Catalogue.Classes.SelectMany(c => c.Departments.Values)
            .Concat(Catalogue.Rules.Select(r => r.Department).OfType<string>())
            .ToHashSet();
        Catalogue.Departments.Select(d => d.Code).Where(code => !named.Contains(code)).ShouldBeEmpty();
        foreach (var group in Catalogue.Groups)
        {
            var classes = Catalogue.Classes.Where(c => c.Group == group.Code).ToList();
            classes.ShouldNotBeEmpty(group.Code);
            classes.ShouldAllBe(c => c.Kind == group.Kind);
        }

        Catalogue.Groups.Count(g => g.Kind == EventKind.Dispute).ShouldBe(10);
        Catalogue.Groups.Count(g => g.Kind == EventKind.Hazard).ShouldBe(16);
    }

    [Fact]
    public void Every_class_asks_for_one_to_four_attributes()
    {
        foreach (var eventClass in Catalogue.Classes)
        {
            eventClass.Attributes.Count.ShouldBeInRange(1, 4, eventClass.Code);
            eventClass.Attributes.Where(a => a.Type == AttributeType.Choice).ShouldAllBe(a => a.Options.Count >= 2);
        }

        var wages = Catalogue.Find("D0201")!;
        wages.FindAttribute("workers")!.ShouldSatisfyAllConditions(
            a => a.Type.ShouldBe(AttributeType.Integer),
            a => a.Required.ShouldBeTrue());
        wages.FindAttribute("amount")!.Type.ShouldBe(AttributeType.Number);
        wages.FindAttribute("employer")!.Type.ShouldBe(AttributeType.Text);
    }

    [Fact]
    public void Most_classes_are_normal_and_emergencies_start_high_with_short_deadlines()
    {
        Catalogue.Classes.Count(c => c.Urgency == Urgency.Normal).ShouldBeGreaterThan(Catalogue.Classes.Count / 2);
        Catalogue.Classes.Count(c => c.Urgency == Urgency.Urgent).ShouldBeGreaterThan(10);
        var emergencies = Catalogue.Classes.Where(c => c.Urgency == Urgency.Emergency).ToList();
        emergencies.Count.ShouldBeInRange(4, 12);
        foreach (var emergency in emergencies)
        {
            emergency.StartLevel.ShouldBeOneOf(Level.Street, Level.District);
            emergency.AcceptWithin.ShouldBe(WorkingDuration.Hours(1));
            emergency.HandleWithin.Unit.ShouldBe(DurationUnit.Hours, emergency.Code);
            emergency.HandleWithin.Amount.ShouldBeLessThanOrEqualTo(24, emergency.Code);
        }

        Catalogue.Find("H0901")!.ShouldSatisfyAllConditions(
            gasLeak => gasLeak.En.ShouldBe("Gas leak"),
            gasLeak => gasLeak.Urgency.ShouldBe(Urgency.Emergency));
    }

    [Fact]
    public void The_default_rules_send_futian_high_rise_fires_and_urgent_labour_disputes_higher()
    {
        var highRise = Catalogue.Find("H0107")!;
        Catalogue.Route(highRise, Urgency.Normal, TestCatalogue.FutianGrid)
            .ShouldBe(new ResponsibleUnit(Level.District, "fire", "440304", Catalogue.Rules.Single(r => r.Class == "H0107")));
        Catalogue.Route(highRise, Urgency.Normal, TestCatalogue.LuohuGrid)
            .ShouldBe(new ResponsibleUnit(Level.Street, "street_safety", "440303001000", null));

        var dismissal = Catalogue.Find("D0204")!;
        dismissal.StartLevel.ShouldBe(Level.Community);
        Catalogue.Route(dismissal, Urgency.Urgent, TestCatalogue.LuohuGrid).ShouldSatisfyAllConditions(
            unit => unit.Level.ShouldBe(Level.Street),
            unit => unit.Department.ShouldBe("street_labour"));
    }

    [Fact]
    public void Routing_to_the_level_an_event_starts_at_gives_the_same_unit()
    {
        foreach (var eventClass in Catalogue.Classes)
        {
            foreach (var urgency in Enum.GetValues<Urgency>())
            {
                foreach (var grid in new[] { TestCatalogue.FutianGrid, TestCatalogue.LuohuGrid, "440305400000001001" })
                {
                    var first = Catalogue.Route(eventClass, urgency, grid);
                    Catalogue.Route(eventClass, urgency, grid, first.Level).ShouldBe(first, $"{eventClass.Code} {urgency} {grid}");
                }
            }
        }
    }
}
