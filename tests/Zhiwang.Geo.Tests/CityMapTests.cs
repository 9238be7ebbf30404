using System.Text.RegularExpressions;

namespace Zhiwang.Geo.Tests;

public sealed partial class CityMapTests
{
    private static CityMap Map => CityMap.Shenzhen;

    [Fact]
    public void The_city_is_Shenzhen_with_nine_districts()
    {
        Map.City.Code.ShouldBe("440300");
        Map.City.Name.ShouldBe("深圳市");
        Map.City.ParentCode.ShouldBeNull();
        Map.ChildrenOf("440300").Select(d => d.Code).ShouldBe(
            ["440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310", "440311"]);
    }

    [Fact]
    public void There_are_the_79_street_level_units_of_the_code_list()
    {
        var streets = Map.Divisions.Where(d => d.Level == DivisionLevel.Street).ToList();
        streets.Count.ShouldBe(79);
        Map.Find("440306400000")!.Name.ShouldBe("深圳市宝安国际机场");
        Map.ChildrenOf("440311").Count.ShouldBe(6);
    }

    [Fact]
    public void There_are_about_650_communities_and_about_16400_grids()
    {
        Map.Divisions.Count(d => d.Level == DivisionLevel.Community).ShouldBeInRange(600, 700);
        Map.Grids.Count.ShouldBeInRange(15_500, 17_500);
        Map.Divisions.Count(d => d.Level == DivisionLevel.Grid).ShouldBe(Map.Grids.Count);
    }

    [Fact]
    public void Every_street_has_a_community_and_every_community_a_grid()
    {
        foreach (var division in Map.Divisions.Where(d => d.Level is DivisionLevel.Street or DivisionLevel.Community))
        {
            Map.ChildrenOf(division.Code).ShouldNotBeEmpty(division.Code);
        }
    }

    [Fact]
    public void Codes_follow_the_scheme_and_are_unique()
    {
        Map.Divisions.Select(d => d.Code).Distinct().Count().ShouldBe(Map.Divisions.Count);
        foreach (var division in Map.Divisions)
        {
            var length = division.Level switch
            {
                DivisionLevel.City or DivisionLevel.District => 6,
                DivisionLevel.Street => 12,
                DivisionLevel.Community => 15,
                _ => 18,
            };
            division.Code.Length.ShouldBe(length, division.Code);
            Digits().IsMatch(division.Code).ShouldBeTrue(division.Code);
            if (division.Level >= DivisionLevel.Street)
            {
                var parent = Map.Find(division.ParentCode!).ShouldNotBeNull(division.Code);
                parent.Level.ShouldBe(division.Level - 1);
                if (division.Level > DivisionLevel.Street)
                {
                    division.Code.ShouldStartWith(parent.Code);
                    division.Code[^3..].ShouldNotBe("000");
                }
            }
        }
    }

    [Fact]
    public void Community_names_are_unique_within_their_street_and_grids_are_named_after_their_community()
    {
        foreach (var street in Map.Divisions.Where(d => d.Level == DivisionLevel.Street))
        {
            var names = Map.ChildrenOf(street.Code).Select(c => c.Name).ToList();
            names.Distinct().Count().ShouldBe(names.Count, street.Code);
            names.ShouldAllBe(n => n.EndsWith("社区"));
        }

        var grid = Map.Grids[0];
        var community = Map.Find(grid.CommunityCode)!;
        Map.Find(grid.Code)!.Name.ShouldBe($"{community.Name}第{int.Parse(grid.Code[^3..])}网格");
    }

    [Fact]
    public void Grids_know_their_community_street_and_district()
    {
        Map.Grids.Select(g => g.Code).ShouldBeInOrder(SortDirection.Ascending, StringComparer.Ordinal);
        foreach (var grid in Map.Grids)
        {
            var community = Map.Find(grid.CommunityCode)!;
            community.ParentCode.ShouldBe(grid.StreetCode);
            Map.Find(grid.StreetCode)!.ParentCode.ShouldBe(grid.DistrictCode);
            Map.FindGrid(grid.Code).ShouldBeSameAs(grid);
            Map.BoundaryOf(grid.Code).ShouldBeSameAs(grid.Boundary);
        }
    }

    [Fact]
    public void House_shares_are_positive_and_sum_to_one()
    {
        Map.Grids.ShouldAllBe(g => g.HouseShare > 0);
        Map.Grids.Sum(g => g.HouseShare).ShouldBe(1.0, 1e-9);
    }

    [Fact]
    public void Most_grids_hold_about_a_thousand_houses_at_full_scale()
    {
        const double Houses = 16_400_000;
        var sizes = Map.Grids.Select(g => g.HouseShare * Houses).Order().ToArray();
        sizes[sizes.Length / 10].ShouldBeGreaterThan(500);
        sizes[sizes.Length / 2].ShouldBeInRange(800, 1_250);
        sizes[sizes.Length * 9 / 10].ShouldBeLessThan(2_000);
    }

    [Fact]
    public void Unknown_codes_have_no_division_children_or_boundary()
    {
        Map.Find("440399").ShouldBeNull();
        Map.ChildrenOf("440399").ShouldBeEmpty();
        Should.Throw<KeyNotFoundException>(() => Map.BoundaryOf("440399"));
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Digits();
}
