using Zhiwang.Access;
using Zhiwang.Events.Lifecycle;

namespace Zhiwang.Events.Tests.Lifecycle;

public sealed class LifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 2, 0, 0, TimeSpan.Zero);

    private static EventFacts Facts(EventState state, DateTimeOffset? reopenUntil = null) =>
        new(state, "440304001001001001", "community_workstation", "440304001001001", "worker1", "handler1", [], reopenUntil, null);

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
        var handler = new Actor("h", ActorKind.User, [Roles.EventHandler], "440304001001001", "community_workstation");

        var refusal = Zhiwang.Events.Lifecycle.Lifecycle.Check(EventAction.Handle, Facts(EventState.Dispatched), handler, Now);

        refusal!.Reason.ShouldBe("An event that is dispatched cannot be given 'handle'; that needs it to be in_handling.");
    }
}
