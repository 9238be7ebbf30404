using Dapper;

namespace Zhiwang.Storage;

/// <summary>
/// SQLite's write-ahead log is folded back into the database file (a checkpoint) beside the writers instead of inside
/// them. By default SQLite checkpoints inside the commit that takes the log past 1,000 pages: that commit copies about
/// 4 MB and waits for the database file to be synced. On the hub's single-record path those commits made the slowest
/// 5% (docs/BENCHMARKS.md, "the single-record tail").
/// </summary>
/// <remarks>
/// <para>
/// While <see cref="RunAsync"/> runs (the server starts it), every connection the <see cref="Database"/> opens raises its
/// automatic checkpoint to <see cref="Database.BackgroundAutoCheckpointPages"/>. That is only the safety net: the loop
/// here runs a PASSIVE checkpoint on its own connection every <see cref="Interval"/>, which copies what it can without
/// taking the write lock, so commits go on meanwhile. A commit's own checkpoint then finds little or nothing left to copy.
/// </para>
/// <para>
/// The log is rewound to its start only by a write that finds all of it copied. Under writes that never pause (the
/// benchmark's records back to back) a background checkpoint seldom finishes before the next commit adds more, so the
/// log grows to the net, where a commit's own checkpoint, with little left to copy, lets it rewind. The command-line
/// tools do not run this loop and keep SQLite's default.
/// </para>
/// </remarks>
public static class SqliteCheckpoints
{
    /// <summary>
    /// How often the loop checkpoints. Of the intervals tried on the benchmark machine (100 ms, 250 ms, 1 s), a quarter
    /// second had the best runs, though the differences were within the run-to-run noise (docs/BENCHMARKS.md).
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Checkpoints <paramref name="database"/> (SQLite; returns at once for PostgreSQL) every <see cref="Interval"/> until
    /// cancelled. A failed checkpoint (the disk full, the file locked by another process) is reported through
    /// <paramref name="failed"/> and tried again next time: commits still checkpoint for themselves past the safety net.
    /// <paramref name="checkpointed"/>, when given, hears of each checkpoint that found pages to copy, with what it did.
    /// </summary>
    public static async Task RunAsync(
        Database database, TimeProvider timeProvider, Action<Exception>? failed, Action<Checkpoint>? checkpointed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        database.CheckpointsInBackground = true;
        try
        {
            using var timer = new PeriodicTimer(Interval, timeProvider);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var started = timeProvider.GetTimestamp();
                    var (logPages, checkpointedPages) = await CheckpointAsync(database, cancellationToken);
                    if (checkpointed is not null && checkpointedPages > 0)
                    {
                        checkpointed(new Checkpoint(timeProvider.GetElapsedTime(started), logPages, checkpointedPages));
                    }
                }
                catch (Exception e) when (e is DatabaseException or Microsoft.Data.Sqlite.SqliteException)
                {
                    failed?.Invoke(e);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the last connection to close checkpoints the rest.
        }
        finally
        {
            database.CheckpointsInBackground = false;
        }
    }

    /// <summary>One PASSIVE checkpoint; returns the log's length in pages and how many of them are now in the file.</summary>
    public static async Task<(long LogPages, long CheckpointedPages)> CheckpointAsync(Database database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var result = await connection.QuerySingleAsync<(long Busy, long LogPages, long CheckpointedPages)>(
            new CommandDefinition("PRAGMA wal_checkpoint(PASSIVE)", cancellationToken: cancellationToken));
        return (result.LogPages, result.CheckpointedPages);
    }
}

/// <summary>One background checkpoint: how long it took, the log's length and how much of it is in the file.</summary>
public sealed record Checkpoint(TimeSpan Took, long LogPages, long CheckpointedPages);
