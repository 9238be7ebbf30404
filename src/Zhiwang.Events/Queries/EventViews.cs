namespace Zhiwang.Events.Queries;

/// <summary>One line of a work queue: enough to sort and choose, no personal data.</summary>
public sealed record QueueItem(
    long EventId, string ClassCode, string Kind, string Urgency, string State, string Description, string GridCode,
    string? Level, string? Department, string? UnitDivision, DateTimeOffset ReportedAt, DateTimeOffset? AcceptDue,
    DateTimeOffset? HandleDue, bool Overdue, long? PossibleDuplicateOf, long Revision);

public sealed record TimelineEntry(int Seq, DateTimeOffset At, string Actor, string Action, string? FromState, string ToState, string? Reason, string? Detail);

public sealed record AssignmentView(
    long AssignmentId, string Level, string Department, string DivisionCode, bool Joint, DateTimeOffset AssignedAt,
    DateTimeOffset AcceptDue, DateTimeOffset? AcceptedAt, DateTimeOffset HandleDue, DateTimeOffset? HandledAt, bool Overdue,
    string? Outcome, DateTimeOffset? EndedAt);

public sealed record BreachView(string Checkpoint, DateTimeOffset At, string? Department, string? DivisionCode, string? Detail);

public sealed record LinkView(string Kind, string GoldenId);

public sealed record PhotoView(int Seq, string ContentType, long Bytes, string Sha256, DateTimeOffset AddedAt);

/// <summary>An event whole, for its page: the reporter's contact is masked unless the caller may see it.</summary>
public sealed record EventView(
    long EventId,
    string Token,
    string Channel,
    string ClassCode,
    int CatalogueVersion,
    string Kind,
    string Urgency,
    string State,
    string Description,
    string? Address,
    double Lat,
    double Lon,
    string GridCode,
    string? AttributesJson,
    string? ReporterName,
    string? ReporterPhone,
    string? ReporterUser,
    DateTimeOffset ReportedAt,
    string? Level,
    string? Department,
    string? UnitDivision,
    DateTimeOffset? AcceptDue,
    DateTimeOffset? HandleDue,
    bool Overdue,
    string? HandledBy,
    string? Result,
    DateTimeOffset? ClosedAt,
    int? Satisfaction,
    DateTimeOffset? ReopenUntil,
    long? DuplicateOf,
    long? PossibleDuplicateOf,
    long Revision,
    IReadOnlyList<TimelineEntry> Timeline,
    IReadOnlyList<AssignmentView> Assignments,
    IReadOnlyList<Supervision.SupervisionOrder> SupervisionOrders,
    IReadOnlyList<BreachView> Breaches,
    IReadOnlyList<LinkView> Links,
    IReadOnlyList<PhotoView> Photos,
    IReadOnlyList<string> Available);

/// <summary>
/// What the event page shows that can change while it is open: the revision (state, units, deadlines), the last line of
/// the timeline (every action, note, photo, supervision order and answer, warning and breach adds one), the overdue mark
/// and the two times the page's badges and buttons turn on (the handling deadline, the end of the reopen period).
/// </summary>
public sealed record EventStamp(long Revision, int LastEntry, string State, bool Overdue, DateTimeOffset? HandleDue, DateTimeOffset? ReopenUntil)
{
    public static EventStamp Of(EventView view) => new(
        view.Revision, view.Timeline.Count == 0 ? 0 : view.Timeline[^1].Seq, view.State, view.Overdue, view.HandleDue, view.ReopenUntil);
}
