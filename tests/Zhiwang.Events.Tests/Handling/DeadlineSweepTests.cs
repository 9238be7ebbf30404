using Dapper;
using Zhiwang.Events.Deadlines;
using Zhiwang.Events.Handling;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Events.Tests.Handling;

public sealed class DeadlineSweepTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Nothing_is_due_before_its_time(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));

        (await fixture.Sweep.SweepAsync(CancellationToken.None)).Total.ShouldBe(0);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_unaccepted_event_warns_then_breaches_the_acceptance_checkpoint_once(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));

        fixture.Clock.Now = receipt.AcceptDue!.Value.AddSeconds(1);
        var first = await fixture.Sweep.SweepAsync(CancellationToken.None);
        var second = await fixture.Sweep.SweepAsync(CancellationToken.None);

        first.Warnings.ShouldBe(1);
        first.LateAcceptances.ShouldBe(1);
        second.Total.ShouldBe(0);
        var view = await fixture.ViewAsync(receipt.EventId);
        view.Breaches.Single().Checkpoint.ShouldBe("late_acceptance");
        view.Breaches.Single().Department.ShouldBe(receipt.Department);
        view.State.ShouldBe("dispatched");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_event_unresolved_by_its_deadline_is_marked_overdue_and_escalated_to_the_street(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var eventClass = fixture.CommunityClass();
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(eventClass));
        await fixture.ActAsync(receipt.EventId, EventAction.Take, EventsFixture.Handler(receipt.Department!, grid.CommunityCode));

        fixture.Clock.Now = receipt.HandleDue!.Value.AddMinutes(1);
        var result = await fixture.Sweep.SweepAsync(CancellationToken.None);

        result.Overdue.ShouldBe(1);
        result.Escalated.ShouldBe(1);
        var view = await fixture.ViewAsync(receipt.EventId);
        view.State.ShouldBe("dispatched");
        view.Level.ShouldBe("street");
        view.UnitDivision.ShouldBe(grid.StreetCode);
        view.Department.ShouldBe(eventClass.Departments[Zhiwang.Events.Catalogue.Level.Street]);
        view.Overdue.ShouldBeTrue();
        view.Breaches.Select(b => b.Checkpoint).ShouldBe(["late_handling"]);
        view.Assignments.Select(a => a.Outcome).ShouldBe(["escalated", null]);
        view.Assignments[0].Overdue.ShouldBeTrue();
        view.HandleDue.ShouldBe(fixture.Planner.Calendar.Add(fixture.Clock.Now, eventClass.HandleWithin));
        view.Timeline.Select(t => t.Action).TakeLast(2).ShouldBe(["overdue", "escalate"]);
        // The old unit's deadlines went with it; the new unit has its own two warnings.
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.QueryAsync<string>("SELECT timer FROM event_timer ORDER BY timer")).ShouldBe(["accept_warning", "handle_warning"]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Everything_due_at_once_is_warned_then_breached_and_escalated_in_one_sweep(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var receipts = new List<Zhiwang.Events.Intake.IntakeReceipt>();
        for (var i = 0; i < 3; i++)
        {
            receipts.Add(await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass(), placeIndex: i * 10)));
        }

        // A server that was down past every deadline: both warnings of each event fall due in one chunk, then the
        // deadlines they set have passed too.
        fixture.Clock.Now = receipts.Max(r => r.HandleDue!.Value).AddMinutes(1);
        var result = await fixture.Sweep.SweepAsync(CancellationToken.None);

        result.ShouldBe(new SweepResult(Warnings: 6, LateAcceptances: 3, Overdue: 3, Escalated: 3, LateSupervisionAnswers: 0));
        foreach (var receipt in receipts)
        {
            var view = await fixture.ViewAsync(receipt.EventId);
            view.Timeline.Skip(3).Select(t => t.Action).ShouldBe(["warning", "warning", "late_acceptance", "overdue", "escalate"]);
            view.Timeline.Skip(3).Take(2).Select(t => t.Reason).ShouldBe(["acceptance is due soon", "handling is due soon"]);
            view.Breaches.Select(b => b.Checkpoint).Order().ShouldBe(["late_acceptance", "late_handling"]);
            view.Level.ShouldBe("street");
        }

        (await fixture.Sweep.SweepAsync(CancellationToken.None)).Total.ShouldBe(0);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_warning_sets_its_deadline_and_a_deadline_met_meanwhile_is_not_breached(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var acceptDue = receipt.AcceptDue!.Value;
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);

        fixture.Clock.Now = receipt.ReportedAt + ((acceptDue - receipt.ReportedAt) * 0.75) + TimeSpan.FromSeconds(1);
        var warned = await fixture.Sweep.SweepAsync(CancellationToken.None);

        warned.Warnings.ShouldBe(1);
        warned.LateAcceptances.ShouldBe(0);
        (await connection.QuerySingleAsync<(string Timer, string FireAt)>(
            "SELECT timer, fire_at FROM event_timer WHERE event_id = @EventId AND timer LIKE 'accept%'", new { receipt.EventId }))
            .ShouldBe(("accept_due", Instant.Format(acceptDue)));

        // Accepted in time. A deadline timer set by a warning while the acceptance was committing can outlive it: put
        // one back as such a race would leave it.
        await fixture.ActAsync(receipt.EventId, EventAction.Take, EventsFixture.Handler(receipt.Department!, grid.CommunityCode));
        await connection.ExecuteAsync(
            """
            INSERT INTO event_timer (event_id, timer, ref_id, fire_at)
            SELECT event_id, 'accept_due', assignment_id, accept_due FROM event_assignment WHERE event_id = @EventId
            """,
            new { receipt.EventId });
        fixture.Clock.Now = acceptDue.AddMinutes(1);
        var due = await fixture.Sweep.SweepAsync(CancellationToken.None);

        due.LateAcceptances.ShouldBe(0);
        (await fixture.ViewAsync(receipt.EventId)).Breaches.ShouldBeEmpty();
        (await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM event_timer WHERE event_id = @EventId AND timer LIKE 'accept%'", new { receipt.EventId })).ShouldBe(0);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_handled_event_is_not_overdue(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var handler = EventsFixture.Handler(receipt.Department!, grid.CommunityCode);
        await fixture.ActAsync(receipt.EventId, EventAction.Take, handler);
        await fixture.ActAsync(receipt.EventId, EventAction.Handle, handler, new ActionRequest(Result: "已处理"));

        fixture.Clock.Now = receipt.HandleDue!.Value.AddDays(3);
        var result = await fixture.Sweep.SweepAsync(CancellationToken.None);

        result.Overdue.ShouldBe(0);
        (await fixture.ViewAsync(receipt.EventId)).Breaches.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_supervision_order_must_be_answered_by_its_deadline(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (grid, _) = EventsFixture.Place();
        var answered = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var ignored = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass(), placeIndex: 25));
        var handler = EventsFixture.Handler(answered.Department!, grid.CommunityCode);
        var supervisor = EventsFixture.Supervisor();

        var (order, _) = await fixture.Supervision.OpenAsync(answered.EventId, "请于今日内联系当事人", "2h", supervisor, CancellationToken.None);
        var (ignoredOrder, _) = await fixture.Supervision.OpenAsync(ignored.EventId, "请于今日内联系当事人", "2h", supervisor, CancellationToken.None);
        var (_, refused) = await fixture.Supervision.OpenAsync(answered.EventId, "x", "2h", handler, CancellationToken.None);
        (await fixture.Supervision.AnswerAsync(answered.EventId, order!.OrderId, "已联系，约定明日上门", handler, CancellationToken.None)).Status.ShouldBe(ActionStatus.Done);
        fixture.Clock.Now = ignoredOrder!.DueAt.AddMinutes(1);
        var result = await fixture.Sweep.SweepAsync(CancellationToken.None);

        refused.Status.ShouldBe(ActionStatus.Forbidden);
        result.LateSupervisionAnswers.ShouldBe(1);
        (await fixture.ViewAsync(answered.EventId)).SupervisionOrders.Single().Answer.ShouldBe("已联系，约定明日上门");
        var late = await fixture.ViewAsync(ignored.EventId);
        late.SupervisionOrders.Single().Overdue.ShouldBeTrue();
        late.Breaches.Select(b => b.Checkpoint).ShouldContain("late_supervision_answer");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Closing_without_verification_is_a_supervisors_decision_and_a_breach(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (grid, _) = EventsFixture.Place();
        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()));
        var handler = EventsFixture.Handler(receipt.Department!, grid.CommunityCode);
        await fixture.ActAsync(receipt.EventId, EventAction.Take, handler);
        await fixture.ActAsync(receipt.EventId, EventAction.Handle, handler, new ActionRequest(Result: "已处理"));

        (await fixture.ActAsync(receipt.EventId, EventAction.Close, EventsFixture.Dispatcher())).Status.ShouldBe(ActionStatus.Conflict);
        (await fixture.ActAsync(receipt.EventId, EventAction.ForceClose, EventsFixture.Supervisor(), new ActionRequest(Reason: "当事人已搬离，无法核实"))).State.ShouldBe("closed");

        (await fixture.ViewAsync(receipt.EventId)).Breaches.Single().Checkpoint.ShouldBe("closure_without_verification");
    }
}
