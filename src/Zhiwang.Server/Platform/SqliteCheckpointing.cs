using Zhiwang.Storage;

namespace Zhiwang.Server.Platform;

/// <summary>
/// On SQLite, checkpoints the write-ahead log beside the writers for as long as the server runs
/// (<see cref="SqliteCheckpoints"/>), so that a commit seldom waits for one. Nothing on PostgreSQL.
/// </summary>
internal sealed class SqliteCheckpointing(Database database, TimeProvider timeProvider, ILogger<SqliteCheckpointing> logger) : BackgroundService
{
    private bool _warned;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        SqliteCheckpoints.RunAsync(database, timeProvider, Failed, null, stoppingToken);

    private void Failed(Exception e)
    {
        // Four times a second while the disk is full would drown the log: once, until the server restarts.
        if (!_warned)
        {
            _warned = true;
            logger.LogWarning(e, "A background checkpoint of the SQLite database failed; commits checkpoint for themselves meanwhile.");
        }
    }
}
