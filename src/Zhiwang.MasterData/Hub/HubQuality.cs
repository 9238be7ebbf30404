using System.Data.Common;
using System.Text.Json;
using Dapper;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Hub;

/// <summary>Data quality of one department's field in one import batch: refused rows, field issues and conflicts, and their rates per row read.</summary>
public sealed record FieldQuality(long BatchId, string Department, string File, string Field, long RowsRead, long RowErrors, long FieldIssues, long Conflicts)
{
    public double ErrorRate => RowsRead == 0 ? 0 : (double)(RowErrors + FieldIssues) / RowsRead;

    public double ConflictRate => RowsRead == 0 ? 0 : (double)Conflicts / RowsRead;
}

/// <summary>
/// Data-quality figures per department, field and import batch, so a department's trend shows batch after batch.
/// Conflicts count a department's mistyped keys and every disagreement in which it gave a value other than the golden one.
/// </summary>
public sealed class HubQuality(Database database)
{
    public async Task<IReadOnlyList<FieldQuality>> ByBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var batches = (await connection.QueryAsync<(long BatchId, string Department, string File, long RowsRead)>(new CommandDefinition(
            "SELECT batch_id, department, file, rows_read FROM import_batch", cancellationToken: cancellationToken)))
            .ToDictionary(b => b.BatchId);
        var counts = new Dictionary<(long BatchId, string Field), (long Errors, long Issues, long Conflicts)>();
        foreach (var (batchId, field, errors, issues, conflicts) in await connection.QueryAsync<(long, string, long, long, long)>(new CommandDefinition(
            """
            SELECT batch_id, COALESCE(field, '(row)'), COUNT(*), 0, 0 FROM row_error GROUP BY batch_id, COALESCE(field, '(row)')
            UNION ALL
            SELECT batch_id, field, 0, COUNT(*), 0 FROM field_issue GROUP BY batch_id, field
            UNION ALL
            SELECT batch_id, field, 0, 0, COUNT(*) FROM data_conflict WHERE department IS NOT NULL GROUP BY batch_id, field
            """,
            cancellationToken: cancellationToken)))
        {
            var sum = counts.GetValueOrDefault((batchId, field));
            counts[(batchId, field)] = (sum.Errors + errors, sum.Issues + issues, sum.Conflicts + conflicts);
        }

        foreach (var (batchId, field) in (await ConflictAttribution.DisagreementsAsync(connection, cancellationToken)).SelectMany(c => c.Batches.Select(b => (b, c.Field))))
        {
            var sum = counts.GetValueOrDefault((batchId, field));
            counts[(batchId, field)] = sum with { Conflicts = sum.Conflicts + 1 };
        }

        return counts
            .Where(c => batches.ContainsKey(c.Key.BatchId))
            .Select(c =>
            {
                var batch = batches[c.Key.BatchId];
                return new FieldQuality(batch.BatchId, batch.Department, batch.File, c.Key.Field, batch.RowsRead, c.Value.Errors, c.Value.Issues, c.Value.Conflicts);
            })
            .OrderBy(q => q.Department, StringComparer.Ordinal)
            .ThenBy(q => q.BatchId)
            .ThenBy(q => q.Field, StringComparer.Ordinal)
            .ToList();
    }
}

/// <summary>
/// Which departments a <c>disagreement</c> conflict is held against: each department that gave a value other than the
/// golden record's value for that field (the steward's, once accepted), with the import batch of the record that gave it.
/// A department whose value is the golden one is not at fault, and the steward's own value is no department's.
/// </summary>
internal static class ConflictAttribution
{
    private const int ChunkSize = 500;

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    /// <summary>One disagreement: the departments at fault and the import batches their differing records came in.</summary>
    public sealed record Disagreement(long ConflictId, string Field, IReadOnlyList<string> Departments, IReadOnlyList<long> Batches);

    public static async Task<IReadOnlyList<Disagreement>> DisagreementsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryAsync<(long ConflictId, string Field, string CandidateValues, string? Provenance)>(new CommandDefinition(
            """
            SELECT c.conflict_id, c.field, c.candidate_values, COALESCE(p.provenance, e.provenance)
            FROM data_conflict c
            LEFT JOIN golden_person p ON p.golden_id = c.golden_id
            LEFT JOIN golden_legal_entity e ON e.golden_id = c.golden_id
            WHERE c.conflict_kind = 'disagreement'
            ORDER BY c.conflict_id
            """,
            cancellationToken: cancellationToken));
        var differing = new List<(long ConflictId, string Field, List<(string Department, string RecordId)> Sources)>();
        foreach (var row in rows)
        {
            var golden = Provenance.Read(row.Provenance).GetValueOrDefault(row.Field)?.Value;
            var sources = new List<(string, string)>();
            foreach (var value in JsonSerializer.Deserialize<List<ConflictValue>>(row.CandidateValues, Json) ?? [])
            {
                if (string.Equals(value.Value, golden, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var source in value.Sources)
                {
                    var slash = source.IndexOf('/', StringComparison.Ordinal);
                    if (slash > 0 && source[..slash] != StewardDecisions.DataSteward)
                    {
                        sources.Add((source[..slash], source[(slash + 1)..]));
                    }
                }
            }

            differing.Add((row.ConflictId, row.Field, sources));
        }

        var batchOf = await LatestBatchesAsync(connection, differing.SelectMany(d => d.Sources).Distinct().ToList(), cancellationToken);
        return differing
            .Where(d => d.Sources.Count > 0)
            .Select(d =>
            {
                return new Disagreement(
                    d.ConflictId, d.Field,
                    d.Sources.Select(s => s.Department).Distinct(StringComparer.Ordinal).ToList(),
                    d.Sources.Select(s => batchOf.GetValueOrDefault(s)).Where(b => b != 0).Distinct().ToList());
            })
            .ToList();
    }

    /// <summary>The import batch of the latest version of each record (by the source_record key, a department at a time).</summary>
    private static async Task<Dictionary<(string Department, string RecordId), long>> LatestBatchesAsync(
        DbConnection connection, List<(string Department, string RecordId)> records, CancellationToken cancellationToken)
    {
        var batches = new Dictionary<(string, string), long>();
        foreach (var department in records.GroupBy(r => r.Department, StringComparer.Ordinal))
        {
            foreach (var chunk in department.Select(r => r.RecordId).Chunk(ChunkSize))
            {
                foreach (var (recordId, batchId) in await connection.QueryAsync<(string, long)>(new CommandDefinition(
                    $"SELECT record_id, batch_id FROM source_record WHERE department = @department AND record_id {StewardDecisions.InIds(connection)} ORDER BY version",
                    new { department = department.Key, ids = chunk },
                    cancellationToken: cancellationToken)))
                {
                    batches[(department.Key, recordId)] = batchId;
                }
            }
        }

        return batches;
    }
}
