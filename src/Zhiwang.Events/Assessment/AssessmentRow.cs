using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Assessment;

/// <summary>
/// One unit's figures for an assessment period (考核): counts of events, how many were accepted and completed on time,
/// and the residents' ratings. Rates are not stored here: the workbook derives them, so they always match the counts.
/// </summary>
public sealed record AssessmentRow(
    string UnitName,
    string Department,
    string DivisionCode,
    Level Level,
    int Received,
    int Accepted,
    int AcceptedOnTime,
    int Completed,
    int CompletedOnTime,
    double? AverageHandlingHours,
    int Overdue,
    int Returned,
    int Reopened,
    int Rated,
    double? Satisfaction,
    int Rank);
