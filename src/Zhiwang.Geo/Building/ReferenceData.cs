using System.Globalization;
using System.Text.Json;
using NetTopologySuite.Geometries;

namespace Zhiwang.Geo.Building;

/// <summary>Reads the division list and district boundaries embedded in this assembly (see Data/LICENSES.md).</summary>
internal static class ReferenceData
{
    private const string DivisionsResource = "Data/admin/shenzhen-divisions.csv";
    private const string DistrictsResource = "Data/geo/shenzhen-districts.geojson";

    public static IReadOnlyList<Division> ReadDivisions()
    {
        using var reader = new StreamReader(Open(DivisionsResource));
        var divisions = new List<Division>();
        _ = reader.ReadLine(); // header: level,code,name,parent_code
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            var level = fields[0] switch
            {
                "city" => DivisionLevel.City,
                "district" => DivisionLevel.District,
                "street" => DivisionLevel.Street,
                _ => throw new InvalidDataException($"Unknown division level '{fields[0]}' in {DivisionsResource}."),
            };

            // The hierarchy starts at the city, so the city's province parent is not kept.
            divisions.Add(new Division(fields[1], fields[2], level, level == DivisionLevel.City ? null : fields[3]));
        }

        return divisions;
    }

    /// <summary>District polygons by code, exactly as shipped (lon/lat, quantised to about 100 m).</summary>
    public static IReadOnlyDictionary<string, Geometry> ReadDistrictBoundaries(GeometryFactory factory)
    {
        using var document = JsonDocument.Parse(Open(DistrictsResource));
        var boundaries = new SortedDictionary<string, Geometry>(StringComparer.Ordinal);
        foreach (var feature in document.RootElement.GetProperty("features").EnumerateArray())
        {
            var code = feature.GetProperty("id").ValueKind == JsonValueKind.Number
                ? feature.GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture)
                : feature.GetProperty("id").GetString()!;
            var geometry = feature.GetProperty("geometry");
            var coordinates = geometry.GetProperty("coordinates");
            boundaries[code] = geometry.GetProperty("type").GetString() switch
            {
                "Polygon" => ReadPolygon(coordinates, factory),
                "MultiPolygon" => factory.CreateMultiPolygon(
                    coordinates.EnumerateArray().Select(p => ReadPolygon(p, factory)).ToArray()),
                var other => throw new InvalidDataException($"Unexpected geometry type '{other}' for district {code}."),
            };
        }

        return boundaries;
    }

    private static Polygon ReadPolygon(JsonElement rings, GeometryFactory factory)
    {
        var linearRings = rings.EnumerateArray().Select(r => ReadRing(r, factory)).ToArray();
        return factory.CreatePolygon(linearRings[0], linearRings[1..]);
    }

    private static LinearRing ReadRing(JsonElement ring, GeometryFactory factory)
    {
        var coordinates = new List<Coordinate>();
        foreach (var position in ring.EnumerateArray())
        {
            var c = new Coordinate(position[0].GetDouble(), position[1].GetDouble());
            // The quantised source repeats many vertices; repeated points add nothing.
            if (coordinates.Count == 0 || !coordinates[^1].Equals2D(c))
            {
                coordinates.Add(c);
            }
        }

        if (!coordinates[0].Equals2D(coordinates[^1]))
        {
            coordinates.Add(coordinates[0].Copy());
        }

        return factory.CreateLinearRing(coordinates.ToArray());
    }

    private static Stream Open(string path)
    {
        var assembly = typeof(ReferenceData).Assembly;
        // Manifest names are "Zhiwang.Geo.Data.admin.…" by default, or the path itself when given a LogicalName.
        var dotted = path.Replace('/', '.');
        var name = assembly.GetManifestResourceNames().SingleOrDefault(
                n => n.EndsWith(dotted, StringComparison.Ordinal) || n.EndsWith(path, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Embedded resource '{path}' is missing from {assembly.GetName().Name}.");
        return assembly.GetManifestResourceStream(name)!;
    }
}
