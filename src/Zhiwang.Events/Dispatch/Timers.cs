using System.Text.Json;
using Zhiwang.Events.Catalogue;
using Zhiwang.Storage;

namespace Zhiwang.Events.Dispatch;

/// <summary>The names of an event's pending deadlines and warnings, as <c>event_timer</c> stores them.</summary>
public static class Timers
{
    public const string AcceptWarning = "accept_warning";
    public const string AcceptDue = "accept_due";
    public const string HandleWarning = "handle_warning";
    public const string HandleDue = "handle_due";
    public const string SupervisionDue = "supervision_due";

    /// <summary>
    /// The timers an assignment starts with: the warning before each deadline. The deadline's own timer is set when its
    /// warning fires (by the deadline sweep), from the assignment's stored deadline, so intake writes two timer rows per
    /// event instead of four; at a thousand reports a second every row and index entry saved is felt.
    /// </summary>
    public static IEnumerable<(string Timer, DateTimeOffset FireAt)> ForAssignment(UnitPlan plan)
    {
        yield return (AcceptWarning, plan.AcceptWarning);
        yield return (HandleWarning, plan.HandleWarning);
    }

    /// <summary>Whether <paramref name="timer"/> is a warning (the sweep fires those together), not a deadline.</summary>
    public static bool IsWarning(string timer) => timer is AcceptWarning or HandleWarning;

    /// <summary>The timeline's detail for a dispatch: where it went, by which rule, and by when.</summary>
    public static string DispatchDetail(UnitPlan plan) => JsonSerializer.Serialize(new
    {
        level = CatalogueWords.Name(plan.Unit.Level),
        department = plan.Unit.Department,
        division = plan.Unit.DivisionCode,
        acceptDue = Instant.Format(plan.AcceptDue),
        handleDue = Instant.Format(plan.HandleDue),
    });
}
