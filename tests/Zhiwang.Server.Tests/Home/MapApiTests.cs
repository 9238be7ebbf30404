using System.Net;
using System.Text.Json;
using Zhiwang.Geo;

namespace Zhiwang.Server.Tests.Home;

[Collection(ZhiwangAppCollection.Name)]
public sealed class MapApiTests(ZhiwangAppFactory factory)
{
    private static readonly string[] Districts =
        ["440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310", "440311"];

    [Fact]
    public async Task The_city_map_holds_the_nine_districts_with_their_counts()
    {
        using var map = await GetMapAsync("440300");
        var root = map.RootElement;

        root.GetProperty("type").GetString().ShouldBe("FeatureCollection");
        var division = root.GetProperty("division");
        division.GetProperty("code").GetString().ShouldBe("440300");
        division.GetProperty("name").GetString().ShouldBe("深圳市");
        division.GetProperty("level").GetString().ShouldBe("city");
        Breadcrumb(root).ShouldBe(["深圳市"]);

        var features = root.GetProperty("features").EnumerateArray().ToList();
        features.Select(f => f.GetProperty("properties").GetProperty("code").GetString()).ShouldBe(Districts, ignoreOrder: true);
        foreach (var feature in features)
        {
            var properties = feature.GetProperty("properties");
            feature.GetProperty("type").GetString().ShouldBe("Feature");
            properties.GetProperty("level").GetString().ShouldBe("district");
            properties.GetProperty("name").GetString().ShouldEndWith("区");
            properties.GetProperty("hasChildren").GetBoolean().ShouldBeTrue();
            properties.GetProperty("legalEntities").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
            properties.GetProperty("houses").GetInt64().ShouldBeGreaterThanOrEqualTo(0);
            feature.GetProperty("geometry").GetProperty("type").GetString().ShouldBe("MultiPolygon");
        }

        var persons = features.Sum(f => f.GetProperty("properties").GetProperty("persons").GetInt64());
        persons.ShouldBeGreaterThan(0);
        persons.ShouldBe(division.GetProperty("persons").GetInt64());
        features.Sum(f => f.GetProperty("properties").GetProperty("houses").GetInt64())
            .ShouldBe(division.GetProperty("houses").GetInt64());
    }

    [Fact]
    public async Task The_city_boundaries_are_in_Shenzhen_and_drawn_with_few_enough_points()
    {
        using var map = await GetMapAsync("440300");

        var positions = map.RootElement.GetProperty("features").EnumerateArray()
            .SelectMany(f => f.GetProperty("geometry").GetProperty("coordinates").EnumerateArray())
            .SelectMany(polygon => polygon.EnumerateArray())
            .SelectMany(ring => ring.EnumerateArray())
            .Select(p => (Lon: p[0].GetDouble(), Lat: p[1].GetDouble()))
            .ToList();

        positions.Count.ShouldBeGreaterThan(100);
        positions.Count.ShouldBeLessThan(20_000);
        positions.ShouldAllBe(p => p.Lon > 113.6 && p.Lon < 114.8 && p.Lat > 22.3 && p.Lat < 23.0);
    }

    [Fact]
    public async Task A_district_map_holds_its_streets_under_a_breadcrumb_from_the_city()
    {
        using var map = await GetMapAsync("440304");
        var root = map.RootElement;

        root.GetProperty("division").GetProperty("name").GetString().ShouldBe("福田区");
        root.GetProperty("division").GetProperty("level").GetString().ShouldBe("district");
        Breadcrumb(root).ShouldBe(["深圳市", "福田区"]);
        var streets = root.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        streets.Select(s => s.GetProperty("code").GetString())
            .ShouldBe(CityMap.Shenzhen.ChildrenOf("440304").Select(s => s.Code), ignoreOrder: true);
        streets.Count.ShouldBeGreaterThan(5);
        streets.ShouldAllBe(s => s.GetProperty("level").GetString() == "street");
        streets.ShouldContain(s => s.GetProperty("name").GetString() == "华强北街道");
        streets.Sum(s => s.GetProperty("persons").GetInt64()).ShouldBe(root.GetProperty("division").GetProperty("persons").GetInt64());
    }

    [Fact]
    public async Task An_unknown_code_is_a_404_problem_that_names_the_code()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/api/map/999999", UriKind.Relative));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(404);
        problem.RootElement.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("999999");
    }

    private async Task<JsonDocument> GetMapAsync(string code)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(new Uri($"/api/map/{code}", UriKind.Relative));
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string?[] Breadcrumb(JsonElement root) =>
        root.GetProperty("breadcrumb").EnumerateArray().Select(b => b.GetProperty("name").GetString()).ToArray();
}
