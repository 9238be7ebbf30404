using Dapper;
using Zhiwang.Access;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Handling;
using Zhiwang.Geo;
using Zhiwang.Storage;

namespace Zhiwang.Events.Assessment;

/// <summary>
/// 考核: how each unit (a department at a level in a division) did with the events given to it in a period: received,
/// accepted and completed on time, average handling time in working hours, overdue, returned, reopened, satisfaction,
/// and a rank. A unit is judged on its own assignments, so an event escalated from a community to a street counts once
/// for each, each with its own deadlines.
/// </summary>
public sealed class AssessmentQuery(Database database, CatalogueStore catalogues, BusinessCalendar calendar, CityMap map)
{
    /// <summary>
    /// The units in <paramref name="scope"/> with assignments made from <paramref name="from"/> to <paramref name="to"/>
    /// (days in China time, both included), optionally of one level, ranked best first.
    /// </summary>
    public async Task<IReadOnlyList<AssessmentRow>> UnitsAsync(
        string scope, DateOnly from, DateOnly to, Level? level, bool chinese, CancellationToken cancellationToken)
    {
        var start = Instant.Format(new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), BusinessCalendar.ChinaOffset));
        var end = Instant.Format(new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), BusinessCalendar.ChinaOffset));
        var prefix = Scopes.LikePattern(scope);
        var levelName = level is { } given ? CatalogueWords.Name(given) : null;
        var filter = "a.joint = 0 AND a.assigned_at >= @start AND a.assigned_at < @end AND a.division_code LIKE @prefix"
            + (levelName is null ? "" : " AND a.level = @levelName");
        var parameters = new { start, end, prefix, levelName };
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var counts = await connection.QueryAsync<CountRow>(new CommandDefinition(
            $"""
            SELECT a.department AS Department, a.division_code AS DivisionCode, a.level AS Level,
                   COUNT(*) AS Received,
                   SUM(CASE WHEN a.accepted_at IS NOT NULL THEN 1 ELSE 0 END) AS Accepted,
                   SUM(CASE WHEN a.accepted_at IS NOT NULL AND a.accepted_at <= a.accept_due THEN 1 ELSE 0 END) AS AcceptedOnTime,
                   SUM(CASE WHEN a.handled_at IS NOT NULL THEN 1 ELSE 0 END) AS Completed,
                   SUM(CASE WHEN a.handled_at IS NOT NULL AND a.handled_at <= a.handle_due THEN 1 ELSE 0 END) AS CompletedOnTime,
                   SUM(CASE WHEN a.overdue = 1 THEN 1 ELSE 0 END) AS Overdue,
                   SUM(CASE WHEN a.outcome = 'returned' THEN 1 ELSE 0 END) AS Returned,
                   SUM(CASE WHEN a.outcome = 'closed' AND EXISTS (
                       SELECT 1 FROM event_timeline t WHERE t.event_id = a.event_id AND t.action = 'reopen' AND t.at >= a.ended_at)
                       THEN 1 ELSE 0 END) AS Reopened,
                   SUM(CASE WHEN a.outcome = 'closed' AND e.satisfaction IS NOT NULL THEN 1 ELSE 0 END) AS Rated,
                   AVG(CASE WHEN a.outcome = 'closed' THEN CAST(e.satisfaction AS DOUBLE PRECISION) END) AS Satisfaction
            FROM event_assignment a JOIN event e ON e.event_id = a.event_id
            WHERE {filter}
            GROUP BY a.department, a.division_code, a.level
            """,
            parameters, cancellationToken: cancellationToken));

        // Handling time is working time (the business calendar), which SQL cannot count: the pairs come back and are summed here.
        var hours = new Dictionary<(string, string, string), (double Sum, int Count)>();
        var handled = await connection.QueryAsync<(string Department, string DivisionCode, string Level, string AssignedAt, string HandledAt)>(new CommandDefinition(
            $"SELECT a.department, a.division_code, a.level, a.assigned_at, a.handled_at FROM event_assignment a WHERE {filter} AND a.handled_at IS NOT NULL",
            parameters, cancellationToken: cancellationToken));
        foreach (var row in handled)
        {
            var key = (row.Department, row.DivisionCode, row.Level);
            var (sum, count) = hours.GetValueOrDefault(key);
            hours[key] = (sum + calendar.WorkingTimeBetween(Instant.Parse(row.AssignedAt), Instant.Parse(row.HandledAt)).TotalHours, count + 1);
        }

        var catalogue = catalogues.Current;
        var rows = counts.Select(c =>
        {
            var department = catalogue.FindDepartment(c.Department);
            var division = map.Find(c.DivisionCode)?.Name ?? (c.DivisionCode == Scopes.City ? map.City.Name : c.DivisionCode);
            var unitName = division + (department is null ? c.Department : chinese ? department.Zh : " " + department.En);
            var average = hours.TryGetValue((c.Department, c.DivisionCode, c.Level), out var h) && h.Count > 0 ? h.Sum / h.Count : (double?)null;
            return new AssessmentRow(
                unitName, c.Department, c.DivisionCode, CatalogueWords.ParseLevel(c.Level) ?? Level.Community, (int)c.Received, (int)c.Accepted,
                (int)c.AcceptedOnTime, (int)c.Completed, (int)c.CompletedOnTime, average, (int)c.Overdue, (int)c.Returned, (int)c.Reopened,
                (int)c.Rated, c.Satisfaction, 0);
        }).ToList();

        // Best first: on-time completion, then satisfaction, then fewer overdue; units with nothing completed last.
        var ranked = rows
            .OrderByDescending(r => r.Completed == 0 ? -1 : r.CompletedOnTime / (double)r.Completed)
            .ThenByDescending(r => r.Satisfaction ?? 0)
            .ThenBy(r => r.Overdue)
            .ThenBy(r => r.UnitName, StringComparer.Ordinal)
            .Select((r, i) => r with { Rank = i + 1 })
            .ToList();
        return ranked;
    }

    // Settable properties, not a positional record: SQLite types a column by its first value, and a first unit with no
    // rating makes the average a NULL "blob" no constructor takes.
    private sealed class CountRow
    {
        public string Department { get; set; } = "";

        public string DivisionCode { get; set; } = "";

        public string Level { get; set; } = "";

        public long Received { get; set; }

        public long Accepted { get; set; }

        public long AcceptedOnTime { get; set; }

        public long Completed { get; set; }

        public long CompletedOnTime { get; set; }

        public long Overdue { get; set; }

        public long Returned { get; set; }

        public long Reopened { get; set; }

        public long Rated { get; set; }

        public double? Satisfaction { get; set; }
    }
}
