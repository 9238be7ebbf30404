using Dapper;
using Zhiwang.Geo;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.MasterData.Tests.Hub;

public sealed class HubImportTests
{
    internal static readonly Grid HomeGrid = CityMap.Shenzhen.Grids[0];
    internal static readonly Grid OtherGrid = CityMap.Shenzhen.Grids[^1];
    internal static readonly string Home = HouseCode.Build(HouseCode.BuildingCode("440303", 1), 1);
    internal static readonly string Rented = HouseCode.Build(HouseCode.BuildingCode("440303", 2), 1);
    private static readonly string Zhang = IdNumber.Build("440303", new DateOnly(1990, 1, 1), 123);
    private static readonly string Li = IdNumber.Build("440304", new DateOnly(1985, 6, 30), 246);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Records_with_the_same_valid_ID_number_link_to_one_golden_person_and_importing_again_changes_nothing(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        SourceRow[] publicSecurity = [Row(PersonRecord("public_security", "GA1", 1, Zhang, "张伟", "1990-01-01", "male", Home, "13800000001"))];
        SourceRow[] insurance = [Row(PersonRecord("social_insurance", "RS1", 1, Zhang, "张伟", "1990-01-01", "male", null, null))];

        var first = await ImportAsync(test.Database, ("public_security", publicSecurity), ("social_insurance", insurance));
        var again = await ImportAsync(test.Database, ("public_security", publicSecurity), ("social_insurance", insurance));

        first[0].New.ShouldBe(1);
        first[1].LinkedByKey.ShouldBe(1);
        again.ShouldAllBe(s => s.Duplicates == 1 && s.Accepted == 0);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person")).ShouldBe(1);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM source_record")).ShouldBe(2);
        (await connection.QueryAsync<string>("SELECT DISTINCT golden_id FROM record_mention")).ShouldHaveSingleItem().ShouldStartWith("P");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_ID_number_one_edit_away_from_a_known_one_is_repaired_and_reported_as_likely_mistyped(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var transposed = string.Concat(Zhang[..10], Zhang[11].ToString(), Zhang[10].ToString(), Zhang[12..]);
        IdNumber.IsValid(transposed).ShouldBeFalse();

        var summaries = await ImportAsync(test.Database,
            ("public_security", [Row(PersonRecord("public_security", "GA1", 1, Zhang, "张伟", "1990-01-01", "male", Home, null))]),
            ("education", [Row(PersonRecord("education", "JY1", 1, transposed, "張伟", "1990-01-01", "male", Home, null))]));

        summaries[1].LinkedByRepairedKey.ShouldBe(1);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var golden = await connection.ExecuteScalarAsync<string>("SELECT golden_id FROM golden_person");
        var link = await connection.QuerySingleAsync<(string GoldenId, string Method)>(
            "SELECT golden_id, link_method FROM record_mention WHERE record_id = 'JY1'");
        link.ShouldBe((golden!, "repaired-key"));
        var conflict = await connection.QuerySingleAsync<(string Field, string Kind, string Department, string Values)>(
            "SELECT field, conflict_kind, department, candidate_values FROM data_conflict WHERE conflict_kind = 'mistyped-key'");
        conflict.Field.ShouldBe("id_number");
        conflict.Department.ShouldBe("education");
        conflict.Values.ShouldContain(transposed);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Each_golden_attribute_comes_from_its_authoritative_department_and_lineage_shows_every_source(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database,
            ("public_security", [Row(PersonRecord("public_security", "GA1", 1, Zhang, "张伟", "1990-01-01", "male", Home, "13800000001"))]),
            ("housing_rental", [Row(PersonRecord("housing_rental", "ZJ1", 1, Zhang, "张玮", "1990-01-01", "male", Rented, "13900000002", role: "tenant"))]));

        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var golden = await connection.QuerySingleAsync<(string GoldenId, string Name, string Phone, string HouseCode, string GridCode)>(
            "SELECT golden_id, name, phone, house_code, grid_code FROM golden_person");
        golden.Name.ShouldBe("张伟");
        golden.Phone.ShouldBe("13900000002");
        golden.HouseCode.ShouldBe(Rented);
        golden.GridCode.ShouldBe(OtherGrid.Code);

        var lineage = await new HubLineage(test.Database).OfAsync(golden.GoldenId, CancellationToken.None);
        lineage.Attributes.Single(a => a.Field == "name").ShouldBe(new GoldenAttribute("name", "张伟", "public_security", "GA1", "authoritative source: public_security"));
        lineage.Attributes.Single(a => a.Field == "phone").Reason.ShouldBe("most recent");
        lineage.Attributes.Single(a => a.Field == "house_code").Department.ShouldBe("housing_rental");
        lineage.Links.Select(l => (l.Department, l.RecordId, l.Method)).ShouldBe([("public_security", "GA1", LinkMethod.New), ("housing_rental", "ZJ1", LinkMethod.Key)]);
        lineage.Links[1].RawValues["姓名"].ShouldBe("张玮");
        lineage.Links[1].Weight.ShouldBe(1.0);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sources_that_disagree_on_where_a_person_lives_raise_a_conflict_and_a_task_for_the_grid(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database,
            ("public_security", [Row(PersonRecord("public_security", "GA1", 1, Zhang, "张伟", "1990-01-01", "male", Home, null))]),
            ("civil_affairs", [Row(PersonRecord("civil_affairs", "MZ1", 1, Zhang, "张伟", "1990-02-01", "male", Rented, null))]));

        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var fields = (await connection.QueryAsync<string>("SELECT field FROM data_conflict WHERE conflict_kind = 'disagreement' ORDER BY field")).ToList();
        fields.ShouldBe(["birth_date", "house_code"]);
        var task = await connection.QuerySingleAsync<(string GridCode, string Status)>("SELECT grid_code, status FROM verification_task");
        task.ShouldBe((HomeGrid.Code, "open"));
        var birth = await connection.ExecuteScalarAsync<string>("SELECT birth_date FROM golden_person");
        birth.ShouldBe("1990-01-01");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Golden_records_built_and_written_in_slices_are_the_ones_built_in_one_go(DatabaseProvider provider)
    {
        // Thirty persons whose two departments disagree on the birth date and the house: a conflict or two and a task each.
        var persons = Enumerable.Range(1, 30).Select(i => (Id: IdNumber.Build("440303", new DateOnly(1980, 1, 1).AddDays(i), i), Name: "张伟" + i)).ToList();
        var files = new (string, SourceRow[])[]
        {
            ("public_security", persons.Select((p, i) => Row(PersonRecord("public_security", $"GA{i}", i + 1, p.Id, p.Name, "1980-01-01", "male", Home, null))).ToArray()),
            ("civil_affairs", persons.Select((p, i) => Row(PersonRecord("civil_affairs", $"MZ{i}", i + 1, p.Id, p.Name, "1980-02-01", "male", Rented, null))).ToArray()),
        };
        var tables = new List<string>();
        foreach (var slice in new[] { 50_000, 4 })
        {
            await using var test = await PreparedAsync(provider);
            var import = await HubImport.StartAsync(test.Database, TimeProvider.System, new CityTallies(test.Database, CityMap.Shenzhen), CancellationToken.None);
            import.GoldenSlice = slice;
            foreach (var (department, rows) in files)
            {
                await import.ImportFileAsync(department, department + ".csv", rows.ToAsyncEnumerable(), null, CancellationToken.None);
            }

            var summary = await import.CompleteAsync(CancellationToken.None);
            summary.Persons.ShouldBe(30);
            await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
            var golden = await connection.QueryAsync<(string, string, string, string, string)>("SELECT golden_id, id_number, birth_date, house_code, provenance FROM golden_person ORDER BY golden_id");
            var conflicts = await connection.QueryAsync<(long, string, string, string, string)>("SELECT conflict_id, golden_id, field, conflict_kind, candidate_values FROM data_conflict ORDER BY conflict_id");
            var tasks = await connection.QueryAsync<(long, long, string, string)>("SELECT task_id, conflict_id, golden_id, grid_code FROM verification_task ORDER BY task_id");
            conflicts.Count().ShouldBe(60);
            tasks.Count().ShouldBe(30);
            tables.Add(string.Join("\n", golden.Select(r => r.ToString()).Concat(conflicts.Select(r => r.ToString())).Concat(tasks.Select(r => r.ToString()))));
        }

        tables[1].ShouldBe(tables[0]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refused_row_is_stored_with_its_reason_and_every_accepted_row_around_it_is_kept(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var summaries = await ImportAsync(test.Database, ("public_security",
        [
            Row(PersonRecord("public_security", "GA1", 1, Zhang, "张伟", "1990-01-01", "male", Home, null)),
            SourceRow.Rejected(new RowError("public_security_hukou.csv", 2, "出生日期", "'19901341' is not a date")),
            Row(PersonRecord("public_security", "GA3", 3, Li, "李娜", "1985-06-30", "female", Home, null)),
        ]));

        summaries[0].ShouldBe(summaries[0] with { Rows = 3, Accepted = 2, Rejected = 1, New = 2 });
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person")).ShouldBe(2);
        var error = await connection.QuerySingleAsync<(string File, long Row, string Field, string Reason)>("SELECT file, row_number, field, reason FROM row_error");
        error.ShouldBe(("public_security_hukou.csv", 2L, "出生日期", "'19901341' is not a date"));
        var batch = await connection.QuerySingleAsync<(long Read, long Accepted, long Rejected)>("SELECT rows_read, accepted, rejected FROM import_batch");
        batch.ShouldBe((3L, 2L, 1L));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_changed_record_becomes_a_new_version_the_old_one_is_kept_and_the_golden_record_follows(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database, ("public_security", [Row(PersonRecord("public_security", "GA1", 1, Zhang, "张伟", "1990-01-01", "male", Home, "13800000001"))]));
        var summaries = await ImportAsync(test.Database, ("public_security", [Row(PersonRecord("public_security", "GA1", 1, Zhang, "张伟", "1990-01-01", "male", Home, "13800000009"))]));

        summaries[0].Accepted.ShouldBe(1);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.QueryAsync<long>("SELECT version FROM source_record ORDER BY version")).ShouldBe([1L, 2L]);
        (await connection.ExecuteScalarAsync<string>("SELECT phone FROM golden_person")).ShouldBe("13800000009");
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person")).ShouldBe(1);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Records_of_an_infant_without_an_ID_number_link_by_name_birth_date_and_sex_in_the_same_house(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var summaries = await ImportAsync(test.Database, ("health",
        [
            Row(PersonRecord("health", "WJ1", 1, null, "王小明", "2025-03-01", "male", Home, null)),
            Row(PersonRecord("health", "WJ2", 2, "", "王小明", "2025-03-01", "male", Home, null)),
            Row(PersonRecord("health", "WJ3", 3, null, "王小明", "2025-03-01", "male", Rented, null)),
        ]));

        summaries[0].New.ShouldBe(1);
        summaries[0].LinkedByEngine.ShouldBe(2);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var golden = await connection.QuerySingleAsync<(string GoldenId, string? IdNumber)>("SELECT golden_id, id_number FROM golden_person");
        golden.IdNumber.ShouldBeNull();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_link_export_has_a_line_per_subject_and_record_id_hash_role_for_other_roles(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var student = new ParsedRecord("education", "JY3", "education_students.csv", 1,
            new Dictionary<string, string?> { ["学籍号"] = "JY3", ["学生姓名"] = "李小龙" },
            [
                new Mention(MentionKind.Person, "subject", Fields(null, "李小龙", "2015-01-01", "male", Home, null)),
                new Mention(MentionKind.Person, "guardian", Fields(Li, "李娜", "1985-06-30", "female", Home, null)),
                new Mention(MentionKind.House, "subject", new Dictionary<string, string?> { [HubFields.HouseCode] = Home }),
            ],
            []);
        await ImportAsync(test.Database, ("education", [Row(student)]));

        using var writer = new StringWriter();
        var lines = await new LinkExport(test.Database).WriteAsync(writer, CancellationToken.None);

        lines.ShouldBe(3);
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(
        [
            "department,record_id,golden_id",
            // The student has no ID number yet, so waits until the keyed guardian has been linked.
            "education,JY3,P00000000002",
            "education,JY3#guardian,P00000000001",
            $"education,JY3,H{Home}",
        ]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_record_from_a_department_API_is_stored_linked_and_its_golden_record_built_at_once(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database, ("public_security", [Row(PersonRecord("public_security", "GA1", 1, Zhang, "张伟", "1990-01-01", "male", Home, "13800000001"))]));
        var import = await HubImport.StartAsync(test.Database, TimeProvider.System, null, CancellationToken.None);

        var links = await import.ImportRecordAsync(PersonRecord("civil_affairs", "MZ7", 1, Zhang, "张伟", "1990-01-01", "male", Home, "13800000002"), CancellationToken.None);

        links.ShouldHaveSingleItem().Method.ShouldBe(LinkMethod.Key);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<string>("SELECT phone FROM golden_person WHERE golden_id = @id", new { id = links[0].GoldenId })).ShouldBe("13800000002");
        var quality = await new HubQuality(test.Database).ByBatchAsync(CancellationToken.None);
        quality.ShouldBeEmpty("no row errors, field issues or mistyped keys");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_broken_house_code_is_repaired_before_the_address_that_replaced_it_is_believed(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var broken = Home[..17] + (Home[17] == '0' ? '1' : '0');
        HouseCode.IsValid(broken).ShouldBeFalse();
        var rental = new ParsedRecord("housing_rental", "ZJ1", "housing_rental.csv", 1,
            new Dictionary<string, string?> { ["房屋编码"] = broken, ["房屋地址"] = "深圳市罗湖区某路（旧址）" },
            [new Mention(MentionKind.House, "premises", new Dictionary<string, string?> { [HubFields.HouseCode] = Rented })],
            [])
        {
            // What the intake did: the broken code gave way to the house the (stale) address matched.
            Cleansed = [new FieldCleansing("premises.house_code", "replaced by the house the address matched", broken)],
        };

        var summaries = await ImportAsync(test.Database, ("housing_rental", [Row(rental)]));

        summaries[0].LinkedByRepairedKey.ShouldBe(1);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<string>("SELECT golden_id FROM record_mention")).ShouldBe("H" + Home);
        (await connection.ExecuteScalarAsync<string>("SELECT field FROM data_conflict WHERE conflict_kind = 'mistyped-key'")).ShouldBe("house_code");
    }

    /// <summary>A migrated hub with two registry houses: <see cref="Home"/> in <see cref="HomeGrid"/>, <see cref="Rented"/> in <see cref="OtherGrid"/>.</summary>
    internal static async Task<TestDatabase> PreparedAsync(DatabaseProvider provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        await test.Database.MigrateAsync([typeof(HubImport).Assembly], TimeProvider.System, CancellationToken.None);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        foreach (var (house, grid) in new[] { (Home, HomeGrid), (Rented, OtherGrid) })
        {
            await connection.ExecuteAsync(
                "INSERT INTO golden_house (house_code, building_code, address, house_use, grid_code, district_code) VALUES (@house, @building, @address, 'rented', @grid, @district)",
                new { house, building = house[..13], address = "深圳市罗湖区某路" + house[^4..], grid = grid.Code, district = grid.DistrictCode });
        }

        return test;
    }

    /// <summary>One import of the given department files, completed.</summary>
    internal static async Task<List<ImportBatchSummary>> ImportAsync(Database database, params (string Department, SourceRow[] Rows)[] files)
    {
        var import = await HubImport.StartAsync(database, TimeProvider.System, new CityTallies(database, CityMap.Shenzhen), CancellationToken.None);
        foreach (var (department, rows) in files)
        {
            await import.ImportFileAsync(department, department + ".csv", rows.ToAsyncEnumerable(), null, CancellationToken.None);
        }

        return [.. (await import.CompleteAsync(CancellationToken.None)).Batches];
    }

    private static SourceRow Row(ParsedRecord record) => SourceRow.Accepted(record);

    private static ParsedRecord PersonRecord(
        string department, string recordId, long row, string? idNumber, string name, string birthDate, string sex, string? houseCode, string? phone, string role = "subject") =>
        new(department, recordId, department + ".csv", row,
            new Dictionary<string, string?> { ["编号"] = recordId, ["身份证号"] = idNumber, ["姓名"] = name, ["出生日期"] = birthDate, ["电话"] = phone, ["房屋"] = houseCode },
            [new Mention(MentionKind.Person, role, Fields(idNumber, name, birthDate, sex, houseCode, phone))],
            []);

    private static Dictionary<string, string?> Fields(string? idNumber, string name, string birthDate, string sex, string? houseCode, string? phone) => new()
    {
        [HubFields.IdNumber] = idNumber,
        [HubFields.Name] = name,
        [HubFields.BirthDate] = birthDate,
        [HubFields.Sex] = sex,
        [HubFields.HouseCode] = houseCode,
        [HubFields.Phone] = phone,
    };
}
