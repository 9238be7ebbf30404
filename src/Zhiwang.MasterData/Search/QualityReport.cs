using Dapper;
using Zhiwang.MasterData.Hub;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Search;

/// <summary>One field of one department: rows refused for it, field issues and conflicts, each also as a rate per row read.</summary>
public sealed record FieldRate(string Field, long RowErrors, long FieldIssues, long Conflicts, double IssueRate, double ConflictRate);

/// <summary>One import batch of a department, for the trend: its conflicts are its mistyped keys and the disagreements its records lost.</summary>
public sealed record BatchPoint(long BatchId, string File, long RowsRead, long Accepted, long Rejected, long FieldIssues, long Conflicts, double RejectRate, double IssueRate, double ConflictRate);

/// <summary>A department's data quality over all its imports.</summary>
public sealed record DepartmentQuality(string Department, long RowsRead, long Accepted, long Rejected, IReadOnlyList<FieldRate> Fields, IReadOnlyList<BatchPoint> Trend)
{
    public double AcceptedRate => RowsRead == 0 ? 0 : (double)Accepted / RowsRead;
}

/// <summary>
/// The department quality report: rows, accepted and rejected, issue and conflict rates by field, and the trend over
/// batches. A disagreement counts against each department that gave a value other than the golden one.
/// </summary>
public sealed class QualityReport(Database database)
{
    public async Task<IReadOnlyList<DepartmentQuality>> ByDepartmentAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var batches = (await connection.QueryAsync<(long BatchId, string Department, string File, long RowsRead, long Accepted, long Rejected)>(new CommandDefinition(
            "SELECT batch_id, department, file, rows_read, accepted, rejected FROM import_batch ORDER BY department, batch_id",
            cancellationToken: cancellationToken))).ToList();
        var issuesByBatch = (await connection.QueryAsync<(long BatchId, long Count)>(new CommandDefinition(
            "SELECT batch_id, COUNT(*) FROM field_issue GROUP BY batch_id", cancellationToken: cancellationToken)))
            .ToDictionary(r => r.BatchId, r => r.Count);
        var issues = await connection.QueryAsync<(string Department, string Field, long Count)>(new CommandDefinition(
            "SELECT department, field, COUNT(*) FROM field_issue GROUP BY department, field", cancellationToken: cancellationToken));
        var errors = await connection.QueryAsync<(string Department, string Field, long Count)>(new CommandDefinition(
            """
            SELECT b.department, COALESCE(r.field, '(row)'), COUNT(*)
            FROM row_error r JOIN import_batch b ON b.batch_id = r.batch_id
            GROUP BY b.department, COALESCE(r.field, '(row)')
            """,
            cancellationToken: cancellationToken));

        // A mistyped key names its department and batch; a disagreement counts against the departments whose value lost.
        var conflicts = new Dictionary<(string Department, string Field), long>();
        var conflictsByBatch = new Dictionary<long, long>();
        foreach (var (field, department, batchId) in await connection.QueryAsync<(string Field, string Department, long BatchId)>(new CommandDefinition(
            "SELECT field, department, batch_id FROM data_conflict WHERE department IS NOT NULL", cancellationToken: cancellationToken)))
        {
            conflicts[(department, field)] = conflicts.GetValueOrDefault((department, field)) + 1;
            conflictsByBatch[batchId] = conflictsByBatch.GetValueOrDefault(batchId) + 1;
        }

        foreach (var disagreement in await ConflictAttribution.DisagreementsAsync(connection, cancellationToken))
        {
            foreach (var department in disagreement.Departments)
            {
                conflicts[(department, disagreement.Field)] = conflicts.GetValueOrDefault((department, disagreement.Field)) + 1;
            }

            foreach (var batchId in disagreement.Batches)
            {
                conflictsByBatch[batchId] = conflictsByBatch.GetValueOrDefault(batchId) + 1;
            }
        }

        var counts = new Dictionary<(string Department, string Field), (long Errors, long Issues, long Conflicts)>();
        foreach (var (d, f, n) in errors)
        {
            counts[(d, f)] = counts.GetValueOrDefault((d, f)) with { Errors = n };
        }

        foreach (var (d, f, n) in issues)
        {
            counts[(d, f)] = counts.GetValueOrDefault((d, f)) with { Issues = n };
        }

        foreach (var ((d, f), n) in conflicts)
        {
            counts[(d, f)] = counts.GetValueOrDefault((d, f)) with { Conflicts = n };
        }

        var departmentsSeen = batches.Select(b => b.Department).Concat(counts.Keys.Select(k => k.Department)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var report = new List<DepartmentQuality>();
        foreach (var department in departmentsSeen)
        {
            var own = batches.Where(b => b.Department == department).ToList();
            var rows = own.Sum(b => b.RowsRead);
            var fields = counts
                .Where(c => c.Key.Department == department)
                .Select(c => new FieldRate(c.Key.Field, c.Value.Errors, c.Value.Issues, c.Value.Conflicts, Rate(c.Value.Errors + c.Value.Issues, rows), Rate(c.Value.Conflicts, rows)))
                .OrderByDescending(f => f.IssueRate + f.ConflictRate)
                .ThenBy(f => f.Field, StringComparer.Ordinal)
                .ToList();
            var trend = own.Select(b =>
            {
                var batchIssues = issuesByBatch.GetValueOrDefault(b.BatchId);
                var batchConflicts = conflictsByBatch.GetValueOrDefault(b.BatchId);
                return new BatchPoint(b.BatchId, b.File, b.RowsRead, b.Accepted, b.Rejected, batchIssues, batchConflicts,
                    Rate(b.Rejected, b.RowsRead), Rate(batchIssues, b.RowsRead), Rate(batchConflicts, b.RowsRead));
            }).ToList();
            report.Add(new DepartmentQuality(department, rows, own.Sum(b => b.Accepted), own.Sum(b => b.Rejected), fields, trend));
        }

        return report;
    }

    private static double Rate(long count, long rows) => rows == 0 ? 0 : (double)count / rows;
}
