using NetTopologySuite.Geometries;
using Zhiwang.MasterData.Keys;

namespace Zhiwang.Synthetic.Tests;

public sealed class CityValidityTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    private static readonly GeometryFactory Factory = new();

    [Fact]
    public void Every_person_has_a_unique_valid_ID_number_that_agrees_with_their_columns()
    {
        var persons = city.Read("persons.csv");
        persons.Count.ShouldBe(GeneratedCity.Persons);
        persons.Select(p => p["id_number"]).Distinct().Count().ShouldBe(persons.Count);
        foreach (var person in persons)
        {
            var id = person["id_number"];
            IdNumber.Validate(id).IsValid.ShouldBeTrue(id);
            var parts = IdNumber.Parse(id);
            parts.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ShouldBe(person["birth_date"]);
            (parts.Sex == Sex.Male ? "male" : "female").ShouldBe(person["sex"]);
            parts.AreaCode.ShouldBe(person["registered_area_code"]);
            (person["hukou"] == "registered").ShouldBe(parts.AreaCode.StartsWith("4403", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_let_house_is_never_owned_by_one_of_its_own_residents()
    {
        var residents = city.Read("persons.csv").ToLookup(p => p["house_code"], p => p["id_number"]);
        var let = city.Read("houses.csv").Where(h => h["use"] == "rented").ToList();
        let.ShouldNotBeEmpty();
        foreach (var house in let)
        {
            residents[house["house_code"]].ShouldNotContain(house["owner_id_number"], house["house_code"]);
        }
    }

    [Fact]
    public void About_four_in_five_persons_are_floating_population()
    {
        var persons = city.Read("persons.csv");
        var floating = persons.Count(p => p["hukou"] == "floating") / (double)persons.Count;
        floating.ShouldBeInRange(0.75, 0.85);
    }

    [Fact]
    public void Every_legal_entity_has_a_unique_valid_credit_code_and_a_real_legal_representative()
    {
        var ids = city.Read("persons.csv").Select(p => p["id_number"]).ToHashSet();
        var houses = city.Read("houses.csv").Select(h => h["house_code"]).ToHashSet();
        var entities = city.Read("legal_entities.csv");
        entities.Count.ShouldBe(GeneratedCity.Persons / 10);
        entities.Select(e => e["credit_code"]).Distinct().Count().ShouldBe(entities.Count);
        foreach (var entity in entities)
        {
            CreditCode.Validate(entity["credit_code"]).IsValid.ShouldBeTrue(entity["credit_code"]);
            ids.ShouldContain(entity["legal_representative_id_number"]);
            houses.ShouldContain(entity["house_code"]);
            entity["grid_code"].ShouldStartWith(CreditCode.Parse(entity["credit_code"]).AreaCode);
        }
    }

    [Fact]
    public void Every_person_lives_in_an_existing_house_and_every_employer_exists_and_is_active()
    {
        var houses = city.Read("houses.csv").ToDictionary(h => h["house_code"]);
        var entities = city.Read("legal_entities.csv").ToDictionary(e => e["credit_code"], e => e["status"]);
        var workers = 0;
        foreach (var person in city.Read("persons.csv"))
        {
            houses.ShouldContainKey(person["house_code"]);
            houses[person["house_code"]]["grid_code"].ShouldBe(person["grid_code"]);
            if (person["employer_credit_code"].Length > 0)
            {
                workers++;
                entities.ShouldContainKey(person["employer_credit_code"]);
                entities[person["employer_credit_code"]].ShouldBe("active");
            }
        }

        workers.ShouldBeGreaterThan(GeneratedCity.Persons / 3);
    }

    [Fact]
    public void House_codes_are_unique_and_valid_and_every_building_lies_in_its_grid()
    {
        var (_, grids) = TestCity.Build();
        var byCode = grids.ToDictionary(g => g.Code);
        var buildings = city.Read("buildings.csv").ToDictionary(b => b["building_code"]);
        foreach (var building in buildings.Values)
        {
            byCode.ShouldContainKey(building["grid_code"]);
            var point = Factory.CreatePoint(new Coordinate(
                double.Parse(building["longitude"], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(building["latitude"], System.Globalization.CultureInfo.InvariantCulture)));
            byCode[building["grid_code"]].Boundary.Contains(point).ShouldBeTrue(building["building_code"]);
        }

        var houses = city.Read("houses.csv");
        houses.Count.ShouldBeInRange((int)(GeneratedCity.Persons * 0.9), (int)(GeneratedCity.Persons * 0.9) + 60);
        houses.Select(h => h["house_code"]).Distinct().Count().ShouldBe(houses.Count);
        foreach (var house in houses)
        {
            HouseCode.Validate(house["house_code"]).IsValid.ShouldBeTrue(house["house_code"]);
            HouseCode.Parse(house["house_code"]).BuildingCode.ShouldBe(house["building_code"]);
            buildings[house["building_code"]]["grid_code"].ShouldBe(house["grid_code"]);
            (house["owner_id_number"].Length > 0 ^ house["owner_credit_code"].Length > 0).ShouldBeTrue(house["house_code"]);
        }

        (houses.Count / (double)buildings.Count).ShouldBeInRange(10, 18);
    }

    [Fact]
    public void City_components_are_coded_by_district_class_subclass_and_serial_and_lie_in_their_grid()
    {
        var (_, grids) = TestCity.Build();
        var byCode = grids.ToDictionary(g => g.Code);
        var components = city.Read("city_components.csv");
        components.Select(c => c["component_code"]).Distinct().Count().ShouldBe(components.Count);
        foreach (var component in components)
        {
            var code = component["component_code"];
            code.Length.ShouldBe(18);
            code.ShouldStartWith(component["grid_code"][..6]);
            var point = Factory.CreatePoint(new Coordinate(
                double.Parse(component["longitude"], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(component["latitude"], System.Globalization.CultureInfo.InvariantCulture)));
            byCode[component["grid_code"]].Boundary.Contains(point).ShouldBeTrue(code);
        }
    }

    [Fact]
    public void Children_are_20_to_40_years_younger_than_their_younger_parent()
    {
        var persons = city.Read("persons.csv");
        foreach (var household in persons.GroupBy(p => p["household_id"]))
        {
            var members = household.ToList();
            members.Count(m => m["relation_to_head"] == "head").ShouldBe(1);
            var parents = members.Where(m => m["relation_to_head"] is "head" or "spouse").Select(m => DateOnly.Parse(m["birth_date"], System.Globalization.CultureInfo.InvariantCulture)).ToList();
            var youngerParent = parents.Max();
            foreach (var child in members.Where(m => m["relation_to_head"] == "child"))
            {
                var gap = (DateOnly.Parse(child["birth_date"], System.Globalization.CultureInfo.InvariantCulture).DayNumber - youngerParent.DayNumber) / 365.25;
                gap.ShouldBeInRange(18.5, 41.5, child["id_number"]);
            }

            foreach (var parent in members.Where(m => m["relation_to_head"] == "parent"))
            {
                var head = DateOnly.Parse(members.Single(m => m["relation_to_head"] == "head")["birth_date"], System.Globalization.CultureInfo.InvariantCulture);
                ((head.DayNumber - DateOnly.Parse(parent["birth_date"], System.Globalization.CultureInfo.InvariantCulture).DayNumber) / 365.25).ShouldBeInRange(18.5, 45);
            }

            members.Select(m => m["house_code"]).Distinct().Count().ShouldBe(1);
        }
    }

    [Fact]
    public void The_grids_geojson_holds_every_grid_with_its_parents()
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(city.Directory, "grids.geojson")));
        var features = document.RootElement.GetProperty("features");
        var (_, grids) = TestCity.Build();
        features.GetArrayLength().ShouldBe(grids.Count);
        var first = features[0].GetProperty("properties");
        first.GetProperty("code").GetString().ShouldBe(grids.Min(g => g.Code));
        first.GetProperty("community_code").GetString()!.Length.ShouldBe(15);
        first.GetProperty("street_code").GetString()!.Length.ShouldBe(12);
    }
}
