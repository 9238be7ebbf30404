using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;

namespace Zhiwang.Geo.Tests;

public sealed class GridLocatorTests
{
    private static CityMap Map => CityMap.Shenzhen;

    [Fact]
    public void The_locator_agrees_with_NTS_on_random_points()
    {
        var index = new STRtree<int>();
        for (var i = 0; i < Map.Grids.Count; i++)
        {
            index.Insert(Map.Grids[i].Boundary.EnvelopeInternal, i);
        }

        var prepared = Map.Grids.Select(g => PreparedGeometryFactory.Prepare(g.Boundary)).ToArray();
        var city = Map.BoundaryOf(Map.City.Code).EnvelopeInternal;
        var random = new Random(20_260_101);
        var factory = Map.Grids[0].Boundary.Factory;
        var inside = 0;
        for (var n = 0; n < 200_000; n++)
        {
            var x = city.MinX + (random.NextDouble() * city.Width);
            var y = city.MinY + (random.NextDouble() * city.Height);
            var point = factory.CreatePoint(new Coordinate(x, y));
            var expected = index.Query(point.EnvelopeInternal).Where(i => prepared[i].Contains(point)).DefaultIfEmpty(-1).First();
            var located = Map.Locator.Locate(x, y);
            if (located != expected)
            {
                // Only a point on a boundary may go either way.
                var onBoundary = new[] { located, expected }.Where(i => i >= 0)
                    .Min(i => Map.Grids[i].Boundary.Boundary.Distance(point));
                onBoundary.ShouldBeLessThan(1e-9, $"({x}, {y}): locator {located}, NTS {expected}");
            }

            inside += expected >= 0 ? 1 : 0;
        }

        inside.ShouldBeGreaterThan(50_000); // the sample really exercised the grids, not only the sea
    }

    [Fact]
    public void The_locator_finds_the_grid_of_each_grid_interior_point()
    {
        for (var i = 0; i < Map.Grids.Count; i++)
        {
            var p = Map.Grids[i].Boundary.InteriorPoint;
            Map.Locator.Locate(p.X, p.Y).ShouldBe(i, Map.Grids[i].Code);
        }
    }

    [Fact]
    public void A_point_in_a_hole_belongs_to_the_grid_filling_the_hole()
    {
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        LinearRing Square(double x0, double y0, double x1, double y1) => factory.CreateLinearRing(
            [new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);
        var ring = factory.CreatePolygon(Square(114.00, 22.50, 114.10, 22.60), [Square(114.04, 22.54, 114.06, 22.56)]);
        var island = factory.CreatePolygon(Square(114.04, 22.54, 114.06, 22.56));
        var neighbour = factory.CreatePolygon(Square(114.10, 22.50, 114.20, 22.60));
        var locator = new GridLocator([ring, island, neighbour]);

        locator.Locate(114.05, 22.55).ShouldBe(1);
        locator.Locate(114.02, 22.55).ShouldBe(0);
        locator.Locate(114.0599, 22.5401).ShouldBe(1);
        locator.Locate(114.0601, 22.5401).ShouldBe(0);
        locator.Locate(114.15, 22.55).ShouldBe(2);
        locator.Locate(114.25, 22.55).ShouldBe(-1);
        locator.Locate(114.05, 22.49).ShouldBe(-1);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(113.0, 22.6)]
    [InlineData(114.9, 22.6)]
    [InlineData(114.1, 23.5)]
    [InlineData(114.05, 22.40)] // Shenzhen Bay, off Hong Kong: inside the box, outside the city
    [InlineData(double.NaN, 22.6)]
    [InlineData(113.7519, 22.6)] // just west of the raster's first column
    [InlineData(double.NegativeInfinity, double.PositiveInfinity)]
    public void The_locator_returns_minus_one_outside_the_city(double longitude, double latitude)
    {
        Map.Locator.Locate(longitude, latitude).ShouldBe(-1);
        Map.GridAt(longitude, latitude).ShouldBeNull();
    }

    [Fact]
    public void Well_known_places_fall_in_their_district()
    {
        Map.GridAt(114.0579, 22.5431)!.DistrictCode.ShouldBe("440304"); // Civic Centre, Futian
        Map.GridAt(114.1200, 22.5450)!.DistrictCode.ShouldBe("440303"); // Luohu
        Map.GridAt(113.9300, 22.5320)!.DistrictCode.ShouldBe("440305"); // Nanshan
        Map.GridAt(113.9350, 22.7800)!.DistrictCode.ShouldBe("440311"); // Guangming
    }
}
