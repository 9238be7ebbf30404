using Npgsql;
using Xunit;
using Zhiwang.Storage;

namespace Zhiwang.Testing;

/// <summary>
/// A fresh, empty database on either provider for one test: a temporary SQLite file, or a new
/// PostgreSQL database created on the server named by ZHIWANG_TEST_POSTGRES and dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _postgresDatabaseName;
    private readonly string? _sqliteDirectory;

    private TestDatabase(Database database, string? postgresDatabaseName, string? sqliteDirectory)
    {
        Database = database;
        _postgresDatabaseName = postgresDatabaseName;
        _sqliteDirectory = sqliteDirectory;
    }

    public Database Database { get; }

    /// <summary>Both providers, for <c>[SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]</c>.</summary>
    public static TheoryData<DatabaseProvider> Providers => new() { DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql };

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var directory = Directory.CreateTempSubdirectory("zhiwang-test-").FullName;
            return new TestDatabase(Database.Sqlite(Path.Combine(directory, "zhiwang.db")), null, directory);
        }

        var admin = TestEnvironment.PostgresAdminConnectionString;
        TestEnvironment.Require(admin is not null, "PostgreSQL (set ZHIWANG_TEST_POSTGRES to an admin connection string)");
        var name = "zw_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(Database.PostgreSql(builder.ConnectionString), name, null);
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_sqliteDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open only leaves a temporary folder behind.
            }
        }

        if (_postgresDatabaseName is not null && TestEnvironment.PostgresAdminConnectionString is { } admin)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresDatabaseName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
