using Zhiwang.MasterData.Hub;
using Zhiwang.Storage;

namespace Zhiwang.Server.MasterData;

/// <summary>
/// On SQLite, indexes every second the search rows single records left waiting for the fragment index
/// (<see cref="LiveHub.IndexSearchBacklogAsync"/>): one index write for a second's records, outside their commits.
/// Nothing on PostgreSQL.
/// </summary>
internal sealed class SearchBacklogIndexing(Database database, LiveHub hub, TimeProvider timeProvider, ILogger<SearchBacklogIndexing> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        using var timer = new PeriodicTimer(LiveHub.SearchBacklogInterval, timeProvider);
        var warned = false;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await hub.IndexSearchBacklogAsync(stoppingToken);
                }
                catch (Exception e) when (e is DatabaseException or Microsoft.Data.Sqlite.SqliteException)
                {
                    // Search still reads the waiting rows, and a refresh indexes them itself past SearchIndex.BacklogLimit.
                    // Warned once: every second would drown the log.
                    if (!warned)
                    {
                        warned = true;
                        logger.LogWarning(e, "Indexing the search backlog failed; it is tried again every second.");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
