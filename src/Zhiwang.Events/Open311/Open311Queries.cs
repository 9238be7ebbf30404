using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.Events.Open311;

/// <summary>
/// Which requests to list: by id (then nothing else counts, as the spec says), or reported within a window, optionally
/// of some services and open or closed only.
/// </summary>
internal sealed record RequestFilter(
    IReadOnlyList<long>? Ids, IReadOnlyList<string>? ServiceCodes, bool? Closed, DateTimeOffset From, DateTimeOffset To, int Limit);

/// <summary>An event's public columns, with the reason of its latest timeline step that gave one.</summary>
internal sealed record PublicEventRow(
    long EventId, string State, string ClassCode, long CatalogueVersion, string Description, string? Address, double Lat, double Lon,
    string? Department, string? UnitDivision, string ReportedAt, string UpdatedAt, string? HandleDue, long? PossibleDuplicateOf,
    string? StatusNotes);

/// <summary>One timeline step: what happened, when and why; who did it is left out on purpose.</summary>
internal sealed record TimelineStepRow(long EventId, long Seq, string At, string Action, string ToState, string? Reason);

/// <summary>
/// The reads behind the public GeoReport resources. Only hazards (问题隐患, <c>event.kind = 'hazard'</c>) are read, and
/// only columns a member of the public may see: a dispute (矛盾纠纷) is a private matter between named people, so it is
/// in no list of requests or updates and a request for it by id finds nothing, as if it did not exist.
/// </summary>
internal static class Open311Queries
{
    /// <summary>The one kind of event the public resources show.</summary>
    public const string PublicKind = "hazard";

    private const string PublicColumns = """
        e.event_id AS EventId, e.state AS State, e.class_code AS ClassCode, e.catalogue_version AS CatalogueVersion,
        e.description AS Description, e.address AS Address, e.lat AS Lat, e.lon AS Lon, e.department AS Department,
        e.unit_division AS UnitDivision, e.reported_at AS ReportedAt, e.updated_at AS UpdatedAt, e.handle_due AS HandleDue,
        e.possible_duplicate_of AS PossibleDuplicateOf,
        (SELECT t.reason FROM event_timeline t WHERE t.event_id = e.event_id AND t.reason IS NOT NULL ORDER BY t.seq DESC LIMIT 1) AS StatusNotes
        """;

    /// <summary>Hazards by the filter, newest first; a dispute is never among them, not even when asked for by id.</summary>
    public static async Task<IReadOnlyList<PublicEventRow>> RequestsAsync(Database database, RequestFilter filter, CancellationToken cancellationToken)
    {
        // Dapper hands Npgsql a list as one array parameter (= ANY), and expands it for SQLite (IN (…)).
        var postgres = database.Provider == DatabaseProvider.PostgreSql;
        var conditions = new List<string> { "e.kind = @kind" };
        var parameters = new DynamicParameters();
        parameters.Add("limit", filter.Limit);
        parameters.Add("kind", PublicKind);
        if (filter.Ids is { } ids)
        {
            conditions.Add(postgres ? "e.event_id = ANY(@ids)" : "e.event_id IN @ids");
            parameters.Add("ids", ids.ToArray());
        }
        else
        {
            conditions.Add("e.reported_at >= @from AND e.reported_at <= @to");
            parameters.Add("from", Instant.Format(filter.From));
            parameters.Add("to", Instant.Format(filter.To));
            if (filter.ServiceCodes is { } codes)
            {
                conditions.Add(postgres ? "e.class_code = ANY(@codes)" : "e.class_code IN @codes");
                parameters.Add("codes", codes.ToArray());
            }

            if (filter.Closed is { } closed)
            {
                conditions.Add(closed ? "e.state IN ('closed', 'rejected')" : "e.state NOT IN ('closed', 'rejected')");
            }
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<PublicEventRow>(new CommandDefinition(
            $"""
            SELECT {PublicColumns}
            FROM event e
            WHERE {string.Join(" AND ", conditions)}
            ORDER BY e.reported_at DESC, e.event_id DESC
            LIMIT @limit
            """,
            parameters,
            cancellationToken: cancellationToken));
        return rows.ToList();
    }

    /// <summary>
    /// Timeline steps of hazards taken within [from, to], oldest first, at most <paramref name="limit"/>; a dispute's
    /// steps are never among them.
    /// </summary>
    public static async Task<IReadOnlyList<TimelineStepRow>> StepsAsync(
        Database database, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<TimelineStepRow>(new CommandDefinition(
            """
            SELECT t.event_id AS EventId, t.seq AS Seq, t.at AS At, t.action AS Action, t.to_state AS ToState, t.reason AS Reason
            FROM event_timeline t
            JOIN event e ON e.event_id = t.event_id
            WHERE t.at >= @from AND t.at <= @to AND e.kind = @kind
            ORDER BY t.at, t.event_id, t.seq
            LIMIT @limit
            """,
            new { from = Instant.Format(from), to = Instant.Format(to), limit, kind = PublicKind },
            cancellationToken: cancellationToken));
        return rows.ToList();
    }
}
