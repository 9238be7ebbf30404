using System.Text;
using System.Text.Json;

namespace Zhiwang.Geo.Tests;

public sealed class GeoJsonWriterTests
{
    private static CityMap Map => CityMap.Shenzhen;

    [Fact]
    public void A_grid_feature_carries_its_codes_and_rounded_coordinates()
    {
        var grid = Map.Grids[123];
        using var stream = new MemoryStream();
        GeoJsonWriter.Write(stream, Map, [Map.Find(grid.Code)!]);

        using var document = JsonDocument.Parse(stream.ToArray());
        document.RootElement.GetProperty("type").GetString().ShouldBe("FeatureCollection");
        var feature = document.RootElement.GetProperty("features")[0];
        var properties = feature.GetProperty("properties");
        properties.GetProperty("code").GetString().ShouldBe(grid.Code);
        properties.GetProperty("level").GetString().ShouldBe("grid");
        properties.GetProperty("parent_code").GetString().ShouldBe(grid.CommunityCode);
        properties.GetProperty("community_code").GetString().ShouldBe(grid.CommunityCode);
        properties.GetProperty("street_code").GetString().ShouldBe(grid.StreetCode);
        properties.GetProperty("district_code").GetString().ShouldBe(grid.DistrictCode);
        var geometry = feature.GetProperty("geometry");
        geometry.GetProperty("type").GetString().ShouldBe("Polygon");
        var ring = geometry.GetProperty("coordinates")[0];
        ring.GetArrayLength().ShouldBe(grid.Boundary.ExteriorRing.NumPoints);
        foreach (var position in ring.EnumerateArray())
        {
            var x = position[0].GetDouble();
            Math.Round(x, 6).ShouldBe(x);
            x.ShouldBe(grid.Boundary.Centroid.X, 0.1);
        }
    }

    [Fact]
    public async Task Stream_text_and_async_output_are_the_same_document()
    {
        var divisions = Map.Divisions.Where(d => d.Level <= DivisionLevel.Street || d.Code.StartsWith("440304001", StringComparison.Ordinal)).ToList();
        using var stream = new MemoryStream();
        GeoJsonWriter.Write(stream, Map, divisions);
        using var text = new StringWriter();
        GeoJsonWriter.Write(text, Map, divisions);
        using var asyncStream = new MemoryStream();
        await GeoJsonWriter.WriteAsync(asyncStream, Map, divisions, CancellationToken.None);

        var fromStream = Encoding.UTF8.GetString(stream.ToArray());
        text.ToString().ShouldBe(fromStream);
        Encoding.UTF8.GetString(asyncStream.ToArray()).ShouldBe(fromStream);
        using var document = JsonDocument.Parse(fromStream);
        document.RootElement.GetProperty("features").GetArrayLength().ShouldBe(divisions.Count);
        fromStream.ShouldContain("福田区");
        fromStream.ShouldContain("\"type\":\"MultiPolygon\""); // Nanshan's islands
    }
}
