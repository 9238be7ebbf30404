using Zhiwang.Events.Lifecycle;

namespace Zhiwang.Events.Handling;

/// <summary>
/// What an action says beyond its name: why (returns, rejections, re-routes, reopenings), the result of handling, where to
/// re-route to, which departments to ask for joint handling, the reporter's satisfaction (1 to 5), or the event a duplicate
/// merges into. <see cref="Revision"/>, when given, must be the event's current revision, so a decision taken on a stale
/// page is refused instead of overwriting a newer one.
/// </summary>
public sealed record ActionRequest(
    string? Reason = null,
    string? Result = null,
    string? Department = null,
    string? Level = null,
    List<string>? Departments = null,
    int? Satisfaction = null,
    long? MergeInto = null,
    long? Revision = null);

public enum ActionStatus
{
    Done,
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

/// <summary>
/// The outcome of an action: done (with the new state and revision) or refused with the English reason, the refusal's
/// stable code and its arguments (see <see cref="Refusal"/>).
/// </summary>
public sealed record ActionOutcome(
    ActionStatus Status, string? State = null, long Revision = 0, string? Reason = null, string? Code = null,
    IReadOnlyDictionary<string, string>? Arguments = null)
{
    public static ActionOutcome Refused(ActionStatus status, Refusal refusal) =>
        new(status, Reason: refusal.Reason, Code: refusal.Code, Arguments: refusal.Arguments);
}
