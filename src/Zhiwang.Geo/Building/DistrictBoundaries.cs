using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace Zhiwang.Geo.Building;

/// <summary>The nine district boundaries, made from the eight shipped polygons.</summary>
internal static class DistrictBoundaries
{
    public const string BaoanCode = "440306";
    public const string GuangmingCode = "440311";

    /// <summary>
    /// Guangming was split from Bao'an in 2018 and has no polygon of its own in the source: it is the north-east of
    /// Bao'an's polygon. The approximate cut: everything of that polygon east of 113.87° E and north of 22.70° N.
    /// Shiyan (south of the line) and Songgang, Yanluo (west of it) stay in Bao'an, as they really do.
    /// </summary>
    public const double GuangmingWestLongitude = 113.87;

    /// <inheritdoc cref="GuangmingWestLongitude"/>
    public const double GuangmingSouthLatitude = 22.70;

    /// <summary>The shipped polygons, each made valid (GeometryFixer) if it is not.</summary>
    public static IReadOnlyDictionary<string, Geometry> ReadValid(GeometryFactory factory) =>
        ReferenceData.ReadDistrictBoundaries(factory)
            .ToDictionary(p => p.Key, p => p.Value.IsValid ? p.Value : GeometryFixer.Fix(p.Value), StringComparer.Ordinal);

    /// <summary>
    /// All nine districts, valid and pairwise disjoint: Guangming carved out of Bao'an, and where two shipped
    /// polygons overlap, the overlap stays with the district of the lower code and is subtracted from the other.
    /// </summary>
    public static SortedDictionary<string, Geometry> Prepare(GeometryFactory factory)
    {
        var shipped = ReadValid(factory);
        var districts = new SortedDictionary<string, Geometry>(shipped.ToDictionary(), StringComparer.Ordinal);
        var baoan = districts[BaoanCode];
        var cut = GuangmingCut(baoan, factory);
        districts[BaoanCode] = Tiling.Polygonal(OverlayNGRobust.Overlay(baoan, cut, SpatialFunction.Difference), factory);
        districts[GuangmingCode] = Tiling.Polygonal(OverlayNGRobust.Overlay(baoan, cut, SpatialFunction.Intersection), factory);

        var codes = districts.Keys.ToList();
        for (var i = 0; i < codes.Count; i++)
        {
            for (var j = i + 1; j < codes.Count; j++)
            {
                var earlier = districts[codes[i]];
                var later = districts[codes[j]];
                if (earlier.EnvelopeInternal.Intersects(later.EnvelopeInternal)
                    && OverlayNGRobust.Overlay(earlier, later, SpatialFunction.Intersection).Area > 0)
                {
                    districts[codes[j]] = Tiling.Polygonal(
                        OverlayNGRobust.Overlay(later, earlier, SpatialFunction.Difference), factory);
                }
            }
        }

        return districts;
    }

    /// <summary>The box north-east of the cut corner, reaching past Bao'an's polygon.</summary>
    public static Polygon GuangmingCut(Geometry baoan, GeometryFactory factory)
    {
        var e = baoan.EnvelopeInternal;
        return (Polygon)factory.ToGeometry(new Envelope(
            GuangmingWestLongitude, e.MaxX + 0.01, GuangmingSouthLatitude, e.MaxY + 0.01));
    }
}
