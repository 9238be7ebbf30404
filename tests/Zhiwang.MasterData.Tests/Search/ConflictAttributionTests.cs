using Dapper;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;
using Zhiwang.Testing;
using static Zhiwang.MasterData.Tests.Hub.HubImportTests;
using static Zhiwang.MasterData.Tests.Hub.StewardDecisionTests;

namespace Zhiwang.MasterData.Tests.Search;

public sealed class ConflictAttributionTests
{
    private static readonly string Zhang = IdNumber.Build("440303", new DateOnly(1990, 1, 1), 123);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_disagreement_counts_against_each_department_whose_value_is_not_the_golden_one_by_field_and_batch(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database,
            File("public_security", ("GA1", "1990-01-01"), ("GA2", null)),
            File("civil_affairs", ("MZ1", "1990-02-01")),
            File("social_insurance", ("RS1", "1990-01-01"), ("RS2", null), ("RS3", null), ("RS4", null)));

        var report = await new QualityReport(test.Database).ByDepartmentAsync(CancellationToken.None);
        var byBatch = await new HubQuality(test.Database).ByBatchAsync(CancellationToken.None);

        var civil = report.Single(d => d.Department == "civil_affairs");
        civil.Fields.Single(f => f.Field == HubFields.BirthDate).ShouldBe(new FieldRate(HubFields.BirthDate, 0, 0, 1, 0, 1.0));
        civil.Trend.Single().ShouldBe(civil.Trend.Single() with { Conflicts = 1, ConflictRate = 1.0 });
        report.Single(d => d.Department == "public_security").Fields.ShouldNotContain(f => f.Conflicts > 0, "the police's value is the golden one");
        report.Single(d => d.Department == "social_insurance").Trend.Single().Conflicts.ShouldBe(0);
        byBatch.ShouldHaveSingleItem().ShouldBe(new FieldQuality(2, "civil_affairs", "civil_affairs.csv", HubFields.BirthDate, 1, 0, 0, 1));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Once_a_steward_accepts_another_value_the_departments_that_gave_the_old_golden_value_carry_the_conflict(DatabaseProvider provider)
    {
        await using var test = await PreparedAsync(provider);
        await ImportAsync(test.Database,
            File("public_security", ("GA1", "1990-01-01")),
            File("civil_affairs", ("MZ1", "1990-02-01")),
            File("social_insurance", ("RS1", "1990-01-01"), ("RS2", null)));
        long conflict;
        await using (var connection = await test.Database.OpenConnectionAsync(CancellationToken.None))
        {
            conflict = await connection.ExecuteScalarAsync<long>("SELECT conflict_id FROM data_conflict WHERE field = 'birth_date'");
        }

        await new StewardQueue(test.Database, TimeProvider.System).AcceptValueAsync(conflict, "1990-02-01", "steward.li", new RecordScope(RecordScope.City), CancellationToken.None);
        var report = await new QualityReport(test.Database).ByDepartmentAsync(CancellationToken.None);

        report.Single(d => d.Department == "civil_affairs").Fields.ShouldNotContain(f => f.Conflicts > 0);
        report.Single(d => d.Department == "public_security").Fields.Single(f => f.Field == HubFields.BirthDate).ConflictRate.ShouldBe(1.0);
        report.Single(d => d.Department == "social_insurance").Fields.Single(f => f.Field == HubFields.BirthDate).ConflictRate.ShouldBe(0.5);
        report.Single(d => d.Department == "social_insurance").Trend.Single().ConflictRate.ShouldBe(0.5);
    }

    /// <summary>One department's file of persons, each its own person unless it gives a birth date (then Zhang Wei).</summary>
    private static (string Department, SourceRow[] Rows) File(string department, params (string RecordId, string? BirthDate)[] rows) =>
        (department, rows.Select((r, i) => SourceRow.Accepted(new ParsedRecord(department, r.RecordId, department + ".csv", i + 1,
            new Dictionary<string, string?> { ["编号"] = r.RecordId, ["出生日期"] = r.BirthDate },
            [new Mention(MentionKind.Person, "subject", r.BirthDate is null
                ? new Dictionary<string, string?> { [HubFields.IdNumber] = IdNumber.Build("440304", new DateOnly(1970, 1, 1), 100 + i + (department.Length * 10)), [HubFields.Name] = "路人" + r.RecordId }
                : new Dictionary<string, string?> { [HubFields.IdNumber] = Zhang, [HubFields.Name] = "张伟", [HubFields.BirthDate] = r.BirthDate })],
            []))).ToArray());
}
