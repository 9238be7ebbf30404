using Dapper;
using Zhiwang.MasterData.Search;
using Zhiwang.Storage;
using Zhiwang.Testing;
using static Zhiwang.MasterData.Tests.Search.TinyGoldenCity;

namespace Zhiwang.MasterData.Tests.Search;

public sealed class FragmentSearchTests
{
    private static readonly RecordScope City = new(RecordScope.City);

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Three_characters_inside_a_name_or_at_the_end_of_an_address_find_the_record(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var company = await search.SearchAsync("华强电子", City, CancellationToken.None);
        var flat = await search.SearchAsync("栋1201室", City, CancellationToken.None);
        var village = await search.SearchAsync("沙湾村", City, CancellationToken.None);

        company.Query.IsFragment.ShouldBeTrue();
        company.Hits.Select(h => h.GoldenId).ShouldBe([Company]);
        flat.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian, LiNa, HouseCodeFutian], ignoreOrder: true);
        village.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiLuohu]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task One_character_finds_names_that_start_with_it_and_two_also_find_addresses_with_them(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var surname = await search.SearchAsync("张", City, CancellationToken.None);
        var name = await search.SearchAsync("张卫", City, CancellationToken.None);
        var place = await search.SearchAsync("沙湾", City, CancellationToken.None);
        var oneCharacterOfAnAddress = await search.SearchAsync("湾", City, CancellationToken.None);

        surname.Query.IsFragment.ShouldBeFalse();
        surname.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiLuohu, ZhangWeiFutian], ignoreOrder: true);
        name.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiLuohu]);
        place.Hits.Select(h => h.GoldenId).ShouldContain(ZhangWeiLuohu);
        oneCharacterOfAnAddress.Hits.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Quotes_and_wildcards_in_a_fragment_are_plain_characters(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var quoted = await search.SearchAsync("华强\"电子", City, CancellationToken.None);
        var wildcard = await search.SearchAsync("华强%子", City, CancellationToken.None);
        var operators = await search.SearchAsync("华强 OR 赛格", City, CancellationToken.None);

        quoted.Hits.ShouldBeEmpty();
        wildcard.Hits.ShouldBeEmpty();
        operators.Hits.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_fragment_and_name_queries_are_planned_on_indexes_not_a_scan_of_the_table(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        if (provider == DatabaseProvider.PostgreSql)
        {
            // Five rows are cheaper to scan than to look up: the question here is whether the indexes can answer at all.
            await connection.ExecuteAsync("SET enable_seqscan = off");
        }

        var fragment = await PlanAsync(connection, provider, "赛格花园");
        // (Two characters also look inside addresses, which only a scan can: that query is left out here.)
        var name = await PlanAsync(connection, provider, "张");
        var pinyin = await PlanAsync(connection, provider, "zhangwei");

        if (provider == DatabaseProvider.Sqlite)
        {
            fragment.ShouldContain("golden_search_fragment VIRTUAL TABLE");
            fragment.ShouldContain("INTEGER PRIMARY KEY");
            name.ShouldContain("INDEX golden_search_name");
            pinyin.ShouldContain("INDEX golden_search_pinyin");
            pinyin.ShouldContain("INDEX golden_search_initials");
            foreach (var plan in new[] { fragment, name, pinyin })
            {
                plan.ShouldNotMatch(@"SCAN (TABLE )?golden_search\b(?! VIRTUAL)");
            }
        }
        else
        {
            fragment.ShouldContain("golden_search_name_fragment");
            fragment.ShouldContain("golden_search_address_fragment");
            name.ShouldContain("golden_search_name");
            pinyin.ShouldContain("golden_search_pinyin");
            foreach (var plan in new[] { fragment, name, pinyin })
            {
                plan.ShouldNotContain("Seq Scan");
            }
        }
    }

    private static async Task<string> PlanAsync(System.Data.Common.DbConnection connection, DatabaseProvider provider, string text)
    {
        var query = SearchQuery.Parse(text);
        var sql = GoldenSearch.Sql(query, City, provider);
        var parameters = GoldenSearch.Parameters(query, City);
        return provider == DatabaseProvider.Sqlite
            ? string.Join("\n", (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters)).Select(r => r.Detail))
            : string.Join("\n", await connection.QueryAsync<string>("EXPLAIN " + sql, parameters));
    }
}
