using Dapper;
using Microsoft.Extensions.Logging;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// The hub kept warm in a long-running server: one <see cref="HubImport"/> whose key indexes, engine tables and
/// record versions stay in memory from one write to the next, so a department's single record is linked against
/// millions of golden records without loading them again. Writes take turns (the hub hands out ids in memory).
/// Before each write the database's last batch id is checked: a batch written by another process (the CLI's import)
/// makes the warm state stale, and it is loaded afresh. A write that fails drops the warm state for the same reason.
/// </summary>
public sealed class LiveHub(Database database, TimeProvider timeProvider, CityTallies? tallies, ILogger<LiveHub>? logger = null) : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private HubImport? _import;

    /// <summary>Runs <paramref name="write"/> on the warm hub, alone.</summary>
    public async Task<T> WriteAsync<T>(Func<HubImport, Task<T>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        await _writer.WaitAsync(cancellationToken);
        try
        {
            var import = await WarmAsync(cancellationToken);
            try
            {
                return await write(import);
            }
            catch
            {
                // Its memory may be ahead of what was committed: start again from the database next time.
                _import = null;
                throw;
            }
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Loads the hub into memory now (at start-up) rather than on the first write.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await WarmAsync(cancellationToken);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>How often <see cref="RunSearchBacklogIndexingAsync"/> indexes the search backlog.</summary>
    public static readonly TimeSpan SearchBacklogInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Indexes the search backlog every <see cref="SearchBacklogInterval"/> until cancelled (SQLite; returns at once on
    /// PostgreSQL), as the server does. A failure (the disk full, the file locked by another process) is reported through
    /// <paramref name="failed"/> and tried again next time: search still reads the waiting rows meanwhile, and a refresh
    /// indexes them itself past <see cref="Search.SearchIndex.BacklogLimit"/>. <paramref name="indexed"/>, when given,
    /// hears of each indexing that found rows: how many, and how long it took with its wait for the writer's turn.
    /// </summary>
    public async Task RunSearchBacklogIndexingAsync(Action<Exception>? failed, Action<int, TimeSpan>? indexed, CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        using var timer = new PeriodicTimer(SearchBacklogInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    var started = timeProvider.GetTimestamp();
                    var rows = await IndexSearchBacklogAsync(cancellationToken);
                    if (indexed is not null && rows > 0)
                    {
                        indexed(rows, timeProvider.GetElapsedTime(started));
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
        }
    }

    /// <summary>
    /// Indexes the search rows single records left waiting for the fragment index (SQLite; see
    /// <see cref="Search.SearchIndex"/>), taking its turn with the writes so that neither waits on SQLite's lock; returns
    /// how many rows were indexed.
    /// </summary>
    public async Task<int> IndexSearchBacklogAsync(CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return 0;
        }

        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            // Read first, outside a transaction: most seconds of a quiet day there is nothing waiting.
            if (await Search.SearchIndex.BacklogAsync(connection, null, cancellationToken) == 0)
            {
                return 0;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var indexed = await Search.SearchIndex.IndexBacklogAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return indexed;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<HubImport> WarmAsync(CancellationToken cancellationToken)
    {
        long lastBatch, lastConflict, lastTask;
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            (lastBatch, lastConflict, lastTask) = await connection.QuerySingleAsync<(long, long, long)>(new CommandDefinition(
                """
                SELECT (SELECT COALESCE(MAX(batch_id), 0) FROM import_batch),
                       (SELECT COALESCE(MAX(conflict_id), 0) FROM data_conflict),
                       (SELECT COALESCE(MAX(task_id), 0) FROM verification_task)
                """,
                cancellationToken: cancellationToken));
        }

        if (_import is null || _import.LastBatch != lastBatch)
        {
            var started = timeProvider.GetTimestamp();
            _import = await HubImport.StartAsync(database, timeProvider, tallies, cancellationToken);
            logger?.LogInformation("The hub is warm: loaded from the database in {Seconds:F1} s.", timeProvider.GetElapsedTime(started).TotalSeconds);
        }

        _import.CatchUp(lastConflict, lastTask);
        return _import;
    }

    public void Dispose() => _writer.Dispose();
}
