using Dapper;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Storage.Tests;

public sealed class SqliteCheckpointsTests
{
    [SkippableFact]
    public async Task While_checkpoints_run_in_the_background_commits_leave_them_to_it_and_the_log_is_copied_into_the_file()
    {
        await using var test = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var database = test.Database;
        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            (await AutoCheckpointAsync(connection)).ShouldBe(Database.AutoCheckpointPages);
            await connection.ExecuteAsync("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
        }

        using var stop = new CancellationTokenSource();
        var fullyCopied = new TaskCompletionSource<Checkpoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = SqliteCheckpoints.RunAsync(database, TimeProvider.System, e => fullyCopied.TrySetException(e), checkpoint =>
        {
            if (checkpoint.CheckpointedPages == checkpoint.LogPages)
            {
                fullyCopied.TrySetResult(checkpoint);
            }
        }, stop.Token);

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            database.CheckpointsInBackground.ShouldBeTrue();
            (await AutoCheckpointAsync(connection)).ShouldBe(Database.BackgroundAutoCheckpointPages);
            await connection.ExecuteAsync(
                "INSERT INTO note (text) VALUES (@text)", Enumerable.Range(0, 500).Select(i => new { text = new string('记', 200) + i }));
        }

        // Waited for, not timed: the loop checkpoints every 250 ms.
        var copied = await fullyCopied.Task.WaitAsync(TimeSpan.FromSeconds(30));
        copied.LogPages.ShouldBeGreaterThan(0);

        await stop.CancelAsync();
        await run;
        database.CheckpointsInBackground.ShouldBeFalse();
        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            (await AutoCheckpointAsync(connection)).ShouldBe(Database.AutoCheckpointPages);
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM note")).ShouldBe(500);
        }
    }

    [SkippableFact]
    public async Task On_postgresql_there_is_nothing_to_run()
    {
        await using var test = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);

        await SqliteCheckpoints.RunAsync(test.Database, TimeProvider.System, null, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        test.Database.CheckpointsInBackground.ShouldBeFalse();
    }

    private static Task<long> AutoCheckpointAsync(System.Data.Common.DbConnection connection) =>
        connection.ExecuteScalarAsync<long>("PRAGMA wal_autocheckpoint");
}
