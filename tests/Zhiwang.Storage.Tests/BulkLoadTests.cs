using System.Data.Common;
using Dapper;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Storage.Tests;

public sealed class BulkLoadTests
{
    private static readonly string[] Columns = ["id", "name", "population", "households", "area_km2", "registered", "founded"];

    private static Migration CreateTable(DatabaseProvider provider) => new(
        "storagetest",
        1,
        "street",
        provider == DatabaseProvider.PostgreSql
            ? "CREATE TABLE street (id BIGINT PRIMARY KEY, name TEXT, population BIGINT, households INTEGER, area_km2 DOUBLE PRECISION, registered BOOLEAN, founded DATE)"
            : "CREATE TABLE street (id INTEGER PRIMARY KEY, name TEXT, population INTEGER, households INTEGER, area_km2 REAL, registered INTEGER, founded TEXT)");

    private static List<object?[]> Rows() =>
    [
        [1L, "福田街道", 5_000_000_000L, 41_000, 12.5, true, new DateOnly(1979, 3, 5)],
        [2L, "O'Brien; DROP TABLE street; --", 0L, 0, -0.25, false, new DateOnly(2024, 2, 29)],
        [3L, null, null, null, null, null, null],
    ];

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bulk_load_inserts_every_row_and_loading_again_adds_none(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = test.Database;
        await database.MigrateAsync([CreateTable(provider)], TimeProvider.System, CancellationToken.None);

        var first = await database.BulkLoadAsync("street", Columns, Rows(), CancellationToken.None);
        var second = await database.BulkLoadAsync("street", Columns, Rows(), CancellationToken.None);

        first.ShouldBe(3);
        second.ShouldBe(0);
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM street")).ShouldBe(3L);
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bulk_load_carries_text_numbers_booleans_dates_and_nulls(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = test.Database;
        await database.MigrateAsync([CreateTable(provider)], TimeProvider.System, CancellationToken.None);

        await database.BulkLoadAsync("street", Columns, Rows(), CancellationToken.None);

        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, population, households, area_km2, registered, founded FROM street ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var read = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            read.Add(
            [
                reader.GetInt64(0),
                Nullable(reader, 1, r => r.GetString(1)),
                Nullable(reader, 2, r => r.GetInt64(2)),
                Nullable(reader, 3, r => r.GetInt32(3)),
                Nullable(reader, 4, r => r.GetDouble(4)),
                Nullable(reader, 5, r => r.GetBoolean(5)),
                Nullable(reader, 6, r => r.GetFieldValue<DateOnly>(6)),
            ]);
        }

        read.Count.ShouldBe(3);
        for (var i = 0; i < 3; i++)
        {
            read[i].ShouldBe(Rows()[i]);
        }
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Bulk_load_refuses_a_table_name_that_is_not_a_plain_identifier(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);

        await Should.ThrowAsync<ArgumentException>(() =>
            test.Database.BulkLoadAsync("street; DROP TABLE x", ["id"], [[1L]], CancellationToken.None));
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Loads_in_the_callers_transaction_commit_together_and_roll_back_together(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = test.Database;
        await database.MigrateAsync([CreateTable(provider)], TimeProvider.System, CancellationToken.None);
        var many = Enumerable.Range(10, 500).Select(i => new object?[] { (long)i, $"街道{i}", (long)i, i, 1.0, true, new DateOnly(2000, 1, 1) }).ToList();

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // The same table twice in one transaction (a few rows, then many: both ways of loading on PostgreSQL).
            (await database.BulkLoadAsync(connection, transaction, "street", Columns, Rows(), CancellationToken.None)).ShouldBe(3);
            (await database.BulkLoadAsync(connection, transaction, "street", Columns, many, CancellationToken.None)).ShouldBe(500);
            (await database.BulkLoadAsync(connection, transaction, "street", Columns, Rows(), CancellationToken.None)).ShouldBe(0);

            // Many rows, half of them stored already: the direct COPY meets a duplicate and the staging path skips it.
            var overlapping = Enumerable.Range(260, 500).Select(i => new object?[] { (long)i, $"街道{i}", (long)i, i, 1.0, true, new DateOnly(2000, 1, 1) }).ToList();
            (await database.BulkLoadAsync(connection, transaction, "street", Columns, overlapping, CancellationToken.None)).ShouldBe(250);
            (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM street", transaction: transaction))).ShouldBe(753L);
            await transaction.RollbackAsync();
        }

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM street")).ShouldBe(0L);
            await using var transaction = await connection.BeginTransactionAsync();
            await database.BulkLoadAsync(connection, transaction, "street", Columns, Rows(), CancellationToken.None);
            await database.BulkLoadAsync(connection, transaction, "street", Columns, many, CancellationToken.None);
            await transaction.CommitAsync();
            (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM street")).ShouldBe(503L);
            (await connection.ExecuteScalarAsync<string>("SELECT name FROM street WHERE id = 2")).ShouldBe("O'Brien; DROP TABLE street; --");
        }
    }

    private static object? Nullable<T>(DbDataReader reader, int ordinal, Func<DbDataReader, T> read) =>
        reader.IsDBNull(ordinal) ? null : read(reader);
}
