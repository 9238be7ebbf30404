using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Dispatch;

/// <summary>
/// An event given to a unit: who, and by when they must accept it (签收) and handle it (办结). Warnings fall when three
/// quarters of each period have passed, so the unit hears before the deadline, not after.
/// </summary>
public sealed record UnitPlan(
    ResponsibleUnit Unit,
    DateTimeOffset AssignedAt,
    DateTimeOffset AcceptDue,
    DateTimeOffset HandleDue,
    DateTimeOffset AcceptWarning,
    DateTimeOffset HandleWarning);

/// <summary>Unified dispatch (统一分拨): the catalogue's route for a class and place, with deadlines on the business calendar.</summary>
public sealed class DispatchPlanner(BusinessCalendar calendar)
{
    public BusinessCalendar Calendar => calendar;

    /// <summary>
    /// The unit for an event of <paramref name="eventClass"/> in <paramref name="gridCode"/>: where the catalogue's rules
    /// send it first, or at <paramref name="level"/> when escalating or re-routing; <paramref name="department"/> overrides
    /// the department (a dispatcher's choice).
    /// </summary>
    public UnitPlan Plan(
        EventCatalogue catalogue, EventClass eventClass, string gridCode, DateTimeOffset now, Level? level = null, string? department = null)
    {
        var unit = catalogue.Route(eventClass, eventClass.Urgency, gridCode, level);
        if (department is not null && department != unit.Department)
        {
            unit = unit with { Department = department, Rule = null };
        }

        // An emergency's clock runs through nights and holidays; everything else runs on working time.
        var aroundTheClock = eventClass.Urgency == Urgency.Emergency;
        var acceptDue = calendar.Add(now, eventClass.AcceptWithin, aroundTheClock);
        var handleDue = calendar.Add(now, eventClass.HandleWithin, aroundTheClock);
        if (handleDue < acceptDue)
        {
            handleDue = acceptDue;
        }

        return new UnitPlan(unit, now, acceptDue, handleDue, WarningAt(now, acceptDue), WarningAt(now, handleDue));
    }

    private static DateTimeOffset WarningAt(DateTimeOffset from, DateTimeOffset due) => from + ((due - from) * 0.75);
}
