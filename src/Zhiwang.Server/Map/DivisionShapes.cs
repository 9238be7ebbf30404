using System.Collections.Concurrent;
using NetTopologySuite.Geometries;
using NetTopologySuite.Simplify;
using Zhiwang.Geo;

namespace Zhiwang.Server.Map;

/// <summary>
/// Division boundaries made light enough for the wire: simplified by a tolerance that suits the level
/// they are drawn at, rounded to about a metre, and kept in memory since boundaries do not change while the host runs.
/// </summary>
public sealed class DivisionShapes(CityMap cityMap)
{
    private const int Decimals = 5;
    private readonly ConcurrentDictionary<string, DivisionShape> _shapes = new(StringComparer.Ordinal);

    public DivisionShape Of(Division division) =>
        _shapes.GetOrAdd(division.Code, static (_, state) => state.Self.Build(state.Division), (Self: this, Division: division));

    /// <summary>Tolerance in degrees (about 100 m per 0.001°): coarser where a whole district fits on a screen.</summary>
    internal static double ToleranceFor(DivisionLevel level) => level switch
    {
        DivisionLevel.City => 0.002,
        DivisionLevel.District => 0.001,
        DivisionLevel.Street => 0.0004,
        DivisionLevel.Community => 0.00015,
        _ => 0.00005,
    };

    private DivisionShape Build(Division division)
    {
        var boundary = cityMap.BoundaryOf(division.Code);
        var simplified = TopologyPreservingSimplifier.Simplify(boundary, ToleranceFor(division.Level));
        if (simplified.IsEmpty)
        {
            simplified = boundary;
        }

        var inside = boundary.IsEmpty ? boundary.Centroid : boundary.InteriorPoint;
        double[] center = inside.IsEmpty ? [0, 0] : [Round(inside.X), Round(inside.Y)];
        return new DivisionShape(new MultiPolygonGeometry(Polygons(simplified).Select(Rings).ToArray()), center);
    }

    private static IEnumerable<Polygon> Polygons(Geometry geometry)
    {
        for (var i = 0; i < geometry.NumGeometries; i++)
        {
            switch (geometry.GetGeometryN(i))
            {
                case Polygon { IsEmpty: false } polygon:
                    yield return polygon;
                    break;
                case GeometryCollection collection when !ReferenceEquals(collection, geometry):
                    foreach (var inner in Polygons(collection))
                    {
                        yield return inner;
                    }

                    break;
            }
        }
    }

    private static double[][][] Rings(Polygon polygon) =>
        [Ring(polygon.ExteriorRing), .. polygon.InteriorRings.Select(Ring)];

    private static double[][] Ring(LineString ring) =>
        ring.Coordinates.Select(c => new[] { Round(c.X), Round(c.Y) }).ToArray();

    private static double Round(double value) => Math.Round(value, Decimals);
}

public sealed record DivisionShape(MultiPolygonGeometry Geometry, double[] Center);
