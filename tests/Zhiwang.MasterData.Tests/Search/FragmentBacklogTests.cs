using System.Data.Common;
using Dapper;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;
using Zhiwang.Testing;
using static Zhiwang.MasterData.Tests.Search.TinyGoldenCity;

namespace Zhiwang.MasterData.Tests.Search;

/// <summary>
/// On SQLite a refresh leaves the fragment index's work in a backlog (see <see cref="SearchIndex"/>). Search has to be
/// right before and after the backlog is indexed, and the index has to end up exactly what a rebuild would make.
/// </summary>
public sealed class FragmentBacklogTests
{
    private static readonly RecordScope City = new(RecordScope.City);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_renamed_person_is_found_by_the_new_fragment_and_not_the_old_one_before_and_after_the_backlog_is_indexed(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var search = new GoldenSearch(database);

        await RenameAsync(database, LiNa, "欧阳娜娜", "深圳市罗湖区东门街道解放路88号金光华广场2栋505室");

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            (await SearchIndex.BacklogAsync(connection, null, CancellationToken.None)).ShouldBe(provider == DatabaseProvider.Sqlite ? 2 : 0);
        }

        await FindsOnlyTheNewValuesAsync(search);

        (await IndexBacklogAsync(database)).ShouldBe(provider == DatabaseProvider.Sqlite ? 2 : 0);

        await FindsOnlyTheNewValuesAsync(search);
        await ShouldMatchTheGoldenTablesAsync(database);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_person_renamed_again_and_again_around_an_indexing_is_found_by_the_last_name_only(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var search = new GoldenSearch(database);

        // Indexed under its seeded values, then renamed: forget those; renamed twice more before the next indexing: the
        // backlog still forgets the indexed values (not the ones in between) and adds the last.
        await RenameAsync(database, ZhangWeiLuohu, "司马光明", "深圳市南山区粤海街道科技园路1号");
        await IndexBacklogAsync(database);
        await RenameAsync(database, ZhangWeiLuohu, "诸葛明亮", "深圳市南山区蛇口街道工业八路2号");
        await RenameAsync(database, ZhangWeiLuohu, "上官云飞", "深圳市宝安区新安街道建安一路3号");

        (await search.SearchAsync("上官云", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiLuohu]);
        (await search.SearchAsync("诸葛明", City, CancellationToken.None)).Hits.ShouldBeEmpty();
        (await search.SearchAsync("司马光", City, CancellationToken.None)).Hits.ShouldBeEmpty();

        await IndexBacklogAsync(database);

        (await search.SearchAsync("建安一路", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiLuohu]);
        (await search.SearchAsync("科技园路", City, CancellationToken.None)).Hits.ShouldBeEmpty();
        await ShouldMatchTheGoldenTablesAsync(database);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_row_that_takes_a_deleted_rows_search_id_is_found_and_the_deleted_one_is_not(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var search = new GoldenSearch(database);
        var newest = await NewestAsync(database);
        var newestSearchId = provider == DatabaseProvider.Sqlite ? await SearchIdAsync(database, newest) : 0;
        const string newcomer = "P00000000099";

        // SQLite gives a new row the highest search id plus one: with the newest row deleted in the same refresh, that is
        // the deleted row's id, so the backlog must forget the indexed values under that id before adding the new ones.
        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM golden_person WHERE golden_id = @newest", new { newest }, transaction);
            await connection.ExecuteAsync(
                """
                INSERT INTO golden_person (golden_id, name, sex, birth_date, hukou, address, grid_code, district_code, provenance)
                VALUES (@newcomer, '慕容复生', 'male', '1970-07-07', 'registered', '深圳市盐田区海山街道海景二路9号', @FutianGrid, '440304', '{}')
                """,
                new { newcomer, FutianGrid },
                transaction);
            await SearchIndex.RefreshAsync(connection, transaction, [newest, newcomer], CancellationToken.None);
            await transaction.CommitAsync();
        }

        if (provider == DatabaseProvider.Sqlite)
        {
            (await SearchIdAsync(database, newcomer)).ShouldBe(newestSearchId);
        }

        (await search.SearchAsync("慕容复", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([newcomer]);
        await ShouldMatchTheGoldenTablesAsync(database);
        (await search.SearchAsync("海景二路", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([newcomer]);
        (await search.SearchAsync("赛格花园", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldNotContain(newest);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refresh_that_fills_the_backlog_to_its_limit_indexes_it_in_its_own_transaction(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var ids = Enumerable.Range(1, SearchIndex.BacklogLimit).Select(i => $"P{100_000 + i:D11}").ToList();

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO golden_person (golden_id, name, sex, birth_date, hukou, address, grid_code, district_code, provenance)
                VALUES (@Id, '钟离' || @Suffix, 'female', '2001-01-01', 'registered', '深圳市盐田区沙头角街道沙盐路' || @Suffix || '号', @FutianGrid, '440304', '{}')
                """,
                ids.Select(id => new { Id = id, Suffix = id[^4..], FutianGrid }),
                transaction);
            await SearchIndex.RefreshAsync(connection, transaction, ids, CancellationToken.None);
            await transaction.CommitAsync();
            (await SearchIndex.BacklogAsync(connection, null, CancellationToken.None)).ShouldBe(0);
        }

        var hits = await new GoldenSearch(database).SearchAsync("沙盐路0042号", City, CancellationToken.None);
        hits.Hits.Select(h => h.GoldenId).ShouldBe([$"P{100_042:D11}"]);
        await ShouldMatchTheGoldenTablesAsync(database);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_rebuild_takes_in_the_backlog(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);

        await RenameAsync(database, ZhangWeiLuohu, "张卫东", "深圳市罗湖区翠竹街道太宁路100号");
        await new SearchIndex(database).RebuildAsync(CancellationToken.None);

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            (await SearchIndex.BacklogAsync(connection, null, CancellationToken.None)).ShouldBe(0);
        }

        (await new GoldenSearch(database).SearchAsync("太宁路", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiLuohu]);
        await ShouldMatchTheGoldenTablesAsync(database);
    }

    private static async Task FindsOnlyTheNewValuesAsync(GoldenSearch search)
    {
        (await search.SearchAsync("欧阳娜", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([LiNa]);
        (await search.SearchAsync("金光华广场", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([LiNa]);
        (await search.SearchAsync("赛格花园", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian, HouseCodeFutian], ignoreOrder: true);
    }

    private static async Task RenameAsync(Database database, string goldenId, string name, string address)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "UPDATE golden_person SET name = @name, address = @address WHERE golden_id = @goldenId", new { name, address, goldenId }, transaction);
        await SearchIndex.RefreshAsync(connection, transaction, [goldenId], CancellationToken.None);
        await transaction.CommitAsync();
    }

    private static async Task<int> IndexBacklogAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        var indexed = await SearchIndex.IndexBacklogAsync(connection, transaction, CancellationToken.None);
        await transaction.CommitAsync();
        return indexed;
    }

    /// <summary>SQLite: the search id of a golden record's index row.</summary>
    private static async Task<long> SearchIdAsync(Database database, string goldenId)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT search_id FROM golden_search WHERE golden_id = @goldenId", new { goldenId });
    }

    /// <summary>The person whose search row has the highest search id (SQLite), or any person (PostgreSQL has no search id).</summary>
    private static async Task<string> NewestAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return database.Provider == DatabaseProvider.Sqlite
            ? await connection.ExecuteScalarAsync<string>("SELECT golden_id FROM golden_search WHERE kind = 'person' ORDER BY search_id DESC LIMIT 1") ?? ""
            : LiNa;
    }

    /// <summary>
    /// SQLite: FTS5's own check that the fragment index holds exactly the trigrams of <c>golden_search</c> as it stands,
    /// on top of what the backlog still has to add or forget; once the backlog is indexed, exactly. Nothing to check on
    /// PostgreSQL, whose trigram indexes are ordinary indexes of the table.
    /// </summary>
    private static async Task ShouldMatchTheGoldenTablesAsync(Database database)
    {
        if (database.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        await IndexBacklogAsync(database);
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await IntegrityCheckAsync(connection);
    }

    internal static Task IntegrityCheckAsync(DbConnection connection) =>
        connection.ExecuteAsync("INSERT INTO golden_search_fragment (golden_search_fragment, rank) VALUES ('integrity-check', 1)");
}
