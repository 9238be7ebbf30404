using Dapper;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;

namespace Zhiwang.Server.MasterData;

/// <summary>
/// At start, rebuilds the search index when it does not hold one row per golden record (a fresh database, or an import
/// that ran without rebuilding it), so search works from the first request.
/// </summary>
internal sealed class SearchIndexStartup(Database database, SearchIndex index, ILogger<SearchIndexStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        {
            var counts = await connection.QuerySingleAsync<(long Golden, long Indexed)>(new CommandDefinition(
                """
                SELECT (SELECT COUNT(*) FROM golden_person) + (SELECT COUNT(*) FROM golden_legal_entity) + (SELECT COUNT(*) FROM golden_house),
                       (SELECT COUNT(*) FROM golden_search)
                """,
                cancellationToken: cancellationToken));
            if (counts.Golden == counts.Indexed)
            {
                return;
            }
        }

        var started = System.Diagnostics.Stopwatch.StartNew();
        var rows = await index.RebuildAsync(cancellationToken);
        logger.LogInformation("Search index rebuilt: {Rows:N0} golden records in {Seconds:F1} s", rows, started.Elapsed.TotalSeconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
