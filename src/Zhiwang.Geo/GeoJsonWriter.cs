using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using NetTopologySuite.Geometries;

namespace Zhiwang.Geo;

/// <summary>
/// Writes divisions as a GeoJSON FeatureCollection (RFC 7946: lon/lat, exterior rings counter-clockwise), one feature
/// at a time, so the whole city's 17,000 features never sit in memory as text. Feature id and properties: code, name,
/// level, parent_code, and for grids community_code, street_code, district_code and house_share.
/// Coordinates are rounded to 6 decimals (about 0.1 m).
/// </summary>
public static class GeoJsonWriter
{
    /// <summary>Buffered output is handed on when it passes this size.</summary>
    private const int FlushThreshold = 32 * 1024;

    /// <summary>Chinese names as themselves rather than \u escapes: a third of the size, and readable.</summary>
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    /// <summary>Writes asynchronously, as ASP.NET Core response bodies require.</summary>
    public static async Task WriteAsync(Stream stream, CityMap map, IEnumerable<Division> divisions, CancellationToken cancellationToken)
    {
        await using var writer = new Utf8JsonWriter(stream, Options);
        WriteStart(writer);
        foreach (var division in divisions)
        {
            WriteFeature(writer, map, division);
            if (writer.BytesPending > FlushThreshold)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        WriteEnd(writer);
        await writer.FlushAsync(cancellationToken);
    }

    public static void Write(Stream stream, CityMap map, IEnumerable<Division> divisions)
    {
        using var writer = new Utf8JsonWriter(stream, Options);
        WriteStart(writer);
        foreach (var division in divisions)
        {
            WriteFeature(writer, map, division);
            if (writer.BytesPending > FlushThreshold)
            {
                writer.Flush();
            }
        }

        WriteEnd(writer);
        writer.Flush();
    }

    /// <summary>
    /// Grids given without their map (a test city, a demo district): the same features the map overloads
    /// write for grids, named from <paramref name="names"/> (code → name; the code where none is given).
    /// </summary>
    public static void WriteGrids(Stream stream, IEnumerable<Grid> grids, IReadOnlyDictionary<string, string> names)
    {
        using var writer = new Utf8JsonWriter(stream, Options);
        WriteStart(writer);
        foreach (var grid in grids)
        {
            var division = new Division(grid.Code, names.GetValueOrDefault(grid.Code, grid.Code), DivisionLevel.Grid, grid.CommunityCode);
            WriteFeature(writer, division, grid, grid.Boundary);
            if (writer.BytesPending > FlushThreshold)
            {
                writer.Flush();
            }
        }

        WriteEnd(writer);
        writer.Flush();
    }

    public static void Write(TextWriter textWriter, CityMap map, IEnumerable<Division> divisions)
    {
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        using var writer = new Utf8JsonWriter(buffer, Options);
        WriteStart(writer);
        foreach (var division in divisions)
        {
            WriteFeature(writer, map, division);
            if (writer.BytesPending + buffer.WrittenCount > FlushThreshold)
            {
                Drain(writer, buffer, textWriter);
            }
        }

        WriteEnd(writer);
        Drain(writer, buffer, textWriter);
    }

    private static void Drain(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, TextWriter textWriter)
    {
        writer.Flush();
        // Features end between values, so the buffer never ends inside a multi-byte character.
        textWriter.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        buffer.ResetWrittenCount();
    }

    private static void WriteStart(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
    }

    private static void WriteEnd(Utf8JsonWriter writer)
    {
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteFeature(Utf8JsonWriter writer, CityMap map, Division division) =>
        WriteFeature(
            writer,
            division,
            division.Level == DivisionLevel.Grid ? map.FindGrid(division.Code) : null,
            map.BoundaryOf(division.Code));

    private static void WriteFeature(Utf8JsonWriter writer, Division division, Grid? grid, Geometry boundary)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        writer.WriteString("id", division.Code);
        writer.WriteStartObject("properties");
        writer.WriteString("code", division.Code);
        writer.WriteString("name", division.Name);
        writer.WriteString("level", LevelName(division.Level));
        if (division.ParentCode is null)
        {
            writer.WriteNull("parent_code");
        }
        else
        {
            writer.WriteString("parent_code", division.ParentCode);
        }

        if (grid is not null)
        {
            writer.WriteString("community_code", grid.CommunityCode);
            writer.WriteString("street_code", grid.StreetCode);
            writer.WriteString("district_code", grid.DistrictCode);
            writer.WriteNumber("house_share", grid.HouseShare);
        }

        writer.WriteEndObject();
        writer.WritePropertyName("geometry");
        WriteGeometry(writer, boundary);
        writer.WriteEndObject();
    }

    private static string LevelName(DivisionLevel level) => level switch
    {
        DivisionLevel.City => "city",
        DivisionLevel.District => "district",
        DivisionLevel.Street => "street",
        DivisionLevel.Community => "community",
        _ => "grid",
    };

    private static void WriteGeometry(Utf8JsonWriter writer, Geometry geometry)
    {
        writer.WriteStartObject();
        switch (geometry)
        {
            case Polygon polygon:
                writer.WriteString("type", "Polygon");
                writer.WritePropertyName("coordinates");
                WritePolygon(writer, polygon);
                break;
            case MultiPolygon multi:
                writer.WriteString("type", "MultiPolygon");
                writer.WriteStartArray("coordinates");
                for (var i = 0; i < multi.NumGeometries; i++)
                {
                    WritePolygon(writer, (Polygon)multi.GetGeometryN(i));
                }

                writer.WriteEndArray();
                break;
            default:
                throw new NotSupportedException($"Division boundaries are polygonal, not {geometry.GeometryType}.");
        }

        writer.WriteEndObject();
    }

    private static void WritePolygon(Utf8JsonWriter writer, Polygon polygon)
    {
        writer.WriteStartArray();
        // RFC 7946: exterior rings counter-clockwise, holes clockwise.
        WriteRing(writer, polygon.ExteriorRing, counterClockwise: true);
        for (var i = 0; i < polygon.NumInteriorRings; i++)
        {
            WriteRing(writer, polygon.GetInteriorRingN(i), counterClockwise: false);
        }

        writer.WriteEndArray();
    }

    private static void WriteRing(Utf8JsonWriter writer, LineString ring, bool counterClockwise)
    {
        var sequence = ring.CoordinateSequence;
        var reverse = NetTopologySuite.Algorithm.Orientation.IsCCW(sequence) != counterClockwise;
        writer.WriteStartArray();
        for (var k = 0; k < sequence.Count; k++)
        {
            var i = reverse ? sequence.Count - 1 - k : k;
            writer.WriteStartArray();
            writer.WriteNumberValue(Math.Round(sequence.GetX(i), 6));
            writer.WriteNumberValue(Math.Round(sequence.GetY(i), 6));
            writer.WriteEndArray();
        }

        writer.WriteEndArray();
    }
}
