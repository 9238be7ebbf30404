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

/// <summary>Why an action was refused: <see cref="Forbidden"/> when the actor may not, otherwise the state forbids it.</summary>
public sealed record Refusal(string Reason, bool Forbidden);

/// <summary>
/// The event state machine: for each action, the states it may start from, the state it leads to, and who may take
/// it. Anything not listed is refused, with the reason.
/// </summary>
public static class Lifecycle
{
    private sealed record Rule(EventState[] From, EventState? To, Func<Actor, EventFacts, bool> Allowed, string Who);

    private static readonly Dictionary<EventAction, Rule> Rules = new()
    {
        [EventAction.Accept] = new([EventState.Reported], EventState.Accepted, IsDispatcher, "a dispatcher covering the place"),
        [EventAction.Reject] = new([EventState.Reported, EventState.Accepted, EventState.Returned], EventState.Rejected, IsDispatcher, "a dispatcher covering the place"),
        [EventAction.Merge] = new([EventState.Reported, EventState.Accepted, EventState.Dispatched, EventState.Returned], EventState.Rejected, IsDispatcher, "a dispatcher covering the place"),
        [EventAction.Dispatch] = new([EventState.Accepted, EventState.Returned, EventState.Reopened], EventState.Dispatched, IsDispatcher, "a dispatcher covering the place"),
        [EventAction.Reroute] = new([EventState.Dispatched, EventState.InHandling], EventState.Dispatched, IsDispatcher, "a dispatcher covering the place"),
        [EventAction.Return] = new([EventState.Dispatched, EventState.InHandling], EventState.Returned, IsLeadHandler, "a handler of the responsible unit"),
        [EventAction.Take] = new([EventState.Dispatched], EventState.InHandling, IsLeadHandler, "a handler of the responsible unit"),
        [EventAction.AskJoint] = new([EventState.InHandling], null, IsLeadHandler, "a handler of the responsible unit"),
        [EventAction.Note] = new(
            [EventState.Dispatched, EventState.InHandling, EventState.Handled],
            null,
            (actor, facts) => IsLeadHandler(actor, facts) || IsJointHandler(actor, facts) || IsSupervisor(actor, facts) || IsDispatcher(actor, facts),
            "a handler of a unit on the event, a dispatcher or a supervisor"),
        [EventAction.Handle] = new([EventState.InHandling], EventState.Handled, IsLeadHandler, "a handler of the responsible unit who did not report it"),
        [EventAction.Verify] = new([EventState.Handled], EventState.Verified, IsVerifier, "the reporter, or the grid's worker who did not handle it"),
        [EventAction.NotSolved] = new([EventState.Handled], EventState.InHandling, IsVerifier, "the reporter, or the grid's worker who did not handle it"),
        [EventAction.Close] = new(
            [EventState.Verified],
            EventState.Closed,
            (actor, facts) => IsReporter(actor, facts) || IsDispatcher(actor, facts) || IsSupervisor(actor, facts),
            "the reporter, a dispatcher or a supervisor"),
        [EventAction.ForceClose] = new([EventState.Dispatched, EventState.InHandling, EventState.Handled], EventState.Closed, IsSupervisor, "a supervisor covering the place"),
        [EventAction.Rate] = new([EventState.Closed], null, IsReporter, "the reporter"),
        [EventAction.Reopen] = new([EventState.Closed], EventState.Reopened, IsReporter, "the reporter"),
        [EventAction.Escalate] = new([EventState.Dispatched, EventState.InHandling], EventState.Dispatched, IsSupervisor, "a supervisor covering the place"),
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
            return new Refusal($"Only {rule.Who} may {action.Name()} this event.", Forbidden: true);
        }

        if (!rule.From.Contains(facts.State))
        {
            return new Refusal(
                $"An event that is {facts.State.Name()} cannot be given '{action.Name()}'; that needs it to be {string.Join(" or ", rule.From.Select(s => s.Name()))}.",
                Forbidden: false);
        }

        // 采办分离: whoever reported the event does not handle it, and whoever handled it does not verify it.
        if (action == EventAction.Handle && facts.ReporterUser is { } reporter && reporter == actor.Name)
        {
            return new Refusal("You reported this event, so you may not handle it (reporting and handling are kept apart).", Forbidden: true);
        }

        if (action is EventAction.Verify or EventAction.NotSolved && facts.HandledBy is { } handler && handler == actor.Name)
        {
            return new Refusal("You handled this event, so you may not verify it (handling and verifying are kept apart).", Forbidden: true);
        }

        if (action == EventAction.Reopen && (facts.ReopenUntil is not { } until || now > until))
        {
            return new Refusal(
                facts.ReopenUntil is { } end ? $"The period to reopen this event ended at {end:yyyy-MM-dd HH:mm} UTC." : "This event cannot be reopened.",
                Forbidden: false);
        }

        if (action == EventAction.Rate && facts.Satisfaction is not null)
        {
            return new Refusal("This event has already been rated.", Forbidden: false);
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
