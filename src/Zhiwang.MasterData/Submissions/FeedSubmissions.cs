using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Submissions;

/// <summary>
/// Feeds that arrive through the web: records a department system submits, and files a data steward uploads. Both
/// go through the intake's mapping (<see cref="FeedReader"/>) and the hub's store and linking (<see cref="HubImport"/>)
/// exactly as a file imported with <c>zhiwang import</c>, so a record is validated, cleansed, stored and linked the
/// same way whichever door it came in by. Both write through the warm <see cref="LiveHub"/>, one at a time: a
/// submission in one transaction (acknowledged once durable), an upload as a batch.
/// </summary>
public sealed class FeedSubmissions(Database database, TimeProvider timeProvider, LiveHub hub, StandardAddressBase addressBase)
{
    private static readonly JsonWriterOptions LineOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>
    /// Stores and links a batch of records (column name → value, as the feed's declaration names the columns). Each
    /// record is accepted, unchanged (same record id, same content: nothing written) or rejected with its field and
    /// reason; one refused record never stops the others.
    /// </summary>
    public async Task<FeedSubmissionResponse> SubmitAsync(FeedDeclaration feed, IReadOnlyList<JsonElement> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(records);
        var file = $"api-{feed.Department}-{timeProvider.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}";
        var refused = new RowError?[records.Count];
        using var lines = new MemoryStream();
        WriteLines(feed, records, file, lines, refused);
        lines.Position = 0;

        var rows = new SourceRow[records.Count];
        var declared = feed.Columns().ToHashSet(StringComparer.Ordinal);
        var addresses = await addressBase.IndexAsync(cancellationToken);

        // The declaration's own format would ask for a header or a workbook; a record is one object, read as a JSON line.
        // Read and validated before the hub's turn: other writers wait only for the store and the links.
        var asLines = feed with { Format = FeedFormat.JsonLines };
        await foreach (var row in FeedReader.ReadAsync(asLines, lines, file, addresses, cancellationToken))
        {
            var index = (int)((row.Record?.Row ?? row.Error!.Row) - 1);
            rows[index] = refused[index] is { } own
                ? SourceRow.Rejected(own)
                : row.Record is { } record ? SourceRow.Accepted(WithUndeclaredColumns(record, declared)) : SourceRow.Rejected(row.Error!);
        }

        var (summary, _) = await hub.WriteAsync(
            import => import.ImportInOneTransactionAsync(feed.Department, file, rows.ToAsyncEnumerable(), cancellationToken), cancellationToken);
        var batchId = summary.BatchId;

        var stored = await StoredAsync(feed.Department, rows.Select(r => r.Record?.RecordId).OfType<string>().Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var results = new List<SubmittedRecord>(rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            results.Add(Outcome(i + 1, rows[i], batchId, stored, feed));
        }

        return new FeedSubmissionResponse(
            feed.Department,
            batchId,
            results.Count,
            results.Count(r => r.Outcome == SubmissionOutcome.Accepted),
            results.Count(r => r.Outcome == SubmissionOutcome.Unchanged),
            results.Count(r => r.Outcome == SubmissionOutcome.Rejected),
            results);
    }

    /// <summary>
    /// Imports one uploaded department file: read by the feed's declaration, stored and linked, golden records rebuilt.
    /// <paramref name="fileName"/> is the name row errors give (the upload's, not the temporary file's).
    /// </summary>
    public async Task<FileImportResult> ImportFileAsync(
        FeedDeclaration feed, string path, string fileName, IProgress<FileImportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var total = new FileInfo(path).Length;
        progress?.Report(new FileImportProgress("waiting", 0, 0, 0, total));
        var addresses = await addressBase.IndexAsync(cancellationToken);
        return await hub.WriteAsync(async import =>
        {
            long bytes = 0, errors = 0, issues = 0;
            progress?.Report(new FileImportProgress("reading", 0, 0, 0, total));
            var reading = new ImmediateProgress<FeedProgress>(p =>
            {
                bytes = p.Bytes;
                errors = p.Errors;
                progress?.Report(new FileImportProgress("reading", p.Rows, p.Errors, p.Bytes, total, import.LastBatch));
            });
            // The batch is known from the first row read (ImportFileAsync numbers it before reading): a job cut off
            // later can still list the rows it refused before the stop.
            var stored = new ImmediateProgress<long>(rows => progress?.Report(new FileImportProgress("reading", rows, errors, bytes, total, import.LastBatch)));
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var rows = Counted(FeedReader.ReadAsync(feed, stream, fileName, addresses, reading, cancellationToken), count => issues += count, cancellationToken);
            var batch = await import.ImportFileAsync(feed.Department, Path.GetFileName(fileName), rows, stored, cancellationToken);
            progress?.Report(new FileImportProgress("linking", batch.Rows, batch.Rejected, total, total));
            var golden = await import.CompleteAsync(cancellationToken);
            return new FileImportResult(golden.Batches.FirstOrDefault(b => b.BatchId == batch.BatchId) ?? batch, issues);
        }, cancellationToken);
    }

    /// <summary>The first <paramref name="limit"/> row errors of a batch, in row order.</summary>
    public async Task<IReadOnlyList<RowError>> RowErrorsAsync(long batchId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string File, long Row, string? Field, string Reason)>(new CommandDefinition(
            "SELECT file, row_number, field, reason FROM row_error WHERE batch_id = @batchId ORDER BY row_number LIMIT @limit",
            new { batchId, limit = (long)limit },
            cancellationToken: cancellationToken));
        return rows.Select(r => new RowError(r.File, r.Row, r.Field, r.Reason)).ToList();
    }

    /// <summary>
    /// Every row error of a batch in row order (a report can hold millions), read a page at a time. The caller is a
    /// download that goes at the client's pace: one held connection per slow client could take the whole pool, and on
    /// SQLite a read held open keeps the write-ahead log from being checkpointed.
    /// </summary>
    public IAsyncEnumerable<RowError> AllRowErrorsAsync(long batchId, CancellationToken cancellationToken) =>
        AllRowErrorsAsync(batchId, RowErrorPage, cancellationToken);

    /// <summary>The same in pages of <paramref name="pageSize"/> (at least the most errors one row can have).</summary>
    internal async IAsyncEnumerable<RowError> AllRowErrorsAsync(long batchId, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = long.MinValue;
        while (true)
        {
            List<RowError> page;
            await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            {
                page = (await connection.QueryAsync<(string File, long Row, string? Field, string Reason)>(new CommandDefinition(
                    "SELECT file, row_number, field, reason FROM row_error WHERE batch_id = @batchId AND row_number > @after ORDER BY row_number LIMIT @pageSize",
                    new { batchId, after, pageSize = (long)pageSize },
                    cancellationToken: cancellationToken))).Select(r => new RowError(r.File, r.Row, r.Field, r.Reason)).ToList();
            }

            // A full page may have cut its last row's errors in two: that row comes again, whole, at the start of the next.
            var cut = page.Count == pageSize && page[0].Row != page[^1].Row;
            foreach (var error in cut ? page.TakeWhile(e => e.Row < page[^1].Row) : page)
            {
                yield return error;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            after = cut ? page[^1].Row - 1 : page[^1].Row;
        }
    }

    private const int RowErrorPage = 5_000;

    /// <summary>
    /// One compact JSON line per record, so a record's row is its position. A record refused before reading (not an
    /// object, a nested value, a record id already in the batch) gets a "null" line, keeping the positions, and its own reason.
    /// </summary>
    private static void WriteLines(FeedDeclaration feed, IReadOnlyList<JsonElement> records, string file, Stream lines, RowError?[] refused)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        using var writer = new Utf8JsonWriter(lines, LineOptions);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var row = i + 1;
            refused[i] = Refusal(feed, record, file, row, seen);
            if (refused[i] is null)
            {
                record.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }

            writer.Flush();
            writer.Reset();
            lines.WriteByte((byte)'\n');
        }
    }

    private static RowError? Refusal(FeedDeclaration feed, JsonElement record, string file, int row, Dictionary<string, int> seen)
    {
        if (record.ValueKind != JsonValueKind.Object)
        {
            return new RowError(file, row, null, $"the record is a JSON {record.ValueKind.ToString().ToLowerInvariant()}, not an object of column → value");
        }

        foreach (var property in record.EnumerateObject())
        {
            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                return new RowError(file, row, property.Name, $"{property.Name}: a value is text, a number, true/false or null, not a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}");
            }
        }

        if (record.TryGetProperty(feed.RecordId, out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
            && (id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText()).Trim() is { Length: > 0 } recordId)
        {
            if (seen.TryGetValue(recordId, out var first))
            {
                return new RowError(file, row, feed.RecordId, $"the record id '{recordId}' is already record {first} of this batch: send each record once");
            }

            seen[recordId] = row;
        }

        return null;
    }

    /// <summary>A column the declaration does not name is kept as received but not used: a typo in a column name must not vanish silently.</summary>
    private static ParsedRecord WithUndeclaredColumns(ParsedRecord record, HashSet<string> declared)
    {
        var undeclared = record.Raw.Where(pair => !declared.Contains(pair.Key)).ToList();
        if (undeclared.Count == 0)
        {
            return record;
        }

        var issues = record.Issues.Concat(undeclared.Select(pair => new FieldIssue(
            pair.Key, $"{pair.Key}: not a column the declaration of feed '{record.Department}' names; kept as received, not used", pair.Value)));
        return record with { Issues = issues.ToList() };
    }

    private static SubmittedRecord Outcome(int position, SourceRow row, long batchId, Dictionary<string, StoredRecord> stored, FeedDeclaration feed)
    {
        if (row.Record is not { } record)
        {
            var error = row.Error!;
            return new SubmittedRecord(position, null, SubmissionOutcome.Rejected, null, error.Field, error.Reason, [], []);
        }

        var issues = record.Issues.Select(i => new RecordIssue(i.Field, i.Reason, i.Value)).ToList();
        if (!stored.TryGetValue(record.RecordId, out var latest))
        {
            // Stored, then superseded by nobody: cannot happen unless the store failed silently; say so rather than guess.
            return new SubmittedRecord(position, record.RecordId, SubmissionOutcome.Rejected, null, feed.RecordId, "the record was not found in the store after the import", [], issues);
        }

        var outcome = latest.BatchId == batchId ? SubmissionOutcome.Accepted : SubmissionOutcome.Unchanged;
        return new SubmittedRecord(position, record.RecordId, outcome, latest.Version, null, null, latest.Links, issues);
    }

    /// <summary>The latest stored version of each record id, with the batch that stored it and its mentions' links.</summary>
    private async Task<Dictionary<string, StoredRecord>> StoredAsync(string department, List<string> recordIds, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<string, StoredRecord>(StringComparer.Ordinal);
        if (recordIds.Count == 0)
        {
            return latest;
        }

        var inIds = database.Provider == DatabaseProvider.PostgreSql ? "= ANY(@ids)" : "IN @ids";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        foreach (var chunk in recordIds.Chunk(500))
        {
            var ids = chunk.ToArray();
            var versions = await connection.QueryAsync<(string RecordId, long Version, long BatchId)>(new CommandDefinition(
                $"SELECT record_id, version, batch_id FROM source_record WHERE department = @department AND record_id {inIds}",
                new { department, ids },
                cancellationToken: cancellationToken));
            foreach (var (recordId, version, batch) in versions)
            {
                if (!latest.TryGetValue(recordId, out var seen) || seen.Version < version)
                {
                    latest[recordId] = new StoredRecord(version, batch, []);
                }
            }

            var mentions = await connection.QueryAsync<(string RecordId, long Version, string Kind, string Role, string? GoldenId, string Method, double Weight)>(new CommandDefinition(
                $"""
                SELECT record_id, version, kind, role, golden_id, link_method, link_weight FROM record_mention
                WHERE department = @department AND record_id {inIds}
                ORDER BY record_id, version, mention_index
                """,
                new { department, ids },
                cancellationToken: cancellationToken));
            foreach (var mention in mentions)
            {
                if (latest.TryGetValue(mention.RecordId, out var record) && record.Version == mention.Version)
                {
                    record.Links.Add(new RecordLink(mention.Role, mention.Kind, mention.GoldenId, mention.Method, mention.Weight));
                }
            }
        }

        return latest;
    }

    private static async IAsyncEnumerable<SourceRow> Counted(
        IAsyncEnumerable<FeedRow> rows, Action<int> issues, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (row.Record is { Issues.Count: > 0 } record)
            {
                issues(record.Issues.Count);
            }

            yield return new SourceRow(row.Record, row.Error);
        }
    }

    private sealed record StoredRecord(long Version, long BatchId, List<RecordLink> Links);
}
