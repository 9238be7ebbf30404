namespace Zhiwang.Events.Catalogue;

/// <summary>
/// A place or urgency override of where a class starts and who handles it; a null field matches anything.
/// <c>Class</c> or <c>Group</c> narrows the events; <c>Division</c> is a code prefix (district 6 digits, street 12,
/// community 15); <c>Urgency</c> the event's urgency. It sets the starting <c>Level</c> and/or the <c>Department</c>
/// at that level (without a level: at the level the event starts at). <c>Why</c> is shown to handlers.
/// </summary>
public sealed record DispatchRule(
    string? Class,
    string? Group,
    string? Division,
    Urgency? Urgency,
    Level? Level,
    string? Department,
    string? Why);

/// <summary>
/// The unit an event goes to: a department at a level, in the division of that level that contains the place
/// (<c>DivisionCode</c>: community 15 digits, street 12, district 6, the city 440300). <c>Rule</c> is the dispatch rule
/// that decided it, null when the class's own table did.
/// </summary>
public sealed record ResponsibleUnit(Level Level, string Department, string DivisionCode, DispatchRule? Rule);
