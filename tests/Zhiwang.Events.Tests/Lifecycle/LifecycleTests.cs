using Zhiwang.Access;
using Zhiwang.Events.Lifecycle;

namespace Zhiwang.Events.Tests.Lifecycle;

public sealed class LifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    private static readonly Actor Handler = new("h", ActorKind.User, [Roles.EventHandler], "440304001001001", "community_workstation");

    private static EventFacts Facts(EventState state, DateTimeOffset? reopenUntil = null, int? satisfaction = null) =>
        new(state, "440304001001001001", "community_workstation", "440304001001001", "worker1", "handler1", [], reopenUntil, satisfaction);

    private static Refusal Refused(EventAction action, EventFacts facts, Actor actor) =>
        Zhiwang.Events.Lifecycle.Lifecycle.Check(action, facts, actor, Now).ShouldNotBeNull();

    [Fact]
    public void Every_state_lists_what_a_dispatcher_may_do_there()
    {
        var dispatcher = new Actor("d", ActorKind.User, [Roles.Dispatcher], "440304", null);

        Zhiwang.Events.Lifecycle.Lifecycle.Available(Facts(EventState.Reported), dispatcher, Now).ShouldBe([EventAction.Accept, EventAction.Reject, EventAction.Merge]);
        Zhiwang.Events.Lifecycle.Lifecycle.Available(Facts(EventState.Returned), dispatcher, Now).ShouldBe([EventAction.Reject, EventAction.Merge, EventAction.Dispatch]);
        Zhiwang.Events.Lifecycle.Lifecycle.Available(Facts(EventState.Closed), dispatcher, Now).ShouldBeEmpty();
    }

    [Fact]
    public void A_dispatcher_outside_the_place_may_do_nothing()
    {
        var elsewhere = new Actor("d", ActorKind.User, [Roles.Dispatcher], "440303", null);

        var refusal = Zhiwang.Events.Lifecycle.Lifecycle.Check(EventAction.Accept, Facts(EventState.Reported), elsewhere, Now);

        refusal!.Forbidden.ShouldBeTrue();
        refusal.Reason.ShouldContain("a dispatcher covering the place");
    }

    [Fact]
    public void A_reporter_may_reopen_only_within_the_period()
    {
        var reporter = Actor.Reporter;

        Zhiwang.Events.Lifecycle.Lifecycle.Check(EventAction.Reopen, Facts(EventState.Closed, Now.AddDays(1)), reporter, Now).ShouldBeNull();
        var late = Zhiwang.Events.Lifecycle.Lifecycle.Check(EventAction.Reopen, Facts(EventState.Closed, Now.AddDays(-1)), reporter, Now);

        late!.Forbidden.ShouldBeFalse();
        late.Reason.ShouldContain("period to reopen");
    }

    [Fact]
    public void An_action_from_the_wrong_state_names_the_states_it_needs()
    {
        var refusal = Zhiwang.Events.Lifecycle.Lifecycle.Check(EventAction.Handle, Facts(EventState.Dispatched), Handler, Now);

        refusal!.Reason.ShouldBe("An event that is dispatched cannot be given 'handle'; that needs it to be in_handling.");
    }

    [Fact]
    public void An_actor_who_may_not_act_is_refused_with_the_action_and_who_may()
    {
        var elsewhere = new Actor("d", ActorKind.User, [Roles.Dispatcher], "440303", null);

        var refusal = Refused(EventAction.Accept, Facts(EventState.Reported), elsewhere);

        refusal.Code.ShouldBe(RefusalCodes.NotAllowedForActor);
        refusal.Arguments.ShouldBe(new Dictionary<string, string> { ["action"] = "accept", ["who"] = "dispatcher" });
        refusal.Forbidden.ShouldBeTrue();
    }

    [Fact]
    public void A_state_refusal_names_the_action_the_state_and_every_state_that_would_allow_it()
    {
        var dispatcher = new Actor("d", ActorKind.User, [Roles.Dispatcher], "440304", null);

        var refusal = Refused(EventAction.Dispatch, Facts(EventState.Reported), dispatcher);

        refusal.Code.ShouldBe(RefusalCodes.NotAllowedInState);
        refusal.Arguments.ShouldBe(new Dictionary<string, string> { ["action"] = "dispatch", ["state"] = "reported", ["allowed"] = "accepted,returned,reopened" });
        refusal.Forbidden.ShouldBeFalse();
    }

    [Fact]
    public void Reporting_and_handling_and_handling_and_verifying_are_refused_by_their_own_codes()
    {
        var reporterHandler = Handler with { Name = "worker1" };
        var handlerGridWorker = new Actor("handler1", ActorKind.User, [Roles.GridWorker], "440304001001001001", null);

        var handle = Refused(EventAction.Handle, Facts(EventState.InHandling), reporterHandler);
        var verify = Refused(EventAction.Verify, Facts(EventState.Handled), handlerGridWorker);

        handle.Code.ShouldBe(RefusalCodes.ReporterMayNotHandle);
        handle.Arguments.ShouldBeEmpty();
        handle.Forbidden.ShouldBeTrue();
        verify.Code.ShouldBe(RefusalCodes.HandlerMayNotVerify);
        verify.Arguments.ShouldBeEmpty();
        verify.Forbidden.ShouldBeTrue();
    }

    [Fact]
    public void A_late_reopening_carries_when_the_period_ended_and_one_without_a_period_says_it_cannot_be_reopened()
    {
        var ended = Now.AddDays(-1);

        var late = Refused(EventAction.Reopen, Facts(EventState.Closed, ended), Actor.Reporter);
        var never = Refused(EventAction.Reopen, Facts(EventState.Closed), Actor.Reporter);

        late.Code.ShouldBe(RefusalCodes.ReopenPeriodEnded);
        late.Arguments.ShouldBe(new Dictionary<string, string> { ["until"] = "2026-11-23T02:00:00.0000000Z" });
        never.Code.ShouldBe(RefusalCodes.NotReopenable);
        never.Arguments.ShouldBeEmpty();
    }

    [Fact]
    public void A_second_rating_is_refused_as_already_rated()
    {
        var refusal = Refused(EventAction.Rate, Facts(EventState.Closed, Now.AddDays(1), satisfaction: 4), Actor.Reporter);

        refusal.Code.ShouldBe(RefusalCodes.AlreadyRated);
        refusal.Reason.ShouldBe("This event has already been rated.");
        refusal.Forbidden.ShouldBeFalse();
    }
}
