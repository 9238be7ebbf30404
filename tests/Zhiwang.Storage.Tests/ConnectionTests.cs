using System.Diagnostics;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Storage.Tests;

public sealed class ConnectionTests
{
    [Theory]
    [InlineData("Hots=x", "hots")]
    [InlineData("Host=localhost;Port=notanumber", "Port")]
    [InlineData("Username=x;Password=y", "Host")]
    [InlineData("postgres://[bad", "URI")]
    public void A_bad_connection_string_gives_a_one_line_database_exception(string connectionString, string named)
    {
        var error = Should.Throw<DatabaseException>(() => Database.FromConnectionString(connectionString, "data"));

        error.Message.ShouldContain(named, Case.Insensitive);
        error.Message.ShouldNotContain("\n");
        error.Message.ShouldNotContain("\r");
    }

    [Fact]
    public async Task An_unreachable_postgresql_gives_a_one_line_database_exception_quickly()
    {
        var database = Database.FromConnectionString("Host=127.0.0.1;Port=1;Username=x;Password=y;Timeout=2", "data");
        var clock = Stopwatch.StartNew();

        var error = await Should.ThrowAsync<DatabaseException>(() =>
            database.MigrateAsync(Array.Empty<Migration>(), TimeProvider.System, CancellationToken.None));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        error.Message.ShouldContain("PostgreSQL");
        error.Message.ShouldContain("127.0.0.1:1");
        error.Message.ShouldNotContain("\n");
        (await database.PingAsync(CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public void A_postgres_uri_is_accepted_and_its_description_hides_the_password()
    {
        var database = Database.FromConnectionString("postgresql://zhiwang:s%40cret@db.example:5433/city", "data");

        database.Provider.ShouldBe(DatabaseProvider.PostgreSql);
        database.Description.ShouldBe("PostgreSQL at db.example:5433/city");
        database.Description.ShouldNotContain("s@cret");
        database.ConnectionString.ShouldContain("Password=s@cret");
    }

    [Fact]
    public void A_postgres_uri_keeps_its_parameters()
    {
        var database = Database.FromConnectionString("postgres://zhiwang@db.example/city?sslmode=require&connect_timeout=5&application_name=zhiwang-cli", "data");

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        builder.SslMode.ShouldBe(Npgsql.SslMode.Require);
        builder.Timeout.ShouldBe(5);
        builder.ApplicationName.ShouldBe("zhiwang-cli");
        builder.Port.ShouldBe(5432);
    }

    [Fact]
    public void A_postgres_uri_with_an_unknown_parameter_is_refused_in_one_line()
    {
        var error = Should.Throw<DatabaseException>(() => Database.FromConnectionString("postgres://x@db.example/city?frobnicate=1", "data"));

        error.Message.ShouldContain("frobnicate");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void An_empty_connection_string_means_the_sqlite_file_under_the_data_directory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "zw-data");

        var database = Database.FromConnectionString("", directory);

        database.Provider.ShouldBe(DatabaseProvider.Sqlite);
        database.Description.ShouldBe(Path.Combine(directory, "zhiwang.db"));
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_reachable_database_answers_a_ping(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);

        (await test.Database.PingAsync(CancellationToken.None)).ShouldBeTrue();
    }

    [Fact]
    public void PostgreSQL_connections_do_without_jit_unless_the_operator_says()
    {
        Options("Host=db").ShouldBe("-c jit=off");
        Options("Host=db;Options=-c search_path=zw").ShouldBe("-c search_path=zw -c jit=off");
        Options("Host=db;Options=-c jit=on").ShouldBe("-c jit=on");

        static string? Options(string connectionString) =>
            new Npgsql.NpgsqlConnectionStringBuilder(Database.PostgreSql(connectionString).ConnectionString).Options;
    }

    [Fact]
    public void PostgreSQL_pools_keep_at_most_32_connections_unless_the_operator_says()
    {
        Pool("Host=db").ShouldBe((32, 32));
        Pool("Host=db;Maximum Pool Size=10").ShouldBe((10, 10));
        Pool("Host=db;Maximum Pool Size=50;Minimum Pool Size=5").ShouldBe((5, 50));
        Pool("Host=db;minimum pool size=40").ShouldBe((40, 40));
        Pool("postgresql://zw@db/city?Minimum%20Pool%20Size=0").ShouldBe((0, 32));

        static (int Min, int Max) Pool(string connectionString)
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(Database.FromConnectionString(connectionString, "data").ConnectionString);
            return (builder.MinPoolSize, builder.MaxPoolSize);
        }
    }

    [SkippableFact]
    public async Task A_postgresql_session_runs_without_jit()
    {
        await using var test = await TestDatabase.CreateAsync(DatabaseProvider.PostgreSql);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);

        (await Dapper.SqlMapper.ExecuteScalarAsync<string>(connection, "SHOW jit")).ShouldBe("off");
    }
}
