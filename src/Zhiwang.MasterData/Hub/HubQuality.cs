using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Hub;

/// <summary>Data quality of one department's field in one import batch: refused rows, field issues and conflicts, and their rates per row read.</summary>
public sealed record FieldQuality(long BatchId, string Department, string File, string Field, long RowsRead, long RowErrors, long FieldIssues, long Conflicts)
{
    public double ErrorRate => RowsRead == 0 ? 0 : (double)(RowErrors + FieldIssues) / RowsRead;

    public double ConflictRate => RowsRead == 0 ? 0 : (double)Conflicts / RowsRead;
}

/// <summary>Data-quality figures per department, field and import batch, so a department's trend shows batch after batch.</summary>
public sealed class HubQuality(Database database)
{
    public async Task<IReadOnlyList<FieldQuality>> ByBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(long BatchId, string Department, string File, string Field, long RowsRead, long RowErrors, long FieldIssues, long Conflicts)>(new CommandDefinition(
            """
            SELECT b.batch_id, b.department, b.file, f.field, b.rows_read,
                   SUM(f.row_errors), SUM(f.field_issues), SUM(f.conflicts)
            FROM import_batch b
            JOIN (
                SELECT batch_id, COALESCE(field, '(row)') AS field, COUNT(*) AS row_errors, 0 AS field_issues, 0 AS conflicts FROM row_error GROUP BY batch_id, COALESCE(field, '(row)')
                UNION ALL
                SELECT batch_id, field, 0, COUNT(*), 0 FROM field_issue GROUP BY batch_id, field
                UNION ALL
                SELECT batch_id, field, 0, 0, COUNT(*) FROM data_conflict WHERE department IS NOT NULL GROUP BY batch_id, field
            ) f ON f.batch_id = b.batch_id
            GROUP BY b.batch_id, b.department, b.file, f.field, b.rows_read
            ORDER BY b.department, b.batch_id, f.field
            """,
            cancellationToken: cancellationToken));
        return rows.Select(r => new FieldQuality(r.BatchId, r.Department, r.File, r.Field, r.RowsRead, r.RowErrors, r.FieldIssues, r.Conflicts)).ToList();
    }
}
