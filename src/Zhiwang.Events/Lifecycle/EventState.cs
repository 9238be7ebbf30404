namespace Zhiwang.Events.Lifecycle;

/// <summary>
/// Where an event stands. The main line is reported → accepted (受理) → dispatched (派单) → in handling (签收, 办理)
/// → handled (办结) → verified (核实) → closed (结案). A unit may return a misrouted event, a dispatcher may reject a
/// report that is not an event (or merge a duplicate), and a dissatisfied reporter may reopen a closed one.
/// </summary>
public enum EventState
{
    Reported,
    Accepted,
    Dispatched,
    InHandling,
    Handled,
    Verified,
    Closed,
    Returned,
    Rejected,
    Reopened,
}

public static class EventStates
{
    /// <summary>The states in which a unit owes work, so deadlines and escalation apply.</summary>
    public static bool IsWithUnit(this EventState state) => state is EventState.Dispatched or EventState.InHandling;

    /// <summary>Closed or rejected: nothing more happens unless a closed event is reopened.</summary>
    public static bool IsFinal(this EventState state) => state is EventState.Closed or EventState.Rejected;

    /// <summary>The name stored and shown in the API: <c>in_handling</c>.</summary>
    public static string Name(this EventState state) => state switch
    {
        EventState.Reported => "reported",
        EventState.Accepted => "accepted",
        EventState.Dispatched => "dispatched",
        EventState.InHandling => "in_handling",
        EventState.Handled => "handled",
        EventState.Verified => "verified",
        EventState.Closed => "closed",
        EventState.Returned => "returned",
        EventState.Rejected => "rejected",
        EventState.Reopened => "reopened",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static EventState Parse(string name) => TryParse(name) ?? throw new FormatException($"'{name}' is not an event state.");

    public static EventState? TryParse(string? name) => name switch
    {
        "reported" => EventState.Reported,
        "accepted" => EventState.Accepted,
        "dispatched" => EventState.Dispatched,
        "in_handling" => EventState.InHandling,
        "handled" => EventState.Handled,
        "verified" => EventState.Verified,
        "closed" => EventState.Closed,
        "returned" => EventState.Returned,
        "rejected" => EventState.Rejected,
        "reopened" => EventState.Reopened,
        _ => null,
    };
}
