using Dapper;
using Microsoft.Extensions.Logging;
using Zhiwang.Storage;

namespace Zhiwang.Events.Intake;

/// <summary>
/// A new PostgreSQL database's first statistics on <c>event</c>. The intake statement is prepared once per connection,
/// and after a few runs PostgreSQL keeps one plan for it, made for the table as it was then. On a brand-new database
/// that is an empty table, which the likely-duplicate check finds cheapest to read whole; the plan is kept until the
/// next ANALYZE, which autovacuum makes only a minute or so later, and by then each report reads tens of thousands of
/// events. So once this server has stored its first thousand events, if the table's statistics still describe fewer
/// than that (never analyzed, or analyzed empty by a migration), it analyzes it, and every connection plans the
/// statement again for the table as it is. A table with real statistics is left alone.
/// </summary>
public sealed class FirstStatistics(Database database, ILogger logger, int after = FirstStatistics.DefaultAfter)
{
    public const int DefaultAfter = 1_000;

    private int _stored;
    private int _started;

    /// <summary>The analysis, once it has been started (for tests to wait on).</summary>
    public Task? Analysis { get; private set; }

    /// <summary>Counts events this server stored; the first time the count reaches the threshold, starts the check in the background.</summary>
    public void Stored(int count)
    {
        if (database.Provider != DatabaseProvider.PostgreSql || Volatile.Read(ref _started) != 0
            || Interlocked.Add(ref _stored, count) < after || Interlocked.Exchange(ref _started, 1) != 0)
        {
            return;
        }

        Analysis = Task.Run(AnalyzeIfStatisticsLagAsync);
    }

    private async Task AnalyzeIfStatisticsLagAsync()
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
            // reltuples is what the last ANALYZE (or VACUUM) counted: -1 if none ran, 0 if it found the table empty.
            var described = await connection.ExecuteScalarAsync<double>("SELECT reltuples FROM pg_class WHERE oid = 'event'::regclass");
            if (described < after)
            {
                await connection.ExecuteAsync(new CommandDefinition("ANALYZE event", commandTimeout: 0));
                logger.LogInformation("Analyzed the events table after its first {Count} events, so that intake plans for its real size", after);
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or DatabaseException)
        {
            // Autovacuum will analyze it a little later; nothing is lost but a minute of slower duplicate checks.
            logger.LogWarning(e, "Could not analyze the events table after its first events");
        }
    }
}
