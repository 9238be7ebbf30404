using System.Globalization;
using System.Text;
using NetTopologySuite.Geometries;
using Zhiwang.Geo;

namespace Zhiwang.Synthetic.Output;

/// <summary>Writes the city's grids as a GeoJSON FeatureCollection with their codes and parents.</summary>
internal static class GridGeoJson
{
    public static void Write(string path, IReadOnlyList<Grid> grids, IReadOnlyDictionary<string, string> names)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write("{\"type\":\"FeatureCollection\",\"features\":[");
        for (var i = 0; i < grids.Count; i++)
        {
            var grid = grids[i];
            writer.Write(i == 0 ? "\n" : ",\n");
            writer.Write("{\"type\":\"Feature\",\"properties\":{\"code\":\"");
            writer.Write(grid.Code);
            writer.Write("\",\"name\":\"");
            writer.Write(names.GetValueOrDefault(grid.Code, grid.Code));
            writer.Write("\",\"level\":\"grid\",\"parent_code\":\"");
            writer.Write(grid.CommunityCode);
            writer.Write("\",\"community_code\":\"");
            writer.Write(grid.CommunityCode);
            writer.Write("\",\"street_code\":\"");
            writer.Write(grid.StreetCode);
            writer.Write("\",\"district_code\":\"");
            writer.Write(grid.DistrictCode);
            writer.Write("\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[");
            WriteRing(writer, grid.Boundary.ExteriorRing);
            for (var r = 0; r < grid.Boundary.NumInteriorRings; r++)
            {
                writer.Write(',');
                WriteRing(writer, grid.Boundary.GetInteriorRingN(r));
            }

            writer.Write("]}}");
        }

        writer.Write("\n]}\n");
    }

    private static void WriteRing(StreamWriter writer, LineString ring)
    {
        writer.Write('[');
        var sequence = ring.CoordinateSequence;
        Span<char> buffer = stackalloc char[32];
        for (var i = 0; i < sequence.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            writer.Write('[');
            sequence.GetX(i).TryFormat(buffer, out var n, "0.######", CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
            writer.Write(',');
            sequence.GetY(i).TryFormat(buffer, out n, "0.######", CultureInfo.InvariantCulture);
            writer.Write(buffer[..n]);
            writer.Write(']');
        }

        writer.Write(']');
    }
}
