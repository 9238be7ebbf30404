using System.Data.Common;
using System.Text.Json;
using Dapper;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Search;

/// <summary>One value the sources gave for a conflicting attribute, and the records (department/record id) that gave it.</summary>
public sealed record ConflictValue(string Value, IReadOnlyList<string> Sources);

/// <summary>A conflict in the stewards' queue, with the golden record's name and grid.</summary>
public sealed record ConflictSummary(
    long ConflictId, string GoldenId, string? Name, string? GridCode, string Field, string Kind, string Status, IReadOnlyList<ConflictValue> Values);

/// <summary>One source record behind a conflicting value, side by side with the others: its raw values and how it was linked.</summary>
public sealed record ConflictSource(string Value, string Department, string RecordId, long? Version, IReadOnlyDictionary<string, string?> Raw, string? Method, double? Weight);

/// <summary>One bar of a waterfall: a step's label, its weight and the running total after it.</summary>
public sealed record WaterfallStep(string Label, double Weight, double RunningTotal);

/// <summary>
/// Why a source record is linked to the golden record: for an engine link, the engine's stored explanation (prior, one
/// step per comparison, summing to <paramref name="Total"/>); for a key link, its weight. <paramref name="Explained"/> is
/// false only for a link whose steps are not stored (an interim rule's, or one stored before the engine was plugged in).
/// </summary>
public sealed record PairWaterfall(string GoldenId, string Department, string RecordId, string Method, IReadOnlyList<WaterfallStep> Steps, double Total, bool Explained);

/// <summary>A conflict opened for a steward: its values with their source records side by side, and each link's waterfall.</summary>
public sealed record ConflictDetail(ConflictSummary Conflict, IReadOnlyList<ConflictSource> Sources, IReadOnlyList<PairWaterfall> Waterfalls, long? OpenTaskId);

/// <summary>What a steward's action did.</summary>
public enum StewardOutcome
{
    Done,

    /// <summary>No such open conflict in the steward's scope (or none at all: the two are not told apart).</summary>
    NotFound,

    /// <summary>The value accepted is none of the values the sources gave.</summary>
    NotACandidate,
}

/// <summary>
/// The data stewards' queue: open conflicts in a scope, one conflict with its sources, and the actions on it: accept a
/// value, mark resolved, send to the grid worker. Conflict statuses: open → verifying (a grid worker is asked) →
/// resolved; task statuses: open → cancelled (settled without the visit).
/// </summary>
public sealed class StewardQueue(Database database, TimeProvider timeProvider)
{
    public const string Open = "open";
    public const string Verifying = "verifying";
    public const string Resolved = "resolved";

    // Golden columns a steward's accepted value may be written to: identifiers cannot be parameters.
    private static readonly HashSet<string> PersonColumns = new(StringComparer.Ordinal)
        { "id_number", "name", "sex", "birth_date", "ethnicity", "hukou", "phone", "address", "house_code" };

    private static readonly HashSet<string> EntityColumns = new(StringComparer.Ordinal)
        { "credit_code", "name", "status", "registered_date", "industry", "legal_representative_name", "legal_representative_id_number", "address", "house_code" };

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private const string ConflictSelect = """
        SELECT c.conflict_id AS ConflictId, c.golden_id AS GoldenId, COALESCE(p.name, e.name) AS Name,
               COALESCE(p.grid_code, e.grid_code) AS GridCode, c.field AS Field, c.conflict_kind AS Kind, c.status AS Status,
               c.candidate_values AS CandidateValues, c.batch_id AS BatchId
        FROM data_conflict c
        LEFT JOIN golden_person p ON p.golden_id = c.golden_id
        LEFT JOIN golden_legal_entity e ON e.golden_id = c.golden_id
        """;

    public async Task<IReadOnlyList<ConflictSummary>> OpenConflictsAsync(RecordScope scope, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ConflictRow>(new CommandDefinition(
            $"""
            {ConflictSelect}
            WHERE c.status IN ('open', 'verifying') AND {scope.Condition("COALESCE(p.grid_code, e.grid_code)")}
            ORDER BY c.conflict_id
            LIMIT @limit
            """,
            new { limit, scopeCode = scope.Code, scopeLength = scope.Length },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSummary()).ToList();
    }

    public async Task<ConflictDetail?> ConflictAsync(long conflictId, RecordScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var conflict = (await FindAsync(connection, null, conflictId, scope, cancellationToken))?.ToSummary();
        if (conflict is null)
        {
            return null;
        }

        var links = (await connection.QueryAsync<(string Department, string RecordId, long Version, string Method, double Weight, string? Explanation)>(new CommandDefinition(
            """
            SELECT department, record_id, version, link_method, link_weight, link_explanation FROM record_mention
            WHERE golden_id = @goldenId ORDER BY department, record_id, version DESC
            """,
            new { goldenId = conflict.GoldenId },
            cancellationToken: cancellationToken))).ToList();

        var sources = new List<ConflictSource>();
        foreach (var value in conflict.Values)
        {
            foreach (var source in value.Sources)
            {
                var slash = source.IndexOf('/', StringComparison.Ordinal);
                var (department, recordId) = slash > 0 ? (source[..slash], source[(slash + 1)..]) : (source, "");
                var raw = (await connection.QueryAsync<(long Version, string RawValues)>(new CommandDefinition(
                    "SELECT version, raw_values FROM source_record WHERE department = @department AND record_id = @recordId ORDER BY version DESC LIMIT 1",
                    new { department, recordId },
                    cancellationToken: cancellationToken))).Cast<(long Version, string RawValues)?>().FirstOrDefault();
                var link = links.FirstOrDefault(l => l.Department == department && l.RecordId == recordId);
                sources.Add(new ConflictSource(
                    value.Value, department, recordId, raw?.Version,
                    raw is { } r ? JsonSerializer.Deserialize<Dictionary<string, string?>>(r.RawValues) ?? [] : new Dictionary<string, string?>(),
                    link.Method, link.Method is null ? null : link.Weight));
            }
        }

        // An engine link carries the engine's explanation (prior, one step per comparison); a key link is explained by its key.
        var waterfalls = links
            .DistinctBy(l => (l.Department, l.RecordId))
            .Select(l => Hub.LinkExplanation.Read(l.Explanation) is { } explanation
                ? new PairWaterfall(conflict.GoldenId, l.Department, l.RecordId, l.Method,
                    Hub.LinkExplanation.Steps(explanation).Select(s => new WaterfallStep(s.Label, s.Weight, s.RunningTotal)).ToList(), explanation.MatchWeight, Explained: true)
                : new PairWaterfall(conflict.GoldenId, l.Department, l.RecordId, l.Method, [new WaterfallStep("stored-link-weight", l.Weight, l.Weight)], l.Weight,
                    Explained: l.Method is "key" or "new" or "repaired-key"))
            .ToList();
        var openTask = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(task_id) FROM verification_task WHERE conflict_id = @conflictId AND status = 'open'",
            new { conflictId },
            cancellationToken: cancellationToken));
        return new ConflictDetail(conflict, sources, waterfalls, openTask);
    }

    /// <summary>Takes one of the sources' values as the golden value, records the steward as its source, and closes the conflict.</summary>
    public async Task<StewardOutcome> AcceptValueAsync(long conflictId, string value, string steward, RecordScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await FindAsync(connection, transaction, conflictId, scope, cancellationToken);
        if (row is null || row.Status == Resolved)
        {
            return StewardOutcome.NotFound;
        }

        var conflict = row.ToSummary();
        if (!conflict.Values.Any(v => v.Value == value))
        {
            return StewardOutcome.NotACandidate;
        }

        var reason = $"accepted by data steward {steward} (conflict {conflictId})";
        var (table, columns) = conflict.GoldenId.StartsWith('P') ? ("golden_person", PersonColumns) : ("golden_legal_entity", EntityColumns);
        var provenance = Provenance.Read(await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"SELECT provenance FROM {table} WHERE golden_id = @goldenId", new { goldenId = conflict.GoldenId }, transaction, cancellationToken: cancellationToken)));
        provenance[conflict.Field] = new AttributeSource(value, StewardDecisions.DataSteward, $"conflict/{conflictId}", reason);
        var set = columns.Contains(conflict.Field) ? $"{conflict.Field} = @value, provenance = @provenance" : "provenance = @provenance";
        if (conflict.Field == HubFields.HouseCode)
        {
            // Where the record lives decides its grid, as a rebuild would set it.
            set += ", grid_code = (SELECT grid_code FROM golden_house WHERE house_code = @value), district_code = (SELECT SUBSTR(grid_code, 1, 6) FROM golden_house WHERE house_code = @value)";
        }

        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE {table} SET {set} WHERE golden_id = @goldenId",
            new { value, provenance = Provenance.Write(provenance), goldenId = conflict.GoldenId },
            transaction,
            cancellationToken: cancellationToken));

        if (conflict.Kind == GoldenBuilder.Disagreement)
        {
            await StewardDecisions.RecordAsync(connection, transaction,
                new StewardDecision(conflictId, conflict.GoldenId, conflict.Field, StewardDecisions.Accepted, value, SeenValues(conflict), row.BatchId, reason),
                steward, Now(), cancellationToken);
        }

        await CloseAsync(connection, transaction, conflictId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return StewardOutcome.Done;
    }

    /// <summary>Closes the conflict as it stands (the golden value is right), cancelling any open visit.</summary>
    public async Task<StewardOutcome> ResolveAsync(long conflictId, RecordScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await FindAsync(connection, transaction, conflictId, scope, cancellationToken);
        if (row is null || row.Status == Resolved)
        {
            return StewardOutcome.NotFound;
        }

        var conflict = row.ToSummary();
        if (conflict.Kind == GoldenBuilder.Disagreement)
        {
            // The golden value the steward confirmed: the same disagreement is not raised again while it stays.
            var table = conflict.GoldenId.StartsWith('P') ? "golden_person" : "golden_legal_entity";
            var provenance = Provenance.Read(await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                $"SELECT provenance FROM {table} WHERE golden_id = @goldenId", new { goldenId = conflict.GoldenId }, transaction, cancellationToken: cancellationToken)));
            await StewardDecisions.RecordAsync(connection, transaction,
                new StewardDecision(conflictId, conflict.GoldenId, conflict.Field, StewardDecisions.Resolved, provenance.GetValueOrDefault(conflict.Field)?.Value,
                    SeenValues(conflict), row.BatchId, $"resolved by data steward (conflict {conflictId})"),
                null, Now(), cancellationToken);
        }

        await CloseAsync(connection, transaction, conflictId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return StewardOutcome.Done;
    }

    private static List<string> SeenValues(ConflictSummary conflict) => conflict.Values.Select(v => v.Value).ToList();

    /// <summary>Asks the grid worker to verify on site: opens a verification task for the record's grid (or keeps the open one), the conflict waits in "verifying".</summary>
    public async Task<(StewardOutcome Outcome, long? TaskId)> SendToGridWorkerAsync(long conflictId, RecordScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var conflict = (await FindAsync(connection, transaction, conflictId, scope, cancellationToken))?.ToSummary();
        if (conflict is null || conflict.Status == Resolved)
        {
            return (StewardOutcome.NotFound, null);
        }

        var taskId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(task_id) FROM verification_task WHERE conflict_id = @conflictId AND status = 'open'",
            new { conflictId },
            transaction,
            cancellationToken: cancellationToken));
        if (taskId is null)
        {
            taskId = (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MAX(task_id) FROM verification_task", transaction: transaction, cancellationToken: cancellationToken)) ?? 0) + 1;
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO verification_task (task_id, conflict_id, golden_id, grid_code, status, created_at) VALUES (@taskId, @conflictId, @goldenId, @grid, 'open', @now)",
                new { taskId, conflictId, goldenId = conflict.GoldenId, grid = conflict.GridCode, now = Now() },
                transaction,
                cancellationToken: cancellationToken));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE data_conflict SET status = 'verifying' WHERE conflict_id = @conflictId",
            new { conflictId },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return (StewardOutcome.Done, taskId);
    }

    // PostgreSQL's created_at is timestamptz (Npgsql wants a UTC DateTime); SQLite stores text.
    private object Now() => database.Provider == DatabaseProvider.PostgreSql
        ? timeProvider.GetUtcNow().UtcDateTime
        : Instant.Format(timeProvider.GetUtcNow());

    private static async Task CloseAsync(DbConnection connection, DbTransaction transaction, long conflictId, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE data_conflict SET status = 'resolved' WHERE conflict_id = @conflictId", new { conflictId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE verification_task SET status = 'cancelled' WHERE conflict_id = @conflictId AND status = 'open'", new { conflictId }, transaction, cancellationToken: cancellationToken));
    }

    private static async Task<ConflictRow?> FindAsync(DbConnection connection, DbTransaction? transaction, long conflictId, RecordScope scope, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<ConflictRow>(new CommandDefinition(
            $"{ConflictSelect} WHERE c.conflict_id = @conflictId",
            new { conflictId },
            transaction,
            cancellationToken: cancellationToken));
        return row is not null && scope.Contains(row.GridCode) ? row : null;
    }

    private sealed class ConflictRow
    {
        public long ConflictId { get; set; }

        public string GoldenId { get; set; } = "";

        public string? Name { get; set; }

        public string? GridCode { get; set; }

        public string Field { get; set; } = "";

        public string Kind { get; set; } = "";

        public string Status { get; set; } = "";

        public string CandidateValues { get; set; } = "[]";

        public long BatchId { get; set; }

        public ConflictSummary ToSummary() =>
            new(ConflictId, GoldenId, Name, GridCode, Field, Kind, Status, JsonSerializer.Deserialize<List<ConflictValue>>(CandidateValues, Json) ?? []);
    }
}
