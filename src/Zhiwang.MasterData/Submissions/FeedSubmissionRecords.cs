namespace Zhiwang.MasterData.Submissions;

/// <summary>What became of one submitted record: <c>accepted</c> (stored: a new record, or a new version of a changed one), <c>unchanged</c> (the same content was stored before: nothing written), <c>rejected</c>.</summary>
public static class SubmissionOutcome
{
    public const string Accepted = "accepted";
    public const string Unchanged = "unchanged";
    public const string Rejected = "rejected";
}

/// <summary>The answer to a batch: the batch's counts and, in submission order, what became of each record.</summary>
public sealed record FeedSubmissionResponse(
    string Department,
    long BatchId,
    int Records,
    int Accepted,
    int Unchanged,
    int Rejected,
    IReadOnlyList<SubmittedRecord> Results);

/// <summary>
/// One record's outcome. <paramref name="Record"/> is its 1-based position in the batch (the row of the stored row
/// errors); <paramref name="Version"/> the stored version it now has (a changed record: the previous one plus one);
/// <paramref name="Field"/> and <paramref name="Reason"/> say why a rejected record was refused.
/// </summary>
public sealed record SubmittedRecord(
    int Record,
    string? RecordId,
    string Outcome,
    long? Version,
    string? Field,
    string? Reason,
    IReadOnlyList<RecordLink> Links,
    IReadOnlyList<RecordIssue> Issues);

/// <summary>A person, legal entity or house the record mentions, and the golden record it is linked to (method: key, repaired-key, engine, new, unlinked).</summary>
public sealed record RecordLink(string Role, string Kind, string? GoldenId, string Method, double Weight);

/// <summary>A field of an accepted record that is kept but not trusted (an ID number whose check character is wrong …).</summary>
public sealed record RecordIssue(string Field, string Reason, string? Value);

/// <summary>How far a file import has come: <c>waiting</c> (for another import to finish), <c>reading</c>, <c>linking</c> (rebuilding golden records).</summary>
public sealed record FileImportProgress(string Stage, long Rows, long Errors, long Bytes, long? TotalBytes, long? BatchId = null);

/// <summary>What importing one uploaded file did: the batch's final counts and how many field issues its accepted rows carry.</summary>
public sealed record FileImportResult(Hub.ImportBatchSummary Batch, long FieldIssues)
{
    /// <summary>Every readable row was already stored with the same content: the import changed no record.</summary>
    public bool NothingChanged => Batch.Accepted == 0;
}

/// <summary>The limits of the submission API (<c>Zhiwang:Submissions</c>).</summary>
public sealed class SubmissionOptions
{
    public const string Section = "Zhiwang:Submissions";

    /// <summary>Records in one batch; more is refused with 413 before any is stored.</summary>
    public int MaxRecords { get; set; } = 10_000;

    /// <summary>Bytes of one request body; more is refused with 413. Above Kestrel's default of 30 MB the endpoint raises its own limit.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;
}
