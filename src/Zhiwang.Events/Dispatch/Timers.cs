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

    /// <summary>The four timers an assignment starts: a warning before each deadline, then the deadline.</summary>
    public static IEnumerable<(string Timer, DateTimeOffset FireAt)> ForAssignment(UnitPlan plan)
    {
        yield return (AcceptWarning, plan.AcceptWarning);
        yield return (AcceptDue, plan.AcceptDue);
        yield return (HandleWarning, plan.HandleWarning);
        yield return (HandleDue, plan.HandleDue);
    }

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
