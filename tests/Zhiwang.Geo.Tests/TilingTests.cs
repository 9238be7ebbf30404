using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using Zhiwang.Geo.Building;

namespace Zhiwang.Geo.Tests;

/// <summary>
/// Children tile their parent: their union is the parent and they do not overlap. Floating-point overlay leaves
/// noise, so areas are compared within <see cref="Tolerance"/> square degrees (1e-10 deg² is about 1 m²) plus a
/// relative 1e-9 of the parent's area.
/// </summary>
public sealed class TilingTests
{
    private const double Tolerance = 1e-10;

    private static CityMap Map => CityMap.Shenzhen;

    [Theory]
    [InlineData(DivisionLevel.City)]
    [InlineData(DivisionLevel.District)]
    [InlineData(DivisionLevel.Street)]
    [InlineData(DivisionLevel.Community)]
    public void Children_tile_their_parent_without_gaps_or_overlaps(DivisionLevel parentLevel)
    {
        foreach (var parent in Map.Divisions.Where(d => d.Level == parentLevel))
        {
            var children = Map.ChildrenOf(parent.Code).Select(c => Map.BoundaryOf(c.Code)).ToList();
            var parentBoundary = Map.BoundaryOf(parent.Code);
            var union = OverlayNGRobust.Union((Geometry)parentBoundary.Factory.CreateGeometryCollection(children.ToArray()));
            var allowed = Tolerance + (1e-9 * parentBoundary.Area);

            var gaps = OverlayNGRobust.Overlay(parentBoundary, union, SpatialFunction.SymDifference).Area;
            gaps.ShouldBeLessThan(allowed, $"union of the children of {parent.Code} differs from it");
            // The children's areas add up to their union's exactly when no two of them overlap.
            var overlaps = children.Sum(c => c.Area) - union.Area;
            Math.Abs(overlaps).ShouldBeLessThan(allowed, $"children of {parent.Code} overlap");
        }
    }

    [Fact]
    public void Every_boundary_is_a_valid_non_empty_area()
    {
        foreach (var division in Map.Divisions)
        {
            var boundary = Map.BoundaryOf(division.Code);
            boundary.IsEmpty.ShouldBeFalse(division.Code);
            boundary.Dimension.ShouldBe(Dimension.Surface, division.Code);
            boundary.IsValid.ShouldBeTrue(division.Code);
        }
    }

    [Fact]
    public void Guangming_is_carved_out_of_the_shipped_Baoan_polygon()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var shippedBaoan = DistrictBoundaries.ReadValid(factory)["440306"];
        var baoan = Map.BoundaryOf("440306");
        var guangming = Map.BoundaryOf("440311");

        guangming.Area.ShouldBeGreaterThan(0.01); // about 150 km², the real district's size
        OverlayNGRobust.Overlay(baoan, guangming, SpatialFunction.Intersection).Area.ShouldBeLessThan(Tolerance);
        var together = OverlayNGRobust.Overlay(baoan, guangming, SpatialFunction.Union);
        OverlayNGRobust.Overlay(together, shippedBaoan, SpatialFunction.SymDifference).Area.ShouldBeLessThan(Tolerance);
        guangming.EnvelopeInternal.MinX.ShouldBeGreaterThanOrEqualTo(DistrictBoundaries.GuangmingWestLongitude);
        guangming.EnvelopeInternal.MinY.ShouldBeGreaterThanOrEqualTo(DistrictBoundaries.GuangmingSouthLatitude);
    }

    [Fact]
    public void Special_zones_are_small_and_near_their_real_place()
    {
        var airport = Map.BoundaryOf("440306400000");
        airport.Area.ShouldBeLessThan(0.003); // about 30 km²
        airport.Centroid.Distance(airport.Factory.CreatePoint(new Coordinate(113.81, 22.64))).ShouldBeLessThan(0.03);
        Map.BoundaryOf("440304400000").Area.ShouldBeLessThan(0.0003);
    }

    [Fact]
    public void Two_builds_give_the_same_codes_and_geometries()
    {
        var first = Map;
        var second = CityMapBuilder.BuildShenzhen();

        second.Divisions.ShouldBe(first.Divisions);
        second.Grids.Count.ShouldBe(first.Grids.Count);
        foreach (var division in first.Divisions)
        {
            second.BoundaryOf(division.Code).EqualsExact(first.BoundaryOf(division.Code)).ShouldBeTrue(division.Code);
        }

        second.Grids.Select(g => g.HouseShare).ShouldBe(first.Grids.Select(g => g.HouseShare));
    }

    [Fact]
    public void Apportioning_gives_each_at_least_one_and_keeps_the_total()
    {
        var counts = CityMapBuilder.Apportion([10.0, 0.001, 5.0, 5.0], 20);
        counts.ShouldAllBe(c => c >= 1);
        counts.Sum().ShouldBe(20);
        counts[0].ShouldBeInRange(9, 10);
    }
}
