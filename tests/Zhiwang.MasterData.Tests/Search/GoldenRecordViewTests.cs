using Zhiwang.MasterData.Search;
using Zhiwang.Storage;
using Zhiwang.Testing;
using static Zhiwang.MasterData.Tests.Search.TinyGoldenCity;

namespace Zhiwang.MasterData.Tests.Search;

public sealed class GoldenRecordViewTests
{
    private static readonly RecordScope City = new(RecordScope.City);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_persons_360_view_has_sourced_attributes_links_location_and_related_records(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var view = new GoldenRecordView(await MigratedAsync(test));

        var person = await view.PersonAsync(ZhangWeiFutian, City, CancellationToken.None);

        person.ShouldNotBeNull();
        person.Name.ShouldBe("张伟");
        person.Attributes.Single(a => a.Field == "name").ShouldBe(new RecordAttribute("name", "张伟", "public_security", "PS-1", "authoritative source: public_security"));
        person.Attributes.Single(a => a.Field == "sex").Department.ShouldBeNull();
        person.Links.Select(l => (l.Department, l.RecordId, l.Method, l.Weight)).ShouldBe(
            [("public_security", "PS-1", "key", 30.0), ("social_insurance", "SI-9", "engine", 11.5)]);
        person.Location.Longitude.ShouldBe(114.085);
        person.Location.GridCode.ShouldBe(FutianGrid);
        person.Related.Select(r => (r.Id, r.Relation)).ShouldBe(
            [(HouseCodeFutian, "lives-in"), (LiNa, "same-house"), (Company, "represents"), (HouseCodeFutian, "owns"), (Company, "co-mention:employer")],
            ignoreOrder: true);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_record_outside_the_scope_reads_as_absent(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var view = new GoldenRecordView(await MigratedAsync(test));

        var fromLuohu = await view.PersonAsync(ZhangWeiFutian, new RecordScope("440303"), CancellationToken.None);
        var missing = await view.PersonAsync("P99999999999", City, CancellationToken.None);
        var house = await view.AnyAsync(HouseCodeFutian, City, CancellationToken.None);

        fromLuohu.ShouldBeNull();
        missing.ShouldBeNull();
        house.ShouldNotBeNull();
        house.Related.Select(r => (r.Id, r.Relation)).ShouldContain((ZhangWeiFutian, "owner"));
        house.Related.Select(r => (r.Id, r.Relation)).ShouldContain((LiNa, "resident"));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_steward_sees_the_conflict_side_by_side_and_accepting_a_value_writes_it_to_the_golden_record(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var queue = new StewardQueue(database, TimeProvider.System);
        var view = new GoldenRecordView(database);

        var open = await queue.OpenConflictsAsync(City, 50, CancellationToken.None);
        var detail = await queue.ConflictAsync(1, City, CancellationToken.None);
        var notACandidate = await queue.AcceptValueAsync(1, "13000000000", "steward.li", City, CancellationToken.None);
        var accepted = await queue.AcceptValueAsync(1, "13812340000", "steward.li", City, CancellationToken.None);
        var person = await view.PersonAsync(ZhangWeiFutian, City, CancellationToken.None);
        var after = await queue.OpenConflictsAsync(City, 50, CancellationToken.None);

        open.Select(c => (c.ConflictId, c.Field, c.Name)).ShouldBe([(1L, "phone", "张伟")]);
        detail.ShouldNotBeNull();
        detail.Sources.Select(s => (s.Value, s.Department, s.RecordId, s.Method)).ShouldBe(
            [("13812345678", "public_security", "PS-1", "key"), ("13812340000", "social_insurance", "SI-9", "engine")]);
        detail.Sources[1].Raw["employer"].ShouldBe("深圳市华强电子有限公司");
        detail.Waterfalls.Select(w => (w.RecordId, w.Total)).ShouldBe([("PS-1", 30.0), ("SI-9", 11.5)]);
        notACandidate.ShouldBe(StewardOutcome.NotACandidate);
        accepted.ShouldBe(StewardOutcome.Done);
        person!.Attributes.Single(a => a.Field == "phone").ShouldBe(
            new RecordAttribute("phone", "13812340000", "data_steward", "conflict/1", "accepted by data steward steward.li (conflict 1)"));
        after.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Sending_a_conflict_to_the_grid_worker_opens_one_task_however_often_it_is_sent(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var queue = new StewardQueue(database, TimeProvider.System);

        var first = await queue.SendToGridWorkerAsync(1, City, CancellationToken.None);
        var second = await queue.SendToGridWorkerAsync(1, City, CancellationToken.None);
        var outOfScope = await queue.SendToGridWorkerAsync(1, new RecordScope("440303"), CancellationToken.None);
        var detail = await queue.ConflictAsync(1, City, CancellationToken.None);
        var resolved = await queue.ResolveAsync(1, City, CancellationToken.None);
        var afterResolved = await queue.ConflictAsync(1, City, CancellationToken.None);

        first.Outcome.ShouldBe(StewardOutcome.Done);
        second.TaskId.ShouldBe(first.TaskId);
        outOfScope.Outcome.ShouldBe(StewardOutcome.NotFound);
        detail!.Conflict.Status.ShouldBe(StewardQueue.Verifying);
        detail.OpenTaskId.ShouldBe(first.TaskId);
        resolved.ShouldBe(StewardOutcome.Done);
        afterResolved!.OpenTaskId.ShouldBeNull();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_quality_report_gives_each_department_its_rates_by_field_and_its_trend(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var report = await new QualityReport(await MigratedAsync(test)).ByDepartmentAsync(CancellationToken.None);

        var police = report.Single(d => d.Department == "public_security");
        police.RowsRead.ShouldBe(300);
        police.Rejected.ShouldBe(3);
        police.Trend.Select(t => (t.BatchId, t.RowsRead, t.FieldIssues)).ShouldBe([(1L, 100L, 1L), (2L, 200L, 1L)]);
        police.Fields.Single(f => f.Field == "subject.id_number").IssueRate.ShouldBe(2 / 300.0);
        police.Fields.ShouldNotContain(f => f.Field == "phone", "the police gave the golden phone; only the department that disagrees carries the conflict");
        var insurance = report.Single(d => d.Department == "social_insurance");
        insurance.Fields.Single(f => f.Field == "phone").ConflictRate.ShouldBe(1 / 50.0);
        insurance.Trend.Single().Conflicts.ShouldBe(1);
    }
}
