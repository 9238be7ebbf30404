using Dapper;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;
using Zhiwang.Testing;
using static Zhiwang.MasterData.Tests.Search.TinyGoldenCity;

namespace Zhiwang.MasterData.Tests.Search;

public sealed class SearchIndexTests
{
    private static readonly RecordScope City = new(RecordScope.City);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Refreshing_a_renamed_and_moved_person_finds_them_by_the_new_name_and_address_only(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var search = new GoldenSearch(database);

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(
                "UPDATE golden_person SET name = '李丽娜', address = '深圳市罗湖区东门街道解放路88号金光华广场2栋505室' WHERE golden_id = @LiNa",
                new { LiNa },
                transaction);
            await SearchIndex.RefreshAsync(connection, transaction, [LiNa], CancellationToken.None);
            await transaction.CommitAsync();
        }

        (await search.SearchAsync("李丽娜", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([LiNa]);
        (await search.SearchAsync("lilina", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([LiNa]);
        (await search.SearchAsync("金光华广场", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([LiNa]);
        (await search.SearchAsync("赛格花园", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian, HouseCodeFutian], ignoreOrder: true);
        (await search.SearchAsync("lina", City, CancellationToken.None)).Hits.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Refreshing_a_golden_id_that_is_gone_takes_it_out_of_the_index(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var search = new GoldenSearch(database);

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("DELETE FROM golden_person WHERE golden_id = @ZhangWeiFutian", new { ZhangWeiFutian }, transaction);
            await SearchIndex.RefreshAsync(connection, transaction, [ZhangWeiFutian, "P99999999999"], CancellationToken.None);
            await transaction.CommitAsync();
        }

        (await search.SearchAsync(ZhangWeiId, City, CancellationToken.None)).Hits.ShouldBeEmpty();
        (await search.SearchAsync("赛格花园", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([LiNa, HouseCodeFutian], ignoreOrder: true);
        (await CountAsync(database)).ShouldBe(4);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_new_house_refreshed_by_its_hub_golden_id_is_found_by_code_and_address(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var search = new GoldenSearch(database);
        var house = HouseCode.Build("4403040000001", 1202);

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync(
                "INSERT INTO golden_house (house_code, building_code, address, house_use, grid_code, district_code) VALUES (@house, '4403040000001', '深圳市福田区华强北街道华强北路12号赛格花园3栋1202室', 'rented', @FutianGrid, '440304')",
                new { house, FutianGrid },
                transaction);
            await SearchIndex.RefreshAsync(connection, transaction, ["H" + house], CancellationToken.None);
            await transaction.CommitAsync();
        }

        (await search.SearchAsync(house, City, CancellationToken.None)).Hits.Select(h => (h.Kind, h.GoldenId)).ShouldBe([(SearchKinds.House, house)]);
        (await search.SearchAsync("栋1202室", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([house]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Refreshing_every_record_leaves_the_same_index_as_a_rebuild(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var rebuilt = await RowsAsync(database);
        string[] all = [ZhangWeiFutian, ZhangWeiLuohu, LiNa, Company, HouseCodeFutian];

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await SearchIndex.RefreshAsync(connection, transaction, all, CancellationToken.None);
            await SearchIndex.RefreshAsync(connection, transaction, all, CancellationToken.None);
            await transaction.CommitAsync();
        }

        (await RowsAsync(database)).ShouldBe(rebuilt);
        (await new GoldenSearch(database).SearchAsync("华强电子", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([Company]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_refresh_rolled_back_with_its_transaction_leaves_the_index_as_it_was(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        var before = await RowsAsync(database);

        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await connection.ExecuteAsync("UPDATE golden_person SET name = '王芳' WHERE golden_id = @LiNa", new { LiNa }, transaction);
            await SearchIndex.RefreshAsync(connection, transaction, [LiNa], CancellationToken.None);
            await transaction.RollbackAsync();
        }

        (await RowsAsync(database)).ShouldBe(before);
        (await new GoldenSearch(database).SearchAsync("王芳", City, CancellationToken.None)).Hits.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_rebuild_after_the_golden_tables_changed_moves_the_fragment_index_with_them(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        await using (var connection = await database.OpenConnectionAsync(CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE golden_legal_entity SET name = '深圳市鹏城物流有限公司' WHERE golden_id = @Company", new { Company });
        }

        var rows = await new SearchIndex(database).RebuildAsync(CancellationToken.None);
        var search = new GoldenSearch(database);

        rows.ShouldBe(5);
        (await search.SearchAsync("鹏城物流", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([Company]);
        (await search.SearchAsync("华强电子", City, CancellationToken.None)).Hits.ShouldBeEmpty();
        (await search.SearchAsync("shenzhenshipengcheng", City, CancellationToken.None)).Hits.Select(h => h.GoldenId).ShouldBe([Company]);
    }

    private static async Task<long> CountAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_search");
    }

    private static async Task<List<string>> RowsAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var rows = await connection.QueryAsync<(string Id, string Kind, string? Key, string? Name, string? Pinyin, string? Initials, string? Address, string? Grid)>(
            "SELECT golden_id, kind, record_key, name, name_pinyin, name_initials, address, grid_code FROM golden_search ORDER BY golden_id");
        return rows.Select(r => r.ToString()).ToList();
    }
}
