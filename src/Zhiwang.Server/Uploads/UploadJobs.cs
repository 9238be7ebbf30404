using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Zhiwang.MasterData;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Submissions;
using Zhiwang.Storage;

namespace Zhiwang.Server.Uploads;

/// <summary>The upload settings (<c>Zhiwang:Uploads</c>).</summary>
public sealed class UploadOptions
{
    public const string Section = "Zhiwang:Uploads";

    /// <summary>The largest file a steward may upload, in bytes (default 512 MB).</summary>
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;
}

/// <summary>Where an upload's import stands: waiting, reading, linking, done, failed or interrupted.</summary>
public sealed record UploadStatus(string Stage, long Rows, long Errors, long Bytes, long? TotalBytes, FileImportResult? Result, string? Failure)
{
    /// <summary>The import batch the rows go into, once reading has begun; kept when the job is cut off, for its row errors.</summary>
    public long? BatchId { get; init; }

    public bool Finished => Stage is UploadStages.Done or UploadStages.Failed or UploadStages.Interrupted;

    /// <summary>The share of the file read, 0–100, when its size is known.</summary>
    public int? Percent => TotalBytes is > 0 and var total ? (int)Math.Min(100, Bytes * 100 / total) : null;
}

public static class UploadStages
{
    public const string Waiting = "waiting";
    public const string Reading = "reading";
    public const string Linking = "linking";
    public const string Done = "done";
    public const string Failed = "failed";

    /// <summary>The server stopped while the job ran: what it stored stays, uploading the file again finishes it.</summary>
    public const string Interrupted = "interrupted";
}

/// <summary>One uploaded file imported in the background, so the steward's browser can follow it; kept in <c>upload_job</c>.</summary>
public sealed class UploadJob(Guid id, string department, string file, string? user, DateTimeOffset uploadedAt, long bytes, UploadStatus status)
{
    private volatile UploadStatus _status = status;

    public Guid Id { get; } = id;

    public string Department { get; } = department;

    /// <summary>The feed's name for people (教育局 学籍), or the department when its declaration is gone.</summary>
    public string FeedName => FeedCatalog.Default.Find(Department)?.Name ?? Department;

    public string File { get; } = file;

    public string? User { get; } = user;

    public DateTimeOffset UploadedAt { get; } = uploadedAt;

    public long Bytes { get; } = bytes;

    public DateTimeOffset? FinishedAt { get; internal set; }

    public UploadStatus Status => _status;

    internal void Report(UploadStatus status) => _status = status;
}

/// <summary>
/// Runs uploaded files through <see cref="FeedSubmissions"/> one after another in the background. Each job is a row of
/// <c>upload_job</c>: written when it is uploaded, every few seconds while it runs (its progress and <c>saved_at</c>),
/// and when it ends, so the uploads page lists it after a restart. Live progress comes from memory. A job the
/// server was running when it stopped is <see cref="UploadStages.Interrupted"/>: marked so by a graceful stop, or, after
/// a crash, shown so once its <c>saved_at</c> is stale (and marked so at the next start). Staleness rather than "not
/// mine" keeps another server's running jobs, on a shared PostgreSQL, from looking interrupted.
/// </summary>
public sealed class UploadJobs(
    FeedSubmissions submissions, Database database, IHostApplicationLifetime lifetime, TimeProvider timeProvider, ILogger<UploadJobs> logger)
{
    /// <summary>How often a running job's progress is written: often enough for a restart to show how far it came.</summary>
    internal static readonly TimeSpan SaveEvery = TimeSpan.FromSeconds(2);

    /// <summary>A running job not saved for this long has lost its server (saves may wait up to SQLite's 10 s busy timeout).</summary>
    internal static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    internal const string InterruptedReason =
        "the server stopped while the file was imported; the records already stored stay stored, and uploading the same file again finishes the import without storing any record twice";

    private const string Columns = """
        job_id AS JobId, department AS Department, file AS File, uploaded_by AS UploadedBy, bytes AS Bytes, stage AS Stage,
        rows_read AS RowsRead, row_errors AS RowErrors, bytes_read AS BytesRead, batch_id AS BatchId, accepted AS Accepted,
        unchanged AS Unchanged, rejected AS Rejected, linked_key AS LinkedByKey, linked_repaired_key AS LinkedByRepairedKey,
        linked_engine AS LinkedByEngine, linked_new AS New, unlinked AS Unlinked, field_issues AS FieldIssues, failure AS Failure,
        uploaded_at AS UploadedAt, saved_at AS SavedAt, finished_at AS FinishedAt
        """;

    private readonly ConcurrentDictionary<Guid, UploadJob> _running = new();

    /// <summary>A job by id: the running one from memory (its live progress), any other from the database.</summary>
    public async Task<UploadJob?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        if (_running.TryGetValue(id, out var running))
        {
            return running;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM upload_job WHERE job_id = @id", new { id = id.ToString("D") }, cancellationToken: cancellationToken));
        return row?.ToJob(Stale());
    }

    /// <summary>The latest jobs, newest first.</summary>
    public async Task<IReadOnlyList<UploadJob>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<JobRow>(new CommandDefinition(
            $"SELECT {Columns} FROM upload_job ORDER BY uploaded_at DESC, job_id LIMIT @limit", new { limit = (long)limit }, cancellationToken: cancellationToken));
        var stale = Stale();
        return rows.Select(row => _running.TryGetValue(Guid.Parse(row.JobId), out var running) ? running : row.ToJob(stale)).ToList();
    }

    /// <summary>Starts importing <paramref name="path"/> (a temporary copy of the upload, deleted when done).</summary>
    public async Task<UploadJob> StartAsync(FeedDeclaration feed, string path, string fileName, string? user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feed);
        var bytes = new FileInfo(path).Length;
        var job = new UploadJob(Guid.NewGuid(), feed.Department, fileName, user, timeProvider.GetUtcNow(), bytes, new UploadStatus(UploadStages.Waiting, 0, 0, 0, bytes, null, null));
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO upload_job (job_id, department, file, uploaded_by, bytes, stage, uploaded_at, saved_at)
                VALUES (@id, @department, @file, @user, @bytes, @stage, @uploadedAt, @uploadedAt)
                """,
                new { id = job.Id.ToString("D"), department = job.Department, file = job.File, user, bytes, stage = UploadStages.Waiting, uploadedAt = Instant.Format(job.UploadedAt) },
                cancellationToken: cancellationToken));
        }

        _running[job.Id] = job;
        _ = Task.Run(() => RunAsync(job, feed, path, lifetime.ApplicationStopping), CancellationToken.None);
        return job;
    }

    /// <summary>Marks the jobs that stopped servers left waiting, reading or linking (their saves gone stale) interrupted; returns how many.</summary>
    public async Task<int> MarkInterruptedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE upload_job SET stage = @interrupted, failure = @reason, finished_at = saved_at
            WHERE stage IN (@waiting, @reading, @linking) AND saved_at < @stale
            """,
            new
            {
                interrupted = UploadStages.Interrupted,
                reason = InterruptedReason,
                stale = Stale(),
                waiting = UploadStages.Waiting,
                reading = UploadStages.Reading,
                linking = UploadStages.Linking,
            },
            cancellationToken: cancellationToken));
    }

    private async Task RunAsync(UploadJob job, FeedDeclaration feed, string path, CancellationToken cancellationToken)
    {
        using var stopSaving = new CancellationTokenSource();
        var progress = new ImmediateProgress<FileImportProgress>(p => job.Report(new UploadStatus(p.Stage, p.Rows, p.Errors, p.Bytes, p.TotalBytes, null, null) { BatchId = p.BatchId }));
        var saving = SaveWhileRunningAsync(job, stopSaving.Token);
        try
        {
            var result = await submissions.ImportFileAsync(feed, path, job.File, progress, cancellationToken);
            var last = job.Status;
            job.Report(new UploadStatus(UploadStages.Done, result.Batch.Rows, result.Batch.Rejected, last.TotalBytes ?? 0, last.TotalBytes, result, null));
            logger.LogInformation(
                "Upload {File} ({Department}) by {User}: {Rows} rows, {Accepted} accepted, {Duplicates} unchanged, {Rejected} rejected (batch {Batch})",
                job.File, job.Department, job.User, result.Batch.Rows, result.Batch.Accepted, result.Batch.Duplicates, result.Batch.Rejected, result.Batch.BatchId);
        }
        catch (FeedFileException e)
        {
            End(job, UploadStages.Failed, e.Message);
        }
        catch (OperationCanceledException)
        {
            End(job, UploadStages.Interrupted, InterruptedReason);
        }
        catch (Exception e)
        {
            // Nobody awaits a background job: whatever went wrong must reach the steward's page, or it waits forever.
            logger.LogError(e, "Upload {File} ({Department}) failed", job.File, job.Department);
            End(job, UploadStages.Failed, $"the import failed: {e.Message}");
        }
        finally
        {
            File.Delete(path);
        }

        await stopSaving.CancelAsync();
        await saving;
        job.FinishedAt = timeProvider.GetUtcNow();
        try
        {
            // Not the stopping token: a server on its way down still records how the job ended, if it can.
            await SaveAsync(job, CancellationToken.None);
        }
        catch (Exception e) when (e is DatabaseException or DbException)
        {
            // The row stays at its last stage and is marked interrupted at the next start.
            logger.LogWarning(e, "Upload {File} ({Department}): its end could not be recorded", job.File, job.Department);
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
        }
    }

    private async Task SaveWhileRunningAsync(UploadJob job, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(SaveEvery, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                // Saved even when nothing moved (a long wait, a long linking): saved_at says the job is alive.
                var status = job.Status;
                if (status.Finished)
                {
                    continue;
                }

                try
                {
                    await SaveAsync(job, stop);
                }
                catch (Exception e) when (e is DatabaseException or DbException)
                {
                    // SQLite busy behind the import's own writes: progress is saved at the next tick.
                    logger.LogDebug(e, "Upload {File}: progress not saved this time", job.File);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job ended; its final state is saved by the caller.
        }
    }

    private async Task SaveAsync(UploadJob job, CancellationToken cancellationToken)
    {
        var status = job.Status;
        var batch = status.Result?.Batch;
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE upload_job SET stage = @Stage, rows_read = @Rows, row_errors = @Errors, bytes_read = @Bytes, failure = @Failure,
                batch_id = @BatchId, accepted = @Accepted, unchanged = @Unchanged, rejected = @Rejected, linked_key = @LinkedByKey,
                linked_repaired_key = @LinkedByRepairedKey, linked_engine = @LinkedByEngine, linked_new = @New, unlinked = @Unlinked,
                field_issues = @FieldIssues, started_at = COALESCE(started_at, @StartedAt), saved_at = @SavedAt, finished_at = @FinishedAt
            WHERE job_id = @Id
            """,
            new
            {
                Id = job.Id.ToString("D"),
                status.Stage,
                status.Rows,
                status.Errors,
                status.Bytes,
                status.Failure,
                BatchId = batch?.BatchId ?? status.BatchId,
                Accepted = batch?.Accepted,
                Unchanged = batch?.Duplicates,
                Rejected = batch?.Rejected,
                LinkedByKey = batch?.LinkedByKey,
                LinkedByRepairedKey = batch?.LinkedByRepairedKey,
                LinkedByEngine = batch?.LinkedByEngine,
                New = batch?.New,
                Unlinked = batch?.Unlinked,
                FieldIssues = status.Result?.FieldIssues,
                StartedAt = status.Stage == UploadStages.Waiting ? null : Instant.Format(timeProvider.GetUtcNow()),
                SavedAt = Instant.Format(timeProvider.GetUtcNow()),
                FinishedAt = job.FinishedAt is { } finished ? Instant.Format(finished) : null,
            },
            cancellationToken: cancellationToken));
    }

    private static void End(UploadJob job, string stage, string reason)
    {
        var last = job.Status;
        job.Report(last with { Stage = stage, Failure = reason });
    }

    private string Stale() => Instant.Format(timeProvider.GetUtcNow() - StaleAfter);

    /// <summary>An <c>upload_job</c> row as Dapper reads it (both providers' integers as long).</summary>
    private sealed record JobRow(
        string JobId,
        string Department,
        string File,
        string? UploadedBy,
        long Bytes,
        string Stage,
        long RowsRead,
        long RowErrors,
        long BytesRead,
        long? BatchId,
        long? Accepted,
        long? Unchanged,
        long? Rejected,
        long? LinkedByKey,
        long? LinkedByRepairedKey,
        long? LinkedByEngine,
        long? New,
        long? Unlinked,
        long? FieldIssues,
        string? Failure,
        string UploadedAt,
        string SavedAt,
        string? FinishedAt)
    {
        /// <summary>The job; one still running by its row whose server stopped saving before <paramref name="stale"/> is interrupted.</summary>
        public UploadJob ToJob(string stale)
        {
            if (Stage is UploadStages.Waiting or UploadStages.Reading or UploadStages.Linking && string.CompareOrdinal(SavedAt, stale) < 0)
            {
                return (this with { Stage = UploadStages.Interrupted, Failure = InterruptedReason, FinishedAt = SavedAt }).ToJob(stale);
            }

            FileImportResult? result = null;
            if (BatchId is { } batch && Stage == UploadStages.Done)
            {
                result = new FileImportResult(
                    new ImportBatchSummary(batch, Department, Path.GetFileName(File), RowsRead, Accepted ?? 0, Rejected ?? 0, Unchanged ?? 0,
                        LinkedByKey ?? 0, LinkedByRepairedKey ?? 0, LinkedByEngine ?? 0, New ?? 0, Unlinked ?? 0),
                    FieldIssues ?? 0);
            }

            var status = new UploadStatus(Stage, RowsRead, RowErrors, BytesRead, Bytes, result, Failure) { BatchId = BatchId };
            return new UploadJob(Guid.Parse(JobId), Department, File, UploadedBy, Instant.Parse(UploadedAt), Bytes, status)
            {
                FinishedAt = FinishedAt is null ? null : Instant.Parse(FinishedAt),
            };
        }
    }
}

/// <summary>At start, before the first request: the jobs a stopped server left running are marked interrupted.</summary>
internal sealed class UploadRecovery(UploadJobs jobs, ILogger<UploadRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var interrupted = await jobs.MarkInterruptedAsync(cancellationToken);
        if (interrupted > 0)
        {
            logger.LogWarning("{Count} upload(s) were interrupted by the last stop; their stewards can upload the files again", interrupted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
