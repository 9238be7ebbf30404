using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Hub;

/// <summary>One golden attribute: the value chosen, the department and record it came from, and why.</summary>
public sealed record GoldenAttribute(string Field, string? Value, string Department, string RecordId, string Reason);

/// <summary>One source record behind a golden record, the mention in it that links there, and how it was linked.</summary>
public sealed record LineageLink(
    string Department,
    string RecordId,
    long Version,
    string File,
    long Row,
    DateTimeOffset ReceivedAt,
    string Role,
    IReadOnlyDictionary<string, string?> Fields,
    IReadOnlyDictionary<string, string?> RawValues,
    LinkMethod Method,
    double Weight,
    Zhiwang.Linkage.Scoring.PairExplanation? Explanation = null);

/// <summary>A stewards' conflict on a golden record.</summary>
public sealed record DataConflict(long ConflictId, string GoldenId, string Field, string Kind, IReadOnlyList<CandidateValue> Values, string? Department, string Status);

/// <summary>Everything the hub knows about where one golden record came from.</summary>
public sealed record GoldenLineage(string GoldenId, IReadOnlyList<GoldenAttribute> Attributes, IReadOnlyList<LineageLink> Links, IReadOnlyList<DataConflict> Conflicts);

/// <summary>Lineage queries: the source records of a golden record, their values, and the links with method and weight.</summary>
public sealed class HubLineage(Database database)
{
    public async Task<GoldenLineage> OfAsync(string goldenId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var table = GoldenId.KindOf(goldenId) == Intake.MentionKind.LegalEntity ? "golden_legal_entity" : "golden_person";
        var provenance = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT provenance FROM {table} WHERE golden_id = @goldenId", new { goldenId }, cancellationToken: cancellationToken));
        var attributes = Search.Provenance.Read(provenance)
            .OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => new GoldenAttribute(pair.Key, pair.Value.Value, pair.Value.Department, pair.Value.RecordId, pair.Value.Reason))
            .ToList();

        var links = (await connection.QueryAsync<LinkRow>(new CommandDefinition(
            """
            SELECT m.department AS Department, m.record_id AS RecordId, m.version AS Version, s.file AS File, s.row_number AS RowNumber,
                   s.received_at AS ReceivedAt, m.role AS Role, m.fields AS Fields, s.raw_values AS RawValues,
                   m.link_method AS Method, m.link_weight AS Weight, m.link_explanation AS Explanation
            FROM record_mention m
            JOIN source_record s ON s.department = m.department AND s.record_id = m.record_id AND s.version = m.version
            WHERE m.golden_id = @goldenId
            ORDER BY s.batch_id, s.row_number, m.mention_index
            """,
            new { goldenId },
            cancellationToken: cancellationToken)))
            .Select(l => new LineageLink(
                l.Department, l.RecordId, l.Version, l.File, l.RowNumber, ToTime(l.ReceivedAt), l.Role,
                HubJson.ReadFields(l.Fields), HubJson.ReadFields(l.RawValues), LinkMethodNames.Parse(l.Method), l.Weight, LinkExplanation.Read(l.Explanation)))
            .ToList();

        var conflicts = await ConflictsAsync(connection, goldenId, cancellationToken);
        return new GoldenLineage(goldenId, attributes, links, conflicts);
    }

    private static async Task<IReadOnlyList<DataConflict>> ConflictsAsync(System.Data.Common.DbConnection connection, string goldenId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(long ConflictId, string GoldenId, string Field, string Kind, string Values, string? Department, string Status)>(new CommandDefinition(
            "SELECT conflict_id, golden_id, field, conflict_kind, candidate_values, department, status FROM data_conflict WHERE golden_id = @goldenId ORDER BY conflict_id",
            new { goldenId },
            cancellationToken: cancellationToken)))
        .Select(c => new DataConflict(c.ConflictId, c.GoldenId, c.Field, c.Kind, System.Text.Json.JsonSerializer.Deserialize<List<CandidateValue>>(c.Values) ?? [], c.Department, c.Status))
        .ToList();

    // SQLite hands timestamps back as text, PostgreSQL as DateTime (UTC).
    private static DateTimeOffset ToTime(object value) => value switch
    {
        DateTimeOffset t => t,
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        string s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidCastException($"A timestamp came back as {value.GetType().Name}."),
    };

    private sealed class LinkRow
    {
        public string Department { get; set; } = "";

        public string RecordId { get; set; } = "";

        public long Version { get; set; }

        public string File { get; set; } = "";

        public long RowNumber { get; set; }

        public object ReceivedAt { get; set; } = "";

        public string Role { get; set; } = "";

        public string Fields { get; set; } = "{}";

        public string RawValues { get; set; } = "{}";

        public string Method { get; set; } = "";

        public double Weight { get; set; }

        public string? Explanation { get; set; }
    }
}
