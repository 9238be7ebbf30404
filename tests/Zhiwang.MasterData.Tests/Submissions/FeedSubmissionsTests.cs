using System.Text.Json;
using Dapper;
using Zhiwang.Geo;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Search;
using Zhiwang.MasterData.Submissions;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.MasterData.Tests.Submissions;

public sealed class FeedSubmissionsTests
{
    private static readonly Grid HomeGrid = CityMap.Shenzhen.Grids[0];
    private static readonly string Home = HouseCode.Build(HouseCode.BuildingCode("440303", 1), 1);
    private static readonly string HomeAddress = "深圳市罗湖区某路" + Home[^4..];
    private static readonly string Zhang = IdNumber.Build("440303", new DateOnly(1990, 1, 1), 123);
    private static readonly string Li = IdNumber.Build("440304", new DateOnly(1985, 6, 30), 246);
    private static readonly string Son = IdNumber.Build("440303", new DateOnly(2015, 3, 9), 11);

    private static FeedDeclaration PublicSecurity => FeedCatalog.Default.Find("public_security")!;

    private static FeedDeclaration Education => FeedCatalog.Default.Find("education")!;

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_batch_and_a_single_record_link_by_ID_number_to_the_same_golden_person(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var submissions = Submissions(test.Database);

        var batch = await submissions.SubmitAsync(PublicSecurity, [Resident("GA1", Zhang, "张伟", "男", "19900101"), Resident("GA2", Li, "李娜", "女", "19850630")], CancellationToken.None);
        var single = await submissions.SubmitAsync(Education, [Student("XJ1", Son, "张小明", Zhang, "张伟")], CancellationToken.None);

        batch.Accepted.ShouldBe(2);
        batch.Results.ShouldAllBe(r => r.Outcome == SubmissionOutcome.Accepted && r.Version == 1 && r.Links.Count == 1 && r.Links[0].Method == "new");
        var zhang = batch.Results[0].Links[0].GoldenId.ShouldNotBeNull();
        var student = single.Results.ShouldHaveSingleItem();
        student.Outcome.ShouldBe(SubmissionOutcome.Accepted);
        var guardian = student.Links.Single(l => l.Role == "guardian");
        guardian.Method.ShouldBe("key");
        guardian.GoldenId.ShouldBe(zhang);
        student.Links.Single(l => l.Role == "subject").Method.ShouldBe("new");
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person")).ShouldBe(3);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Submitting_the_same_records_again_is_unchanged_and_a_changed_record_becomes_a_new_version(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var submissions = Submissions(test.Database);
        JsonElement[] records = [Resident("GA1", Zhang, "张伟", "男", "19900101"), Resident("GA2", Li, "李娜", "女", "19850630")];

        var first = await submissions.SubmitAsync(PublicSecurity, records, CancellationToken.None);
        var again = await submissions.SubmitAsync(PublicSecurity, records, CancellationToken.None);
        var changed = await submissions.SubmitAsync(PublicSecurity, [Resident("GA1", Zhang, "张伟", "男", "19900101", phone: "13900000009")], CancellationToken.None);

        again.Unchanged.ShouldBe(2);
        again.Accepted.ShouldBe(0);
        again.Results.Select(r => r.Links[0].GoldenId).ShouldBe(first.Results.Select(r => r.Links[0].GoldenId));
        changed.Results[0].Outcome.ShouldBe(SubmissionOutcome.Accepted);
        changed.Results[0].Version.ShouldBe(2);
        changed.Results[0].Links[0].GoldenId.ShouldBe(first.Results[0].Links[0].GoldenId);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM source_record")).ShouldBe(3);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person")).ShouldBe(2);
        (await connection.ExecuteScalarAsync<string>("SELECT phone FROM golden_person WHERE id_number = @Zhang", new { Zhang })).ShouldBe("13900000009");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_ID_number_with_a_bad_check_character_is_a_field_issue_but_the_record_is_accepted(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var badCheck = Zhang[..17] + (Zhang[17] == '0' ? '1' : '0');

        var response = await Submissions(test.Database).SubmitAsync(PublicSecurity, [Resident("GA9", badCheck, "张伟", "男", "19900101")], CancellationToken.None);

        var result = response.Results.ShouldHaveSingleItem();
        result.Outcome.ShouldBe(SubmissionOutcome.Accepted);
        var issue = result.Issues.ShouldHaveSingleItem();
        issue.Field.ShouldBe("subject.id_number");
        issue.Reason.ShouldStartWith("公民身份号码: ");
        issue.Value.ShouldBe(badCheck);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM field_issue WHERE record_id = 'GA9'")).ShouldBe(1);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Records_without_a_record_id_or_repeating_one_are_rejected_with_their_reason_while_the_others_are_accepted(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var noId = Json(new Dictionary<string, object?> { ["公民身份号码"] = Li, ["姓名"] = "李娜" });

        var response = await Submissions(test.Database).SubmitAsync(
            PublicSecurity,
            [Resident("GA1", Zhang, "张伟", "男", "19900101"), noId, Resident("GA1", Li, "李娜", "女", "19850630"), Json(42), Resident("GA3", Li, "李娜", "女", "19850630")],
            CancellationToken.None);

        response.Results.Select(r => r.Outcome).ShouldBe([SubmissionOutcome.Accepted, SubmissionOutcome.Rejected, SubmissionOutcome.Rejected, SubmissionOutcome.Rejected, SubmissionOutcome.Accepted]);
        response.Results[1].Field.ShouldBe("记录编号");
        response.Results[1].Reason.ShouldBe("no record id");
        response.Results[2].Field.ShouldBe("记录编号");
        response.Results[2].Reason.ShouldNotBeNull().ShouldContain("already record 1 of this batch");
        response.Results[3].Reason.ShouldNotBeNull().ShouldContain("not an object");
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var errors = (await connection.QueryAsync<(long Row, string? Field)>("SELECT row_number, field FROM row_error ORDER BY row_number")).ToList();
        errors.Select(e => e.Row).ShouldBe([2L, 3L, 4L]);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM source_record")).ShouldBe(2);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_column_the_declaration_does_not_name_is_kept_with_an_issue_and_an_address_finds_its_house(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var record = Json(new Dictionary<string, object?>
        {
            ["记录编号"] = "GA1", ["公民身份号码"] = Zhang, ["姓名"] = "张伟", ["性别"] = "男", ["出生日期"] = 19900101, ["现住址"] = HomeAddress, ["姓 名"] = "张伟",
        });

        var result = (await Submissions(test.Database).SubmitAsync(PublicSecurity, [record], CancellationToken.None)).Results.ShouldHaveSingleItem();

        result.Outcome.ShouldBe(SubmissionOutcome.Accepted);
        result.Issues.ShouldHaveSingleItem().Field.ShouldBe("姓 名");
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<string>("SELECT house_code FROM golden_person")).ShouldBe(Home);
        (await connection.ExecuteScalarAsync<string>("SELECT birth_date FROM golden_person")).ShouldBe("1990-01-01");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_uploaded_GBK_file_imports_and_importing_it_again_changes_nothing(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var path = Path.Combine(Path.GetTempPath(), $"zw-upload-{Guid.NewGuid():N}.csv");
        await File.WriteAllBytesAsync(path, GbkCsv(
            "记录编号,公民身份号码,姓名,性别,民族,出生日期,户口性质,现住址,联系电话,登记日期",
            $"GA1,{Zhang},张伟,男,汉族,19900101,户籍人口,{HomeAddress},13800000001,2020-01-01",
            $"GA2,{Li},李娜,女,汉族,19850630,流动人口,,13800000002,2020-01-01",
            ",440303199001011234,无编号,男,汉族,19900101,户籍人口,,,"));
        try
        {
            var submissions = Submissions(test.Database);
            var progress = new List<FileImportProgress>();
            var first = await submissions.ImportFileAsync(PublicSecurity, path, "public_security_hukou.csv", new Collect(progress), CancellationToken.None);
            var again = await submissions.ImportFileAsync(PublicSecurity, path, "public_security_hukou.csv", null, CancellationToken.None);

            first.Batch.Rows.ShouldBe(3);
            first.Batch.Accepted.ShouldBe(2);
            first.Batch.Rejected.ShouldBe(1);
            first.Batch.New.ShouldBe(2);
            first.NothingChanged.ShouldBeFalse();
            progress.Select(p => p.Stage).Distinct().ShouldBe(["waiting", "reading", "linking"]);

            // From the first row read, progress names the batch: a job cut off later still finds the rows it refused.
            progress.Where(p => p.Stage == "reading" && p.Rows > 0).ShouldNotBeEmpty();
            progress.Where(p => p.Stage == "reading" && p.Rows > 0).ShouldAllBe(p => p.BatchId == first.Batch.BatchId);
            again.NothingChanged.ShouldBeTrue();
            again.Batch.Duplicates.ShouldBe(2);
            var error = (await submissions.RowErrorsAsync(first.Batch.BatchId, 10, CancellationToken.None)).ShouldHaveSingleItem();
            error.ShouldBe(new RowError("public_security_hukou.csv", 4, "记录编号", "no record id"));
            var all = new List<RowError>();
            await foreach (var e in submissions.AllRowErrorsAsync(first.Batch.BatchId, CancellationToken.None))
            {
                all.Add(e);
            }

            all.ShouldBe([error]);
            await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
            (await connection.ExecuteScalarAsync<string>("SELECT name FROM golden_person WHERE id_number = @Zhang", new { Zhang })).ShouldBe("张伟");
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM source_record")).ShouldBe(2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_warm_hub_links_one_record_after_another_and_each_is_found_by_search_and_counted_in_its_grid(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var tallies = new CityTallies(test.Database, CityMap.Shenzhen);
        var submissions = new FeedSubmissions(test.Database, TimeProvider.System, new LiveHub(test.Database, TimeProvider.System, tallies), new StandardAddressBase(test.Database, TimeProvider.System));
        var search = new GoldenSearch(test.Database);
        var before = (await tallies.ForAsync(HomeGrid.Code, CancellationToken.None)).Persons;

        var zhang = await submissions.SubmitAsync(PublicSecurity, [Resident("GA1", Zhang, "张伟", "男", "19900101", address: HomeAddress)], CancellationToken.None);
        var li = await submissions.SubmitAsync(PublicSecurity, [Resident("GA2", Li, "李娜", "女", "19850630", address: HomeAddress)], CancellationToken.None);
        var student = await submissions.SubmitAsync(Education, [Student("XJ1", Son, "张小明", Zhang, "张伟")], CancellationToken.None);

        student.Results[0].Links.Single(l => l.Role == "guardian").GoldenId.ShouldBe(zhang.Results[0].Links[0].GoldenId);
        (await search.SearchAsync("李娜", new RecordScope(RecordScope.City), CancellationToken.None)).Hits
            .ShouldHaveSingleItem().GoldenId.ShouldBe(li.Results[0].Links[0].GoldenId);
        (await search.SearchAsync("张小明", new RecordScope(RecordScope.City), CancellationToken.None)).Hits.ShouldHaveSingleItem();
        (await tallies.ForAsync(HomeGrid.Code, CancellationToken.None)).Persons.ShouldBe(before + 2);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_record_is_found_by_an_address_fragment_before_and_after_the_warm_hub_indexes_the_search_backlog(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var hub = new LiveHub(test.Database, TimeProvider.System, new CityTallies(test.Database, CityMap.Shenzhen));
        var submissions = new FeedSubmissions(test.Database, TimeProvider.System, hub, new StandardAddressBase(test.Database, TimeProvider.System));
        var search = new GoldenSearch(test.Database);
        const string fragment = "罗湖区某路";

        var zhang = await submissions.SubmitAsync(PublicSecurity, [Resident("GA1", Zhang, "张伟", "男", "19900101", address: HomeAddress)], CancellationToken.None);
        var waiting = (await search.SearchAsync(fragment, new RecordScope(RecordScope.City), CancellationToken.None)).Hits.Select(h => h.GoldenId).ToList();
        var indexed = await hub.IndexSearchBacklogAsync(CancellationToken.None);
        var afterwards = (await search.SearchAsync(fragment, new RecordScope(RecordScope.City), CancellationToken.None)).Hits.Select(h => h.GoldenId).ToList();

        waiting.ShouldContain(zhang.Results[0].Links[0].GoldenId);
        afterwards.ShouldBe(waiting);
        if (provider == DatabaseProvider.Sqlite)
        {
            indexed.ShouldBeGreaterThan(0);
        }
        else
        {
            indexed.ShouldBe(0);
        }

        (await hub.IndexSearchBacklogAsync(CancellationToken.None)).ShouldBe(0);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_batch_another_process_imported_is_seen_by_the_warm_hub_before_its_next_record(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        var submissions = Submissions(test.Database);
        await submissions.SubmitAsync(PublicSecurity, [Resident("GA1", Zhang, "张伟", "男", "19900101")], CancellationToken.None);

        // As `zhiwang import` would, beside the server: its own hub, its own batch.
        var other = await HubImport.StartAsync(test.Database, TimeProvider.System, null, CancellationToken.None);
        var liRecord = await FeedReader.ReadAsync(PublicSecurity with { Format = FeedFormat.JsonLines }, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Resident("GA2", Li, "李娜", "女", "19850630").GetRawText() + "\n")), "cli.jsonl", null, CancellationToken.None)
            .Select(row => SourceRow.Accepted(row.Record!)).ToArrayAsync();
        await other.ImportFileAsync("public_security", "cli.jsonl", liRecord.ToAsyncEnumerable(), null, CancellationToken.None);
        await other.CompleteAsync(CancellationToken.None);

        var student = await submissions.SubmitAsync(Education, [Student("XJ1", Son, "李小明", Li, "李娜")], CancellationToken.None);

        var guardian = student.Results[0].Links.Single(l => l.Role == "guardian");
        guardian.Method.ShouldBe("key");
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        guardian.GoldenId.ShouldBe(await connection.ExecuteScalarAsync<string>("SELECT golden_id FROM record_mention WHERE record_id = 'GA2'"));
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person")).ShouldBe(3);
    }

    internal static byte[] GbkCsv(params string[] lines)
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        return System.Text.Encoding.GetEncoding("GBK").GetBytes(string.Join("\r\n", lines) + "\r\n");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Every_row_error_comes_back_once_in_row_order_when_read_a_page_at_a_time(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        // Row 2 has three errors and row 4 two: pages of three cut both, and each must still come back whole.
        (long Row, string Field)[] stored = [(1, "姓名"), (2, "公民身份号码"), (2, "出生日期"), (2, "性别"), (3, "姓名"), (4, "现住址"), (4, "联系电话"), (5, "登记日期")];
        await using (var connection = await test.Database.OpenConnectionAsync(CancellationToken.None))
        {
            foreach (var (row, field) in stored.Reverse())
            {
                await connection.ExecuteAsync(
                    "INSERT INTO row_error (batch_id, file, row_number, field, reason) VALUES (7, 'a.csv', @row, @field, 'bad')", new { row, field });
            }

            await connection.ExecuteAsync("INSERT INTO row_error (batch_id, file, row_number, field, reason) VALUES (8, 'b.csv', 3, '姓名', 'bad')");
        }

        var read = new List<RowError>();
        await foreach (var error in Submissions(test.Database).AllRowErrorsAsync(7, pageSize: 3, CancellationToken.None))
        {
            read.Add(error);
        }

        read.Select(e => e.Row).ShouldBe([1, 2, 2, 2, 3, 4, 4, 5]);
        read.Select(e => (e.Row, e.Field!)).OrderBy(e => e.Row).ThenBy(e => e.Item2, StringComparer.Ordinal)
            .ShouldBe(stored.OrderBy(e => e.Row).ThenBy(e => e.Field, StringComparer.Ordinal));
        read.ShouldAllBe(e => e.File == "a.csv");
    }

    private static FeedSubmissions Submissions(Database database) =>
        new(database, TimeProvider.System, new LiveHub(database, TimeProvider.System, new CityTallies(database, CityMap.Shenzhen)), new StandardAddressBase(database, TimeProvider.System));

    private static JsonElement Resident(string recordId, string idNumber, string name, string sex, string birth, string? phone = "13800000001", string? address = null) =>
        Json(new Dictionary<string, object?>
        {
            ["记录编号"] = recordId, ["公民身份号码"] = idNumber, ["姓名"] = name, ["性别"] = sex, ["民族"] = "汉族",
            ["出生日期"] = birth, ["户口性质"] = "户籍人口", ["现住址"] = address, ["联系电话"] = phone, ["登记日期"] = "2020-01-01",
        });

    private static JsonElement Student(string recordId, string idNumber, string name, string guardianId, string guardianName) =>
        Json(new Dictionary<string, object?>
        {
            ["学籍号"] = recordId, ["学生身份证号"] = idNumber, ["学生姓名"] = name, ["性别"] = "男", ["出生日期"] = "2015-03-09",
            ["监护人身份证号"] = guardianId, ["监护人姓名"] = guardianName, ["监护人联系电话"] = "13800000001",
        });

    private static JsonElement Json(object? value) => JsonSerializer.SerializeToElement(value);

    private static async Task<TestDatabase> PreparedAsync(DatabaseProvider provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        await test.Database.MigrateAsync([typeof(HubImport).Assembly], TimeProvider.System, CancellationToken.None);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            "INSERT INTO golden_house (house_code, building_code, address, house_use, grid_code, district_code) VALUES (@Home, @building, @HomeAddress, 'own', @grid, @district)",
            new { Home, building = Home[..13], HomeAddress, grid = HomeGrid.Code, district = HomeGrid.DistrictCode });
        return test;
    }

    private sealed class Collect(List<FileImportProgress> into) : IProgress<FileImportProgress>
    {
        public void Report(FileImportProgress value) => into.Add(value);
    }
}
