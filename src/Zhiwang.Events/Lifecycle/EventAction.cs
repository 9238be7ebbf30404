namespace Zhiwang.Events.Lifecycle;

/// <summary>Everything that can be done to an event after it is reported. Each is one line on its timeline.</summary>
public enum EventAction
{
    Accept,
    Reject,
    Merge,
    Dispatch,
    Reroute,
    Return,
    Take,
    AskJoint,
    Note,
    Handle,
    Verify,
    NotSolved,
    Close,
    ForceClose,
    Rate,
    Reopen,
    Escalate,
}

public static class EventActions
{
    public static string Name(this EventAction action) => action switch
    {
        EventAction.Accept => "accept",
        EventAction.Reject => "reject",
        EventAction.Merge => "merge",
        EventAction.Dispatch => "dispatch",
        EventAction.Reroute => "reroute",
        EventAction.Return => "return",
        EventAction.Take => "take",
        EventAction.AskJoint => "ask_joint",
        EventAction.Note => "note",
        EventAction.Handle => "handle",
        EventAction.Verify => "verify",
        EventAction.NotSolved => "not_solved",
        EventAction.Close => "close",
        EventAction.ForceClose => "force_close",
        EventAction.Rate => "rate",
        EventAction.Reopen => "reopen",
        EventAction.Escalate => "escalate",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    public static EventAction? TryParse(string? name) =>
        Enum.GetValues<EventAction>().Cast<EventAction?>().FirstOrDefault(a => a!.Value.Name() == name);
}
