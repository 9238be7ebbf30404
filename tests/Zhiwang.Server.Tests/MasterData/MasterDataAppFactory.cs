using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access.Users;
using Zhiwang.Geo;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;

namespace Zhiwang.Server.Tests.MasterData;

/// <summary>
/// The real host without the demo city, on a temporary SQLite database holding a few golden records written straight
/// into the hub's tables: Zhang Wei in a real Futian grid (so the map has a polygon), Zhang Wei in Luohu, a neighbour,
/// a company, a house and a phone conflict.
/// </summary>
public sealed partial class MasterDataAppFactory : WebApplicationFactory<Program>
{
    public const string ZhangWeiFutian = "P00000000001";
    public const string ZhangWeiLuohu = "P00000000002";
    public const string Phone = "13812345678";
    public const string Address = "深圳市福田区华强北街道华强北路12号赛格花园3栋1201室";

    public static readonly string ZhangWeiId = IdNumber.Build("440304", new DateOnly(1990, 1, 1), 123);
    public static readonly string ZhangWeiLuohuId = IdNumber.Build("440303", new DateOnly(1985, 6, 30), 456);
    public static readonly string HouseCodeFutian = HouseCode.Build("4403040000001", 1201);

    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("zhiwang-masterdata-tests-");
    private readonly SemaphoreSlim _seedLock = new(1, 1);
    private bool _seeded;

    public static string FutianGrid { get; } = FirstGrid("440304");

    public static string LuohuGrid { get; } = FirstGrid("440303");

    /// <summary>Serve on a real socket (a free port on loopback), for a browser to reach.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Zhiwang:DataDirectory", _dataDirectory.FullName);
        builder.UseSetting("Zhiwang:Demo:Enabled", "false");
    }

    /// <summary>The golden records, once per host.</summary>
    public async Task SeedAsync()
    {
        await _seedLock.WaitAsync();
        try
        {
            if (_seeded)
            {
                return;
            }

            // Services starts the host (test server or Kestrel) and with it the platform's migrations.
            var database = Services.GetRequiredService<Database>();
            await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
            {
                await connection.ExecuteAsync(
                    "INSERT INTO building (building_code, address, kind, floors, longitude, latitude, grid_code, district_code) VALUES ('4403040000001', '深圳市福田区华强北街道华强北路12号赛格花园3栋', 'residential', 30, 114.06, 22.54, @FutianGrid, '440304')",
                    new { FutianGrid });
                await connection.ExecuteAsync(
                    "INSERT INTO golden_house (house_code, building_code, address, house_use, area_m2, owner_id_number, grid_code, district_code) VALUES (@HouseCodeFutian, '4403040000001', @Address, 'owned', 88.5, @ZhangWeiId, @FutianGrid, '440304')",
                    new { HouseCodeFutian, Address, ZhangWeiId, FutianGrid });
                const string person = """
                    INSERT INTO golden_person (golden_id, id_number, name, sex, birth_date, hukou, phone, address, house_code, grid_code, district_code, provenance)
                    VALUES (@id, @idNumber, @name, @sex, @birth, 'registered', @phone, @address, @house, @grid, @district, @provenance)
                    """;
                await connection.ExecuteAsync(person, new { id = ZhangWeiFutian, idNumber = ZhangWeiId, name = "张伟", sex = "male", birth = "1990-01-01", phone = Phone, address = Address, house = HouseCodeFutian, grid = FutianGrid, district = "440304", provenance = """{"phone":{"value":"13812345678","department":"social_insurance","record_id":"SI-9","reason":"most recent"}}""" });
                await connection.ExecuteAsync(person, new { id = ZhangWeiLuohu, idNumber = ZhangWeiLuohuId, name = "张卫", sex = "male", birth = "1985-06-30", phone = "13900001111", address = "深圳市罗湖区桂园街道丽山路325号沙湾村11坊1号101室", house = (string?)null, grid = LuohuGrid, district = "440303", provenance = "{}" });
                await connection.ExecuteAsync(
                    "INSERT INTO import_batch (batch_id, department, file, started_at, rows_read, accepted, rejected) VALUES (1, 'public_security', 'hukou.csv', '2026-01-01T08:00:00.0000000Z', 100, 98, 2)");
                await connection.ExecuteAsync(
                    "INSERT INTO source_record (department, record_id, version, batch_id, file, row_number, received_at, content_hash, raw_values) VALUES ('public_security', 'PS-1', 1, 1, 'hukou.csv', 2, '2026-01-01T08:00:00.0000000Z', 'h', '{\"姓名\":\"张伟\"}')");
                await connection.ExecuteAsync(
                    "INSERT INTO record_mention (department, record_id, version, mention_index, kind, role, fields, golden_id, link_method, link_weight) VALUES ('public_security', 'PS-1', 1, 0, 'person', 'subject', '{}', @ZhangWeiFutian, 'key', 30.0)",
                    new { ZhangWeiFutian });
                await connection.ExecuteAsync(
                    "INSERT INTO data_conflict (conflict_id, golden_id, field, conflict_kind, candidate_values, department, batch_id, status, created_at) VALUES (1, @ZhangWeiFutian, 'phone', 'disagreement', @values, NULL, 1, 'open', '2026-01-01T08:00:00.0000000Z')",
                    new { ZhangWeiFutian, values = """[{"Value":"13812345678","Sources":["public_security/PS-1"]},{"Value":"13812340000","Sources":["social_insurance/SI-9"]}]""" });
            }

            await Services.GetRequiredService<SearchIndex>().RebuildAsync(CancellationToken.None);
            _seeded = true;
        }
        finally
        {
            _seedLock.Release();
        }
    }

    public async Task<CreatedUser> CreateUserAsync(string role, string scope) =>
        await Services.GetRequiredService<UserAccounts>().CreateAsync(
            role.Replace('_', '.') + "." + Guid.NewGuid().ToString("N")[..8], [role], scope, "test", CancellationToken.None);

    /// <summary>A client signed in as a new user with <paramref name="role"/> and <paramref name="scope"/>.</summary>
    public async Task<HttpClient> SignedInAsync(string role, string scope)
    {
        await SeedAsync();
        var user = await CreateUserAsync(role, scope);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var loginPage = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var token = TokenField().Match(loginPage);
        using var login = await client.PostAsync(
            new Uri("/account/login", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = user.User.Name,
                ["password"] = user.Password,
                ["returnUrl"] = "/",
                [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
            }));
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return client;
    }

    /// <summary>The antiforgery field a page carries, as (name, value).</summary>
    public static KeyValuePair<string, string> TokenOf(string html)
    {
        var token = TokenField().Match(html);
        token.Success.ShouldBeTrue("the page carries an antiforgery token");
        return new(token.Groups["name"].Value, WebUtility.HtmlDecode(token.Groups["value"].Value));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _seedLock.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open leaves the directory to the OS's temp cleaner.
        }
    }

    private static string FirstGrid(string district)
    {
        var code = district;
        while (CityMap.Shenzhen.ChildrenOf(code) is [var first, ..])
        {
            code = first.Code;
        }

        return code;
    }

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
