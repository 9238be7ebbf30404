using Dapper;
using Zhiwang.Geo;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;
using Zhiwang.Testing;
using static Zhiwang.MasterData.Tests.Hub.HubImportTests;

namespace Zhiwang.MasterData.Tests.Hub;

/// <summary>
/// A data steward's decision outlives the rebuild of its golden record. The tests through <see cref="HubImport"/> need
/// <c>StewardDecisions.LoadAsync</c> wired into <c>HubImport.CompleteAsync</c>; the builder test needs only the table.
/// </summary>
public sealed class StewardDecisionTests
{
    private static readonly RecordScope City = new(RecordScope.City);
    private static readonly string Zhang = IdNumber.Build("440303", new DateOnly(1990, 1, 1), 123);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_accepted_value_stands_over_older_sources_when_the_golden_record_is_rebuilt_and_is_not_raised_again(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database, Police("1990-01-01", "13800000001"), Civil("1990-02-01"));
        var conflict = await OpenConflictAsync(test.Database, HubFields.BirthDate);
        (await new StewardQueue(test.Database, TimeProvider.System).AcceptValueAsync(conflict, "1990-02-01", "steward.li", City, CancellationToken.None)).ShouldBe(StewardOutcome.Done);

        // The police record changes its phone only: the golden record is rebuilt from every source.
        await ImportAsync(test.Database, Police("1990-01-01", "13800000009"));

        var golden = await GoldenAsync(test.Database);
        golden.BirthDate.ShouldBe("1990-02-01");
        golden.Phone.ShouldBe("13800000009");
        var lineage = await new HubLineage(test.Database).OfAsync(golden.GoldenId, CancellationToken.None);
        lineage.Attributes.Single(a => a.Field == HubFields.BirthDate).ShouldBe(
            new GoldenAttribute(HubFields.BirthDate, "1990-02-01", "data_steward", $"conflict/{conflict}", $"accepted by data steward steward.li (conflict {conflict})"));
        (await OpenFieldsAsync(test.Database)).ShouldNotContain(HubFields.BirthDate);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_newer_source_value_that_differs_from_the_accepted_one_is_a_new_disagreement_naming_the_steward(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database, Police("1990-01-01", null), Civil("1990-02-01"));
        var conflict = await OpenConflictAsync(test.Database, HubFields.BirthDate);
        await new StewardQueue(test.Database, TimeProvider.System).AcceptValueAsync(conflict, "1990-02-01", "steward.li", City, CancellationToken.None);

        await ImportAsync(test.Database, Civil("1990-03-03"));

        (await GoldenAsync(test.Database)).BirthDate.ShouldBe("1990-01-01", "the steward is overruled, the authority's value counts again");
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var values = await connection.ExecuteScalarAsync<string>(
            "SELECT candidate_values FROM data_conflict WHERE field = 'birth_date' AND status = 'open' AND conflict_kind = 'disagreement'");
        values.ShouldNotBeNull();
        values.ShouldContain("1990-03-03");
        values.ShouldContain($"data_steward/conflict/{conflict}");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_resolved_disagreement_is_not_raised_again_for_the_same_values_but_is_for_a_new_one(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database, Police("1990-01-01", "13800000001"), Civil("1990-02-01"));
        var conflict = await OpenConflictAsync(test.Database, HubFields.BirthDate);
        (await new StewardQueue(test.Database, TimeProvider.System).ResolveAsync(conflict, City, CancellationToken.None)).ShouldBe(StewardOutcome.Done);

        await ImportAsync(test.Database, Police("1990-01-01", "13800000009"));
        var afterRebuild = await OpenFieldsAsync(test.Database);
        await ImportAsync(test.Database, Civil("1990-03-03"));
        var afterNewValue = await OpenFieldsAsync(test.Database);

        afterRebuild.ShouldNotContain(HubFields.BirthDate);
        afterNewValue.ShouldContain(HubFields.BirthDate);
        (await GoldenAsync(test.Database)).BirthDate.ShouldBe("1990-01-01");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Decisions_load_for_the_golden_ids_asked_and_the_builder_keeps_an_accepted_house_and_its_grid(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database, Police("1990-01-01", null), Tenant(Rented));
        var golden = await GoldenAsync(test.Database);
        golden.GridCode.ShouldBe(OtherGrid.Code, "the tenancy is the authority for where the person lives");
        var conflict = await OpenConflictAsync(test.Database, HubFields.HouseCode);
        var queue = new StewardQueue(test.Database, TimeProvider.System);
        await queue.AcceptValueAsync(conflict, Home, "steward.li", City, CancellationToken.None);
        (await GoldenAsync(test.Database)).GridCode.ShouldBe(HomeGrid.Code, "accepting a house moves the record to its grid at once");

        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var decisions = await StewardDecisions.LoadAsync(connection, [golden.GoldenId, "P99999999999", "H" + Home], CancellationToken.None);
        var none = await StewardDecisions.LoadAsync(connection, ["P99999999999"], CancellationToken.None);
        var builder = new GoldenBuilder(new Dictionary<string, string> { [Home] = HomeGrid.Code, [Rented] = OtherGrid.Code }, DateTimeOffset.UnixEpoch, 99, 0, 0, decisions);
        builder.Build(golden.GoldenId,
        [
            Contribution.Of(golden.GoldenId, "public_security", "GA1", "subject", new Dictionary<string, string?> { [HubFields.HouseCode] = Home }, ContributionOrder.Of(1, 1)),
            Contribution.Of(golden.GoldenId, "housing_rental", "ZJ1", "tenant", new Dictionary<string, string?> { [HubFields.HouseCode] = Rented }, ContributionOrder.Of(2, 1)),
        ]);

        (decisions.Count, none.Count).ShouldBe((1, 0));
        var row = builder.Persons.ShouldHaveSingleItem();
        (row[9], row[10]).ShouldBe((Home, HomeGrid.Code));
        builder.Conflicts.ShouldBeEmpty();
        builder.Tasks.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_disagreement_sent_to_the_grid_worker_is_not_raised_again_while_the_visit_is_pending(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database, Police("1990-01-01", "13800000001"), Civil("1990-02-01"));
        var conflict = await OpenConflictAsync(test.Database, HubFields.BirthDate);
        (await new StewardQueue(test.Database, TimeProvider.System).SendToGridWorkerAsync(conflict, City, CancellationToken.None)).Outcome.ShouldBe(StewardOutcome.Done);

        // The police record changes its phone only: the golden record is rebuilt, the two birth dates still disagree.
        await ImportAsync(test.Database, Police("1990-01-01", "13800000009"));

        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var birthDateConflicts = await connection.QueryAsync<(long Id, string Status)>(
            "SELECT conflict_id, status FROM data_conflict WHERE field = 'birth_date' AND conflict_kind = 'disagreement' AND status IN ('open', 'verifying')");
        birthDateConflicts.ShouldHaveSingleItem().ShouldBe((conflict, "verifying"));
    }

    private static (string Department, SourceRow[] Rows) Police(string birthDate, string? phone) =>
        ("public_security", [SourceRow.Accepted(Person("public_security", "GA1", birthDate, Home, phone, "subject"))]);

    private static (string Department, SourceRow[] Rows) Civil(string birthDate) =>
        ("civil_affairs", [SourceRow.Accepted(Person("civil_affairs", "MZ1", birthDate, null, null, "subject"))]);

    private static (string Department, SourceRow[] Rows) Tenant(string house) =>
        ("housing_rental", [SourceRow.Accepted(Person("housing_rental", "ZJ1", "1990-01-01", house, null, "tenant"))]);

    private static ParsedRecord Person(string department, string recordId, string birthDate, string? house, string? phone, string role) =>
        new(department, recordId, department + ".csv", 1,
            new Dictionary<string, string?> { ["编号"] = recordId, ["身份证号"] = Zhang, ["出生日期"] = birthDate, ["房屋"] = house, ["电话"] = phone },
            [new Mention(MentionKind.Person, role, new Dictionary<string, string?>
            {
                [HubFields.IdNumber] = Zhang, [HubFields.Name] = "张伟", [HubFields.BirthDate] = birthDate, [HubFields.HouseCode] = house, [HubFields.Phone] = phone,
            })],
            []);

    private static async Task<(string GoldenId, string? BirthDate, string? Phone, string? GridCode)> GoldenAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<(string, string?, string?, string?)>("SELECT golden_id, birth_date, phone, grid_code FROM golden_person");
    }

    private static async Task<long> OpenConflictAsync(Database database, string field)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<long>(
            "SELECT conflict_id FROM data_conflict WHERE field = @field AND status = 'open' AND conflict_kind = 'disagreement'", new { field });
    }

    private static async Task<List<string>> OpenFieldsAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return (await connection.QueryAsync<string>("SELECT field FROM data_conflict WHERE status = 'open' AND conflict_kind = 'disagreement'")).ToList();
    }
}
