using NetTopologySuite.Geometries;
using Zhiwang.Geo;

namespace Zhiwang.Synthetic.Tests;

/// <summary>
/// A small city shaped like Shenzhen's hierarchy (3 districts, 2 streets each, 2 communities each,
/// 6 grids each), so generator tests do not depend on the full map. Grids are squares, two of them
/// with a hole and one an L-shape, to exercise point-in-polygon placement.
/// </summary>
internal static class TestCity
{
    private static readonly GeometryFactory Factory = new();

    public static (IReadOnlyList<Division> Divisions, IReadOnlyList<Grid> Grids) Build()
    {
        var divisions = new List<Division> { new("440300", "深圳市", DivisionLevel.City, "440000") };
        var grids = new List<Grid>();
        string[] districts = ["440303", "440304", "440305"];
        string[] districtNames = ["罗湖区", "福田区", "南山区"];
        var weights = new List<double>();
        for (var d = 0; d < districts.Length; d++)
        {
            divisions.Add(new Division(districts[d], districtNames[d], DivisionLevel.District, "440300"));
            for (var s = 1; s <= 2; s++)
            {
                var street = $"{districts[d]}00{s}000";
                divisions.Add(new Division(street, $"{districtNames[d][..2]}{s}街道", DivisionLevel.Street, districts[d]));
                for (var c = 1; c <= 2; c++)
                {
                    var community = $"{street}00{c}";
                    divisions.Add(new Division(community, $"第{c}社区", DivisionLevel.Community, street));
                    for (var g = 1; g <= 6; g++)
                    {
                        var code = $"{community}00{g}";
                        divisions.Add(new Division(code, $"第{g}网格", DivisionLevel.Grid, community));
                        var x = 113.9 + (d * 0.1) + (s * 0.04) + (g * 0.005);
                        var y = 22.5 + (c * 0.01);
                        var polygon = (g % 3) switch
                        {
                            0 => Square(x, y, 0.004, hole: true),
                            1 => LShape(x, y, 0.004),
                            _ => Square(x, y, 0.004, hole: false),
                        };
                        grids.Add(new Grid(code, community, street, districts[d], polygon, 0));
                        weights.Add(1 + ((d * 7 + s * 3 + c * 5 + g) % 4));
                    }
                }
            }
        }

        var total = weights.Sum();
        return (divisions, grids.Select((g, i) => g with { HouseShare = weights[i] / total }).ToList());
    }

    private static Polygon Square(double x, double y, double size, bool hole)
    {
        var shell = Factory.CreateLinearRing([new(x, y), new(x + size, y), new(x + size, y + size), new(x, y + size), new(x, y)]);
        if (!hole)
        {
            return Factory.CreatePolygon(shell);
        }

        var q = size / 4;
        var inner = Factory.CreateLinearRing([new(x + q, y + q), new(x + q, y + (3 * q)), new(x + (3 * q), y + (3 * q)), new(x + (3 * q), y + q), new(x + q, y + q)]);
        return Factory.CreatePolygon(shell, [inner]);
    }

    private static Polygon LShape(double x, double y, double size)
    {
        var h = size / 2;
        return Factory.CreatePolygon([new(x, y), new(x + size, y), new(x + size, y + h), new(x + h, y + h), new(x + h, y + size), new(x, y + size), new(x, y)]);
    }
}
