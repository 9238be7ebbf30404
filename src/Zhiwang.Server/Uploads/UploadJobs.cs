using System.Collections.Concurrent;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Submissions;

namespace Zhiwang.Server.Uploads;

/// <summary>The upload settings (<c>Zhiwang:Uploads</c>).</summary>
public sealed class UploadOptions
{
    public const string Section = "Zhiwang:Uploads";

    /// <summary>The largest file a steward may upload, in bytes (default 512 MB).</summary>
    public long MaxBytes { get; set; } = 512L * 1024 * 1024;
}

/// <summary>Where an upload's import stands: waiting, reading, linking, done or failed.</summary>
public sealed record UploadStatus(string Stage, long Rows, long Errors, long Bytes, long? TotalBytes, FileImportResult? Result, string? Failure)
{
    public bool Finished => Stage is UploadStages.Done or UploadStages.Failed;

    /// <summary>The share of the file read, 0–100, when its size is known.</summary>
    public int? Percent => TotalBytes is > 0 and var total ? (int)Math.Min(100, Bytes * 100 / total) : null;
}

public static class UploadStages
{
    public const string Done = "done";
    public const string Failed = "failed";
}

/// <summary>One uploaded file being imported in the background, so the steward's browser can follow it.</summary>
public sealed class UploadJob(Guid id, FeedDeclaration feed, string file, string? user, DateTimeOffset uploadedAt, long bytes)
{
    private volatile UploadStatus _status = new("waiting", 0, 0, 0, bytes, null, null);

    public Guid Id { get; } = id;

    public FeedDeclaration Feed { get; } = feed;

    public string File { get; } = file;

    public string? User { get; } = user;

    public DateTimeOffset UploadedAt { get; } = uploadedAt;

    public UploadStatus Status => _status;

    internal void Report(UploadStatus status) => _status = status;
}

/// <summary>
/// Runs uploaded files through <see cref="FeedSubmissions"/> one after another in the background and keeps the last
/// jobs in memory for their pages. A restart forgets the jobs, not the data: each import is a batch in the hub.
/// </summary>
public sealed class UploadJobs(FeedSubmissions submissions, IHostApplicationLifetime lifetime, TimeProvider timeProvider, ILogger<UploadJobs> logger)
{
    private const int Kept = 200;

    private readonly ConcurrentDictionary<Guid, UploadJob> _jobs = new();

    public UploadJob? Find(Guid id) => _jobs.GetValueOrDefault(id);

    /// <summary>Starts importing <paramref name="path"/> (a temporary copy of the upload, deleted when done).</summary>
    public UploadJob Start(FeedDeclaration feed, string path, string fileName, string? user)
    {
        var job = new UploadJob(Guid.NewGuid(), feed, fileName, user, timeProvider.GetUtcNow(), new FileInfo(path).Length);
        _jobs[job.Id] = job;
        foreach (var old in _jobs.Values.Where(j => j.Status.Finished).OrderByDescending(j => j.UploadedAt).Skip(Kept))
        {
            _jobs.TryRemove(old.Id, out _);
        }

        _ = Task.Run(() => RunAsync(job, path, lifetime.ApplicationStopping), CancellationToken.None);
        return job;
    }

    private async Task RunAsync(UploadJob job, string path, CancellationToken cancellationToken)
    {
        var progress = new Relay(p => job.Report(new UploadStatus(p.Stage, p.Rows, p.Errors, p.Bytes, p.TotalBytes, null, null)));
        try
        {
            var result = await submissions.ImportFileAsync(job.Feed, path, job.File, progress, cancellationToken);
            var last = job.Status;
            job.Report(new UploadStatus(UploadStages.Done, result.Batch.Rows, result.Batch.Rejected, last.TotalBytes ?? 0, last.TotalBytes, result, null));
            logger.LogInformation(
                "Upload {File} ({Department}) by {User}: {Rows} rows, {Accepted} accepted, {Duplicates} unchanged, {Rejected} rejected (batch {Batch})",
                job.File, job.Feed.Department, job.User, result.Batch.Rows, result.Batch.Accepted, result.Batch.Duplicates, result.Batch.Rejected, result.Batch.BatchId);
        }
        catch (FeedFileException e)
        {
            Fail(job, e.Message);
        }
        catch (OperationCanceledException)
        {
            Fail(job, "the server stopped before the import finished; upload the file again (records already stored stay, and are not stored twice)");
        }
        catch (Exception e)
        {
            // Nobody awaits a background job: whatever went wrong must reach the steward's page, or it waits forever.
            logger.LogError(e, "Upload {File} ({Department}) failed", job.File, job.Feed.Department);
            Fail(job, $"the import failed: {e.Message}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void Fail(UploadJob job, string reason)
    {
        var last = job.Status;
        job.Report(last with { Stage = UploadStages.Failed, Failure = reason });
    }

    private sealed class Relay(Action<FileImportProgress> report) : IProgress<FileImportProgress>
    {
        public void Report(FileImportProgress value) => report(value);
    }
}
