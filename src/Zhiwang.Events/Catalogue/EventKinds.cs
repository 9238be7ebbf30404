namespace Zhiwang.Events.Catalogue;

/// <summary>The two families of events: 矛盾纠纷 (disputes between people) and 问题隐患 (hazards to fix).</summary>
public enum EventKind
{
    Dispute,
    Hazard,
}

/// <summary>
/// How fast an event must move. An emergency's deadlines run around the clock; the others' run on the
/// business calendar.
/// </summary>
public enum Urgency
{
    Normal,
    Urgent,
    Emergency,
}

/// <summary>
/// The levels an event is handled at, in escalation order: unresolved at one level, it goes to the next.
/// Each level is a division of the hierarchy (community 15 digits, street 12, district 6, the city 440300).
/// </summary>
public enum Level
{
    Community,
    Street,
    District,
    City,
}
