using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Zhiwang.Access;
using Zhiwang.Events.Api;
using Zhiwang.Geo;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Keys;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Server.Tests.Events;

/// <summary>
/// A place given only as an address, placed by the standard address base, and links checked against the golden records:
/// the real host on the real MasterData tables, on either database.
/// </summary>
public sealed class AddressPlacementTests
{
    private const string StandardAddress = "深圳市福田区福田街道福华路88号赛格花园3栋1202室";

    private const string Person = "P-addr-test-0001";

    private static readonly string Building = HouseCode.BuildingCode("440304", 77);

    private static readonly string House = HouseCode.Build(Building, 1202);

    /// <summary>A Futian grid other than the first, so the event cannot land in it by chance.</summary>
    private static readonly Grid Grid = CityMap.Shenzhen.Grids.Where(g => g.DistrictCode == "440304").ElementAt(3);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_report_by_a_standard_address_is_placed_at_its_building_and_a_wrong_address_or_unknown_link_is_refused(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new EventsAppFactory(database.Database.ConnectionString);
        using var department = host.ClientWithKey(await host.ClientKeyAsync(EventsSetup.ReportGrant));
        var point = Grid.Boundary.InteriorPoint;
        await SeedAsync(database.Database, point.Y, point.X);

        // Without the city, district and street, the road, number, building and room still name one standard house.
        using var tolerant = await department.PostAsJsonAsync("/api/events", Report("福华路88号赛格花园3栋1202室", [new { kind = "person", goldenId = Person }, new { kind = "house", goldenId = House }]));
        using var wrong = await department.PostAsJsonAsync("/api/events", Report("福田区不存在路999号"));
        using var unknown = await department.PostAsJsonAsync("/api/events", Report(StandardAddress, [new { kind = "house", goldenId = House }, new { kind = "person", goldenId = "P-no-such-person" }]));

        tolerant.StatusCode.ShouldBe(HttpStatusCode.Created, await tolerant.Content.ReadAsStringAsync());
        var eventId = (await tolerant.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("eventId").GetInt64();
        var stored = await StoredAsync(database.Database, eventId);
        stored.GridCode.ShouldBe(Grid.Code);
        stored.Lat.ShouldBe(point.Y, 1e-9);
        stored.Lon.ShouldBe(point.X, 1e-9);
        using (var detail = JsonDocument.Parse(stored.Detail))
        {
            detail.RootElement.GetProperty("place").GetString().ShouldBe("address");
            detail.RootElement.GetProperty("addressMatch").GetString().ShouldBe("tolerant");
            detail.RootElement.GetProperty("house").GetString().ShouldBe(House);
            detail.RootElement.GetProperty("standardAddress").GetString().ShouldBe(StandardAddress);
        }

        (await ErrorsAsync(wrong)).GetProperty("place.address")[0].GetString()!.ShouldContain("matched no standard address");
        var unknownErrors = await ErrorsAsync(unknown);
        unknownErrors.EnumerateObject().Select(e => e.Name).ShouldBe(["links[1].goldenId"]);
        unknownErrors.GetProperty("links[1].goldenId")[0].GetString()!.ShouldContain("P-no-such-person");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_Open311_request_with_only_an_address_string_is_placed_by_it(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new EventsAppFactory(database.Database.ConnectionString);
        using var civicTool = host.ClientWithKey(await host.ClientKeyAsync(Grants.Open311));
        var point = Grid.Boundary.InteriorPoint;
        await SeedAsync(database.Database, point.Y, point.X);

        using var placed = await civicTool.PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), Open311Form(StandardAddress));
        using var unmatched = await civicTool.PostAsync(new Uri("/open311/v2/requests.json", UriKind.Relative), Open311Form("罗湖区没有这条路1号"));

        var body = await placed.Content.ReadAsStringAsync();
        placed.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var id = long.Parse(JsonDocument.Parse(body).RootElement[0].GetProperty("service_request_id").GetString()!, CultureInfo.InvariantCulture);
        var stored = await StoredAsync(database.Database, id);
        stored.GridCode.ShouldBe(Grid.Code);
        JsonDocument.Parse(stored.Detail).RootElement.GetProperty("addressMatch").GetString().ShouldBe("exact");
        unmatched.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = JsonDocument.Parse(await unmatched.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ShouldHaveSingleItem();
        error.GetProperty("description").GetString()!.ShouldStartWith("address_string: '罗湖区没有这条路1号' matched no standard address");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_standard_address_base_is_built_at_start_before_any_report_by_address(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await database.Database.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, CancellationToken.None);
        var point = Grid.Boundary.InteriorPoint;
        await SeedAsync(database.Database, point.Y, point.X);
        await using var host = new EventsAppFactory(database.Database.ConnectionString);

        var addresses = host.Services.GetRequiredService<StandardAddressBase>();

        // Nothing has asked it anything: only the start-up builds it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        AddressIndex? built;
        while ((built = addresses.Built) is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }

        built.Count.ShouldBe(1);
        built.Match(StandardAddress).HouseCode.ShouldBe(House);
    }

    /// <summary>One building at the point, its standard house, and a golden person.</summary>
    private static async Task SeedAsync(Database database, double lat, double lon)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            INSERT INTO building (building_code, address, kind, floors, longitude, latitude, grid_code, district_code)
            VALUES (@Building, '深圳市福田区福田街道福华路88号赛格花园3栋', 'residential', 30, @lon, @lat, @grid, '440304');
            INSERT INTO golden_house (house_code, building_code, address, house_use, grid_code, district_code)
            VALUES (@House, @Building, @StandardAddress, 'residential', @grid, '440304');
            INSERT INTO golden_person (golden_id, name, grid_code, district_code, provenance)
            VALUES (@Person, '张三', @grid, '440304', '{}');
            """,
            new { Building, House, StandardAddress, Person, lat, lon, grid = Grid.Code });
    }

    private static object Report(string address, object[]? links = null) => new
    {
        @class = "H0103",
        description = "楼道里停了三辆电动自行车，还拉线充电。",
        place = new { address },
        attributes = new { bikes = 3, location = "corridor" },
        links,
    };

    private static FormUrlEncodedContent Open311Form(string address) => new(new Dictionary<string, string>
    {
        ["service_code"] = "H0103",
        ["description"] = "楼道里停了三辆电动自行车，还拉线充电。",
        ["attribute[bikes]"] = "3",
        ["attribute[location]"] = "corridor",
        ["address_string"] = address,
        ["phone"] = "13800138000",
    });

    private static async Task<JsonElement> ErrorsAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
    }

    private static async Task<(string GridCode, double Lat, double Lon, string Detail)> StoredAsync(Database database, long eventId)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<(string, double, double, string)>(
            """
            SELECT e.grid_code, e.lat, e.lon, t.detail
            FROM event e JOIN event_timeline t ON t.event_id = e.event_id AND t.seq = 1
            WHERE e.event_id = @eventId
            """,
            new { eventId });
    }
}
