using Zhiwang.Access;

namespace Zhiwang.Events.Lifecycle;

/// <summary>What the lifecycle needs to know about an event to decide whether an action is allowed.</summary>
public sealed record EventFacts(
    EventState State,
    string GridCode,
    string? Department,
    string? UnitDivision,
    string? ReporterUser,
    string? HandledBy,
    IReadOnlyList<(string Department, string Division)> JointUnits,
    DateTimeOffset? ReopenUntil,
    int? Satisfaction);

/// <summary>
/// The event state machine: for each action, the states it may start from, the state it leads to, and who may take
/// it. Anything not listed is refused, with the reason.
/// </summary>
public static class Lifecycle
{
    private sealed record Rule(EventState[] From, EventState? To, Func<Actor, EventFacts, bool> Allowed, Party Who);

    private static readonly Dictionary<EventAction, Rule> Rules = new()
    {
        [EventAction.Accept] = new([EventState.Reported], EventState.Accepted, IsDispatcher, Party.Dispatcher),
        [EventAction.Reject] = new([EventState.Reported, EventState.Accepted, EventState.Returned], EventState.Rejected, IsDispatcher, Party.Dispatcher),
        [EventAction.Merge] = new([EventState.Reported, EventState.Accepted, EventState.Dispatched, EventState.Returned], EventState.Rejected, IsDispatcher, Party.Dispatcher),
        [EventAction.Dispatch] = new([EventState.Accepted, EventState.Returned, EventState.Reopened], EventState.Dispatched, IsDispatcher, Party.Dispatcher),
        [EventAction.Reroute] = new([EventState.Dispatched, EventState.InHandling], EventState.Dispatched, IsDispatcher, Party.Dispatcher),
        [EventAction.Return] = new([EventState.Dispatched, EventState.InHandling], EventState.Returned, IsLeadHandler, Party.UnitHandler),
        [EventAction.Take] = new([EventState.Dispatched], EventState.InHandling, IsLeadHandler, Party.UnitHandler),
        [EventAction.AskJoint] = new([EventState.InHandling], null, IsLeadHandler, Party.UnitHandler),
        [EventAction.Note] = new(
            [EventState.Dispatched, EventState.InHandling, EventState.Handled],
            null,
            (actor, facts) => IsLeadHandler(actor, facts) || IsJointHandler(actor, facts) || IsSupervisor(actor, facts) || IsDispatcher(actor, facts),
            Party.AnyUnitDispatcherOrSupervisor),
        [EventAction.Handle] = new([EventState.InHandling], EventState.Handled, IsLeadHandler, Party.UnitHandlerNotReporter),
        [EventAction.Verify] = new([EventState.Handled], EventState.Verified, IsVerifier, Party.Verifier),
        [EventAction.NotSolved] = new([EventState.Handled], EventState.InHandling, IsVerifier, Party.Verifier),
        [EventAction.Close] = new(
            [EventState.Verified],
            EventState.Closed,
            (actor, facts) => IsReporter(actor, facts) || IsDispatcher(actor, facts) || IsSupervisor(actor, facts),
            Party.ReporterDispatcherOrSupervisor),
        [EventAction.ForceClose] = new([EventState.Dispatched, EventState.InHandling, EventState.Handled], EventState.Closed, IsSupervisor, Party.Supervisor),
        [EventAction.Rate] = new([EventState.Closed], null, IsReporter, Party.Reporter),
        [EventAction.Reopen] = new([EventState.Closed], EventState.Reopened, IsReporter, Party.Reporter),
        [EventAction.Escalate] = new([EventState.Dispatched, EventState.InHandling], EventState.Dispatched, IsSupervisor, Party.Supervisor),
    };

    /// <summary>The state after <paramref name="action"/> from <paramref name="from"/> (the same state for notes, joint requests and ratings).</summary>
    public static EventState Target(EventAction action, EventState from) => Rules[action].To ?? from;

    /// <summary>The states an action may start from, for the API's and pages' list of what can be done now.</summary>
    public static IReadOnlyList<EventState> From(EventAction action) => Rules[action].From;

    /// <summary>Null when <paramref name="actor"/> may take <paramref name="action"/> now; otherwise why not.</summary>
    public static Refusal? Check(EventAction action, EventFacts facts, Actor actor, DateTimeOffset now)
    {
        var rule = Rules[action];
        if (!rule.Allowed(actor, facts))
        {
            return Refusals.NotAllowedFor(action, rule.Who);
        }

        if (!rule.From.Contains(facts.State))
        {
            return Refusals.NotAllowedInState(action, facts.State, rule.From);
        }

        // 采办分离: whoever reported the event does not handle it, and whoever handled it does not verify it.
        if (action == EventAction.Handle && facts.ReporterUser is { } reporter && reporter == actor.Name)
        {
            return Refusals.ReporterMayNotHandle;
        }

        if (action is EventAction.Verify or EventAction.NotSolved && facts.HandledBy is { } handler && handler == actor.Name)
        {
            return Refusals.HandlerMayNotVerify;
        }

        if (action == EventAction.Reopen && (facts.ReopenUntil is not { } until || now > until))
        {
            return facts.ReopenUntil is { } end ? Refusals.ReopenPeriodEnded(end) : Refusals.NotReopenable;
        }

        if (action == EventAction.Rate && facts.Satisfaction is not null)
        {
            return Refusals.AlreadyRated;
        }

        return null;
    }

    /// <summary>The actions <paramref name="actor"/> may take now, for the event page's buttons.</summary>
    public static IReadOnlyList<EventAction> Available(EventFacts facts, Actor actor, DateTimeOffset now) =>
        Enum.GetValues<EventAction>().Where(action => Check(action, facts, actor, now) is null).ToList();

    private static bool IsDispatcher(Actor actor, EventFacts facts) =>
        actor.Kind == ActorKind.System || (actor.Has(Roles.Dispatcher) && actor.Covers(facts.GridCode));

    private static bool IsSupervisor(Actor actor, EventFacts facts) =>
        actor.Kind == ActorKind.System || (actor.Has(Roles.Supervisor) && actor.Covers(facts.GridCode));

    // A handler acts for their department in their scope: a street office's handler covers the street's unit,
    // a district bureau's handler the district's.
    private static bool IsLeadHandler(Actor actor, EventFacts facts) =>
        actor.Has(Roles.EventHandler) && facts.Department is { } department && facts.UnitDivision is { } division
        && actor.Department == department && actor.Covers(division);

    private static bool IsJointHandler(Actor actor, EventFacts facts) =>
        actor.Has(Roles.EventHandler) && facts.JointUnits.Any(unit => actor.Department == unit.Department && actor.Covers(unit.Division));

    private static bool IsReporter(Actor actor, EventFacts facts) =>
        actor.Kind == ActorKind.Reporter || (facts.ReporterUser is { } reporter && actor.Kind == ActorKind.User && actor.Name == reporter);

    private static bool IsVerifier(Actor actor, EventFacts facts) =>
        IsReporter(actor, facts) || (actor.Has(Roles.GridWorker) && actor.Covers(facts.GridCode));
}
