using Dapper;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Tests.Search;

/// <summary>
/// A handful of golden records written straight into the hub's tables: two Zhang Weis in two districts, a neighbour, a
/// company, a house with its building, the source records and links behind Zhang Wei of Futian, a phone conflict and
/// two import batches. Then the search index is rebuilt.
/// </summary>
internal static class TinyGoldenCity
{
    public const string FutianGrid = "440304001001001001";
    public const string LuohuGrid = "440303001000001001";
    public const string ZhangWeiFutian = "P00000000001";
    public const string ZhangWeiLuohu = "P00000000002";
    public const string LiNa = "P00000000003";
    public const string Company = "E00000000001";
    public const string Phone = "13812345678";
    public const string Address = "深圳市福田区华强北街道华强北路12号赛格花园3栋1201室";

    public static readonly string ZhangWeiId = IdNumber.Build("440304", new DateOnly(1990, 1, 1), 123);
    public static readonly string ZhangWeiLuohuId = IdNumber.Build("440303", new DateOnly(1985, 6, 30), 456);
    public static readonly string LiNaId = IdNumber.Build("440304", new DateOnly(1992, 3, 4), 222);
    public static readonly string HouseCodeFutian = HouseCode.Build("4403040000001", 1201);
    public static readonly string CompanyCode = CreditCode.Build('9', '1', "440300", "MA5F0001");

    // 一数一源 as the hub writes it: field → value, department, record id, reason.
    private const string ZhangWeiProvenance = """
        {"name":{"value":"张伟","department":"public_security","record_id":"PS-1","reason":"authoritative source: public_security"},
         "phone":{"value":"13812345678","department":"social_insurance","record_id":"SI-9","reason":"most recent"}}
        """;

    public static async Task SeedAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var postgres = database.Provider == DatabaseProvider.PostgreSql;
        object At(int day) => postgres ? new DateTime(2026, 1, day, 8, 0, 0, DateTimeKind.Utc) : $"2026-01-{day:00}T08:00:00.0000000Z";

        await connection.ExecuteAsync(
            "INSERT INTO building (building_code, address, kind, floors, longitude, latitude, grid_code, district_code) VALUES ('4403040000001', '深圳市福田区华强北街道华强北路12号赛格花园3栋', 'residential', 30, 114.085, 22.545, @FutianGrid, '440304')",
            new { FutianGrid });
        await connection.ExecuteAsync(
            "INSERT INTO golden_house (house_code, building_code, address, house_use, area_m2, owner_id_number, grid_code, district_code) VALUES (@HouseCodeFutian, '4403040000001', @Address, 'owned', 88.5, @ZhangWeiId, @FutianGrid, '440304')",
            new { HouseCodeFutian, Address, ZhangWeiId, FutianGrid });
        const string person = """
            INSERT INTO golden_person (golden_id, id_number, name, sex, birth_date, hukou, phone, address, house_code, grid_code, district_code, provenance)
            VALUES (@id, @idNumber, @name, @sex, @birth, 'registered', @phone, @address, @house, @grid, @district, @provenance)
            """;
        await connection.ExecuteAsync(person, new { id = ZhangWeiFutian, idNumber = ZhangWeiId, name = "张伟", sex = "male", birth = "1990-01-01", phone = Phone, address = Address, house = HouseCodeFutian, grid = FutianGrid, district = "440304", provenance = ZhangWeiProvenance });
        await connection.ExecuteAsync(person, new { id = ZhangWeiLuohu, idNumber = ZhangWeiLuohuId, name = "张卫", sex = "male", birth = "1985-06-30", phone = "13900001111", address = "深圳市罗湖区桂园街道丽山路325号沙湾村11坊1号101室", house = (string?)null, grid = LuohuGrid, district = "440303", provenance = "{}" });
        await connection.ExecuteAsync(person, new { id = LiNa, idNumber = LiNaId, name = "李娜", sex = "female", birth = "1992-03-04", phone = (string?)null, address = Address, house = HouseCodeFutian, grid = FutianGrid, district = "440304", provenance = "{}" });
        await connection.ExecuteAsync(
            "INSERT INTO golden_legal_entity (golden_id, credit_code, name, status, legal_representative_name, legal_representative_id_number, house_code, grid_code, district_code, provenance) VALUES (@Company, @CompanyCode, '深圳市华强电子有限公司', 'active', '张伟', @ZhangWeiId, @HouseCodeFutian, @FutianGrid, '440304', '{}')",
            new { Company, CompanyCode, ZhangWeiId, HouseCodeFutian, FutianGrid });

        await connection.ExecuteAsync(
            "INSERT INTO import_batch (batch_id, department, file, started_at, rows_read, accepted, rejected) VALUES (1, 'public_security', 'hukou-1.csv', @a, 100, 98, 2), (2, 'public_security', 'hukou-2.csv', @b, 200, 199, 1), (3, 'social_insurance', 'si.txt', @b, 50, 50, 0)",
            new { a = At(1), b = At(2) });
        const string record = "INSERT INTO source_record (department, record_id, version, batch_id, file, row_number, received_at, content_hash, raw_values) VALUES (@department, @id, 1, @batch, @file, @row, @at, 'h', @raw)";
        await connection.ExecuteAsync(record, new { department = "public_security", id = "PS-1", batch = 1, file = "hukou-1.csv", row = 2, at = At(1), raw = $$"""{"姓名":"张伟","身份证号":"{{ZhangWeiId}}","电话":"13812345678"}""" });
        await connection.ExecuteAsync(record, new { department = "social_insurance", id = "SI-9", batch = 3, file = "si.txt", row = 7, at = At(2), raw = """{"name":"张伟","phone":"13812340000","employer":"深圳市华强电子有限公司"}""" });
        const string mention = "INSERT INTO record_mention (department, record_id, version, mention_index, kind, role, fields, golden_id, link_method, link_weight) VALUES (@department, @id, 1, @index, @kind, @role, '{}', @golden, @method, @weight)";
        await connection.ExecuteAsync(mention, new { department = "public_security", id = "PS-1", index = 0, kind = "person", role = "subject", golden = ZhangWeiFutian, method = "key", weight = 30.0 });
        await connection.ExecuteAsync(mention, new { department = "social_insurance", id = "SI-9", index = 0, kind = "person", role = "subject", golden = ZhangWeiFutian, method = "engine", weight = 11.5 });
        await connection.ExecuteAsync(mention, new { department = "social_insurance", id = "SI-9", index = 1, kind = "legal_entity", role = "employer", golden = Company, method = "key", weight = 30.0 });

        await connection.ExecuteAsync(
            "INSERT INTO data_conflict (conflict_id, golden_id, field, conflict_kind, candidate_values, department, batch_id, status, created_at) VALUES (1, @ZhangWeiFutian, 'phone', 'disagreement', @values, NULL, 3, 'open', @at)",
            new { ZhangWeiFutian, values = """[{"Value":"13812345678","Sources":["public_security/PS-1"]},{"Value":"13812340000","Sources":["social_insurance/SI-9"]}]""", at = At(2) });
        await connection.ExecuteAsync(
            "INSERT INTO field_issue (batch_id, department, record_id, file, row_number, field, reason, value) VALUES (1, 'public_security', 'PS-7', 'hukou-1.csv', 8, 'subject.id_number', 'check character', 'x'), (2, 'public_security', 'PS-8', 'hukou-2.csv', 9, 'subject.id_number', 'check character', 'y')");
        await connection.ExecuteAsync(
            "INSERT INTO row_error (batch_id, file, row_number, field, reason) VALUES (1, 'hukou-1.csv', 3, 'name', 'empty'), (1, 'hukou-1.csv', 4, NULL, 'short row')");

        await new SearchIndex(database).RebuildAsync(CancellationToken.None);
    }

    public static async Task<Database> MigratedAsync(Zhiwang.Testing.TestDatabase test)
    {
        await test.Database.MigrateAsync([typeof(SearchIndex).Assembly], TimeProvider.System, CancellationToken.None);
        await SeedAsync(test.Database);
        return test.Database;
    }
}
