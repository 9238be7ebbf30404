using Dapper;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Events.Tests.Handling;

public sealed class EventWorkflowTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_event_goes_from_report_to_closure_and_a_dissatisfied_reporter_reopens_it(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var eventClass = fixture.CommunityClass();
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(eventClass), submitter: "worker1");
        var handler = EventsFixture.Handler(receipt.Department!, grid.CommunityCode);
        var verifier = EventsFixture.GridWorker(grid.Code);
        var reporter = new Actor("worker1", ActorKind.User, [Zhiwang.Access.Roles.GridWorker], grid.Code, null);

        (await fixture.ActAsync(receipt.EventId, EventAction.Take, handler)).State.ShouldBe("in_handling");
        (await fixture.ActAsync(receipt.EventId, EventAction.Handle, handler, new ActionRequest(Result: "已约谈装修方，限定施工时间"))).State.ShouldBe("handled");
        (await fixture.ActAsync(receipt.EventId, EventAction.Verify, verifier, new ActionRequest(Reason: "现场核实，噪声已停止"))).State.ShouldBe("verified");
        (await fixture.ActAsync(receipt.EventId, EventAction.Close, reporter, new ActionRequest(Satisfaction: 2))).State.ShouldBe("closed");
        fixture.Clock.Advance(TimeSpan.FromDays(2));
        var reopened = await fixture.ActAsync(receipt.EventId, EventAction.Reopen, reporter, new ActionRequest(Reason: "噪声又出现了"));

        reopened.State.ShouldBe("dispatched");
        var view = await fixture.ViewAsync(receipt.EventId);
        view.Timeline.Select(t => t.Action).ShouldBe(["report", "accept", "dispatch", "take", "handle", "verify", "close", "reopen", "dispatch"]);
        view.Department.ShouldBe(receipt.Department);
        view.ClosedAt.ShouldBeNull();
        view.Assignments.Count.ShouldBe(2);
        view.Assignments[0].Outcome.ShouldBe("closed");
        view.Assignments[0].AcceptedAt.ShouldNotBeNull();
        view.Assignments[1].EndedAt.ShouldBeNull();
        view.HandleDue.ShouldBe(fixture.Planner.Calendar.Add(fixture.Clock.Now, eventClass.HandleWithin));
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Whoever_reported_an_event_may_not_handle_it_and_whoever_handled_it_may_not_verify_it(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()), submitter: "both");
        var reporterHandler = EventsFixture.Handler(receipt.Department!, grid.CommunityCode, name: "both");
        var handler = EventsFixture.Handler(receipt.Department!, grid.CommunityCode, name: "handler1");
        var handlerWhoIsAlsoGridWorker = new Actor("handler1", ActorKind.User, [Zhiwang.Access.Roles.EventHandler, Zhiwang.Access.Roles.GridWorker], grid.CommunityCode, receipt.Department);

        (await fixture.ActAsync(receipt.EventId, EventAction.Take, reporterHandler)).Status.ShouldBe(ActionStatus.Done);
        var refused = await fixture.ActAsync(receipt.EventId, EventAction.Handle, reporterHandler, new ActionRequest(Result: "处理完毕"));
        refused.Status.ShouldBe(ActionStatus.Forbidden);
        refused.Reason!.ShouldContain("reported this event");

        (await fixture.ActAsync(receipt.EventId, EventAction.Handle, handler, new ActionRequest(Result: "处理完毕"))).Status.ShouldBe(ActionStatus.Done);
        var selfVerify = await fixture.ActAsync(receipt.EventId, EventAction.Verify, handlerWhoIsAlsoGridWorker);
        selfVerify.Status.ShouldBe(ActionStatus.Forbidden);
        selfVerify.Reason!.ShouldContain("handled this event");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_handler_of_another_department_or_place_is_refused_and_nothing_changes(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var before = await fixture.ViewAsync(receipt.EventId);

        var otherDepartment = await fixture.ActAsync(receipt.EventId, EventAction.Take, EventsFixture.Handler("fire", grid.CommunityCode));
        var otherPlace = await fixture.ActAsync(receipt.EventId, EventAction.Take, EventsFixture.Handler(receipt.Department!, "440303"));
        var notNow = await fixture.ActAsync(receipt.EventId, EventAction.Handle, EventsFixture.Handler(receipt.Department!, grid.CommunityCode), new ActionRequest(Result: "x"));

        otherDepartment.Status.ShouldBe(ActionStatus.Forbidden);
        otherPlace.Status.ShouldBe(ActionStatus.Forbidden);
        notNow.Status.ShouldBe(ActionStatus.Conflict);
        notNow.Reason!.ShouldContain("dispatched");
        var after = await fixture.ViewAsync(receipt.EventId);
        after.Revision.ShouldBe(before.Revision);
        after.Timeline.Count.ShouldBe(before.Timeline.Count);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_misrouted_event_is_returned_with_a_reason_and_a_dispatcher_reroutes_it(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var handler = EventsFixture.Handler(receipt.Department!, grid.CommunityCode);

        var withoutReason = await fixture.ActAsync(receipt.EventId, EventAction.Return, handler);
        withoutReason.Status.ShouldBe(ActionStatus.Invalid);
        withoutReason.Code.ShouldBe(RefusalCodes.ReasonRequired);
        withoutReason.Arguments.ShouldBe(new Dictionary<string, string> { ["action"] = "return" });
        (await fixture.ActAsync(receipt.EventId, EventAction.Return, handler, new ActionRequest(Reason: "属于物业管理范畴，非本单位职责"))).State.ShouldBe("returned");
        var queue = await fixture.Queries.QueueAsync(Zhiwang.Events.Queries.Queue.Dispatcher, EventsFixture.Dispatcher(), 10, CancellationToken.None);
        queue.Single().EventId.ShouldBe(receipt.EventId);

        var unknown = await fixture.ActAsync(receipt.EventId, EventAction.Dispatch, EventsFixture.Dispatcher(), new ActionRequest(Department: "moon_base"));
        var dispatched = await fixture.ActAsync(receipt.EventId, EventAction.Dispatch, EventsFixture.Dispatcher(),
            new ActionRequest(Department: "housing_construction", Level: "district"));

        unknown.Code.ShouldBe(RefusalCodes.UnknownDepartment);
        unknown.Arguments.ShouldBe(new Dictionary<string, string> { ["department"] = "moon_base", ["version"] = "1" });

        dispatched.State.ShouldBe("dispatched");
        var view = await fixture.ViewAsync(receipt.EventId);
        view.Department.ShouldBe("housing_construction");
        view.Level.ShouldBe("district");
        view.UnitDivision.ShouldBe(grid.DistrictCode);
        view.Assignments.Select(a => a.Outcome).ShouldBe(["returned", null]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_decision_on_a_stale_revision_is_refused(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var handler = EventsFixture.Handler(receipt.Department!, grid.CommunityCode);
        var loaded = await fixture.ViewAsync(receipt.EventId);
        (await fixture.ActAsync(receipt.EventId, EventAction.Take, handler)).Status.ShouldBe(ActionStatus.Done);

        var stale = await fixture.ActAsync(receipt.EventId, EventAction.Note, handler, new ActionRequest(Reason: "已电话联系", Revision: loaded.Revision));

        stale.Status.ShouldBe(ActionStatus.Conflict);
        stale.Reason!.ShouldContain("changed since you loaded it");
        stale.Code.ShouldBe(RefusalCodes.StaleRevision);
        stale.Arguments.ShouldBe(new Dictionary<string, string> { ["revision"] = Invariant(loaded.Revision), ["current"] = Invariant(loaded.Revision + 1) });
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_duplicate_merges_into_the_open_event_and_both_timelines_say_so(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var eventClass = fixture.CommunityClass();
        var first = await fixture.ReportAsync(EventsFixture.Report(eventClass));
        var second = await fixture.ReportAsync(EventsFixture.Report(eventClass, description: "同一件事"));
        second.PossibleDuplicateOf.ShouldBe(first.EventId);

        (await fixture.ActAsync(second.EventId, EventAction.Merge, EventsFixture.Dispatcher(), new ActionRequest(MergeInto: first.EventId))).State.ShouldBe("rejected");

        (await fixture.ViewAsync(second.EventId)).DuplicateOf.ShouldBe(first.EventId);
        (await fixture.ViewAsync(first.EventId)).Timeline.Last().Action.ShouldBe("merge_in");
        (await fixture.ActAsync(first.EventId, EventAction.Merge, EventsFixture.Dispatcher(), new ActionRequest(MergeInto: second.EventId))).Status.ShouldBe(ActionStatus.Invalid);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_timeline_cannot_be_changed_or_deleted(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);

        var update = await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("UPDATE event_timeline SET actor = 'someone else'"));
        var delete = await Should.ThrowAsync<Exception>(() => connection.ExecuteAsync("DELETE FROM event_timeline"));

        update.Message.ShouldContain("append-only");
        delete.Message.ShouldContain("append-only");
        (await fixture.ViewAsync(receipt.EventId)).Timeline[0].Actor.ShouldBe("worker1");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_catalogue_version_applies_to_new_events_while_filed_ones_keep_theirs(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var eventClass = fixture.CommunityClass();
        var before = await fixture.ReportAsync(EventsFixture.Report(eventClass));
        var edited = EventCatalogue.Parse(fixture.Catalogue.ToJson(), 1);
        var json = fixture.Catalogue.ToJson().Replace($"\"{eventClass.HandleWithin}\"", "\"1d\"", StringComparison.Ordinal);

        var saved = await fixture.Catalogues.SaveAsync(json, "admin", "shorter deadlines", CancellationToken.None);
        var after = await fixture.ReportAsync(EventsFixture.Report(eventClass, placeIndex: 30));

        saved.Version.ShouldBe(2);
        edited.Classes.Count.ShouldBe(fixture.Catalogue.Classes.Count);
        (await fixture.ViewAsync(before.EventId)).CatalogueVersion.ShouldBe(1);
        (await fixture.ViewAsync(after.EventId)).CatalogueVersion.ShouldBe(2);
        after.HandleDue.ShouldBe(fixture.Planner.Calendar.Add(fixture.Clock.Now, WorkingDurationOf("1d")));
        await Should.ThrowAsync<CatalogueException>(() => fixture.Catalogues.SaveAsync("{ not json", "admin", null, CancellationToken.None));
        (await fixture.Catalogues.ListAsync(CancellationToken.None)).Count.ShouldBe(2);
    }

    [SkippableFact]
    public async Task An_action_on_an_event_filed_under_an_older_catalogue_reads_it_on_the_connection_it_holds()
    {
        await using var fixture = await EventsFixture.CreateAsync(DatabaseProvider.PostgreSql);
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        await fixture.Catalogues.SaveAsync(fixture.Catalogue.ToJson(), "admin", "version 2", CancellationToken.None);
        var handler = EventsFixture.Handler(receipt.Department!, grid.CommunityCode);
        (await fixture.ActAsync(receipt.EventId, EventAction.Return, handler, new ActionRequest(Reason: "非本单位职责"))).State.ShouldBe("returned");

        // A restarted server knows only the newest version, and here has one connection: a second one asked for while the
        // action holds the first would never come (the pool gives up after Timeout).
        var onePooled = Database.PostgreSql(fixture.Database.ConnectionString + ";Minimum Pool Size=0;Maximum Pool Size=1;Timeout=3");
        var restarted = new CatalogueStore(onePooled, new Zhiwang.Access.Audit.AuditLog(onePooled, fixture.Clock), fixture.Clock);
        (await restarted.LoadAsync(CancellationToken.None)).Version.ShouldBe(2);
        var workflow = new EventWorkflow(onePooled, restarted, fixture.Planner, fixture.Clock, Microsoft.Extensions.Options.Options.Create(new HandlingOptions()));

        var dispatched = await workflow.ActAsync(receipt.EventId, EventAction.Dispatch, new ActionRequest(Department: "housing_construction", Level: "district"),
            EventsFixture.Dispatcher(), CancellationToken.None);

        dispatched.State.ShouldBe("dispatched");
        (await fixture.ViewAsync(receipt.EventId)).CatalogueVersion.ShouldBe(1);
    }

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Zhiwang.Events.Calendar.WorkingDuration WorkingDurationOf(string text) => Zhiwang.Events.Calendar.WorkingDuration.TryParse(text)!.Value;
}
