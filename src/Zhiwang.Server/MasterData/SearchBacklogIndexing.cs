using Zhiwang.MasterData.Hub;

namespace Zhiwang.Server.MasterData;

/// <summary>
/// On SQLite, indexes every second the search rows single records left waiting for the fragment index
/// (<see cref="LiveHub.RunSearchBacklogIndexingAsync"/>): one index write for a second's records, outside their commits.
/// Nothing on PostgreSQL.
/// </summary>
internal sealed class SearchBacklogIndexing(LiveHub hub, ILogger<SearchBacklogIndexing> logger) : BackgroundService
{
    private bool _warned;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        hub.RunSearchBacklogIndexingAsync(Failed, null, stoppingToken);

    private void Failed(Exception e)
    {
        // Every second while the disk is full would drown the log: once, until the server restarts.
        if (!_warned)
        {
            _warned = true;
            logger.LogWarning(e, "Indexing the search backlog failed; it is tried again every second.");
        }
    }
}
