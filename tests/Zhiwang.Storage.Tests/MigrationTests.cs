using Dapper;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Storage.Tests;

public sealed class MigrationTests
{
    private static readonly Migration CreateDistrict = new(
        "storagetest", 1, "district", "CREATE TABLE district (code TEXT PRIMARY KEY, name TEXT NOT NULL)");

    private static readonly Migration AddPopulation = new(
        "storagetest", 2, "population", "ALTER TABLE district ADD COLUMN population BIGINT");

    private static readonly Migration SeedFutian = new(
        "storagetest", 3, "seed", "INSERT INTO district (code, name, population) VALUES ('440304', 'Futian', 1500000)");

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Migrations_apply_in_order_are_recorded_and_running_again_applies_nothing(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = test.Database;

        var first = await database.MigrateAsync([CreateDistrict, AddPopulation, SeedFutian], TimeProvider.System, CancellationToken.None);
        first.Select(m => m.Version).ShouldBe([1, 2, 3]);

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            var recorded = (await connection.QueryAsync<(string Module, long Version, string Name)>(
                "SELECT module, version, name FROM schema_migration ORDER BY version")).ToList();
            recorded.ShouldBe([("storagetest", 1L, "district"), ("storagetest", 2L, "population"), ("storagetest", 3L, "seed")]);
            (await connection.ExecuteScalarAsync<long>("SELECT population FROM district WHERE code = '440304'")).ShouldBe(1_500_000L);
        }

        var second = await database.MigrateAsync([CreateDistrict, AddPopulation, SeedFutian], TimeProvider.System, CancellationToken.None);
        second.ShouldBeEmpty();

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM district")).ShouldBe(1L);
        }
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_failing_migration_rolls_back_and_names_itself(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = test.Database;
        var broken = new Migration(
            "storagetest", 2, "half_done",
            "CREATE TABLE street (code TEXT PRIMARY KEY); INSERT INTO no_such_table (x) VALUES (1);");

        var error = await Should.ThrowAsync<DatabaseException>(() =>
            database.MigrateAsync([CreateDistrict, broken, SeedFutian], TimeProvider.System, CancellationToken.None));

        error.Message.ShouldContain("storagetest 0002_half_done");
        error.Message.ShouldNotContain("\n");
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        (await connection.QueryAsync<long>("SELECT version FROM schema_migration ORDER BY version")).ShouldBe([1L]);
        var streetTables = provider == DatabaseProvider.Sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'street'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'street'";
        (await connection.ExecuteScalarAsync<long>(streetTables)).ShouldBe(0L);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM district")).ShouldBe(0L);
    }

    [Fact]
    public void Module_migrations_are_read_from_embedded_resources_in_number_order()
    {
        var migrations = Migrations.Of(typeof(MigrationTests).Assembly, DatabaseProvider.Sqlite);

        migrations.Select(m => (m.Module, m.Version, m.Name)).ShouldBe([("storage.tests", 1, "first"), ("storage.tests", 2, "second")]);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Embedded_module_migrations_apply_once(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);

        var applied = await test.Database.MigrateAsync([typeof(MigrationTests).Assembly], TimeProvider.System, CancellationToken.None);
        var again = await test.Database.MigrateAsync([typeof(MigrationTests).Assembly], TimeProvider.System, CancellationToken.None);

        applied.Select(m => m.Name).ShouldBe(["first", "second"]);
        again.ShouldBeEmpty();
    }
}
