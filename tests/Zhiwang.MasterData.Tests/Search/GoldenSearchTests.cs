using Zhiwang.MasterData.Search;
using Zhiwang.Storage;
using Zhiwang.Testing;
using static Zhiwang.MasterData.Tests.Search.TinyGoldenCity;

namespace Zhiwang.MasterData.Tests.Search;

public sealed class GoldenSearchTests
{
    private static readonly RecordScope City = new(RecordScope.City);
    private static readonly RecordScope Futian = new("440304");

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_Chinese_name_finds_the_person_and_the_company_that_starts_with_it_stays_out(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var results = await search.SearchAsync("张伟", City, CancellationToken.None);

        results.Query.Kind.ShouldBe(SearchQueryKind.Text);
        results.Hits.Where(h => h.Kind == SearchKinds.Person).Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Full_pinyin_finds_both_Zhang_Weis_and_initials_find_them_too(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var full = await search.SearchAsync("zhangwei", City, CancellationToken.None);
        var spaced = await search.SearchAsync("Zhang Wei", City, CancellationToken.None);
        var initials = await search.SearchAsync("zw", City, CancellationToken.None);

        full.Query.Kind.ShouldBe(SearchQueryKind.Pinyin);
        full.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian, ZhangWeiLuohu], ignoreOrder: true);
        spaced.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian, ZhangWeiLuohu], ignoreOrder: true);
        initials.Hits.Where(h => h.Kind == SearchKinds.Person).Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian, ZhangWeiLuohu], ignoreOrder: true);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_name_with_the_last_digits_of_the_ID_number_finds_only_that_person(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var results = await search.SearchAsync("张伟 " + ZhangWeiId[^4..], City, CancellationToken.None);
        var wrongTail = await search.SearchAsync("张伟" + ZhangWeiLuohuId[^6..], City, CancellationToken.None);
        var digitsAlone = await search.SearchAsync(ZhangWeiId[^4..], City, CancellationToken.None);

        results.Query.Kind.ShouldBe(SearchQueryKind.NameAndIdTail);
        results.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian]);
        wrongTail.Hits.ShouldBeEmpty();
        digitsAlone.Query.Kind.ShouldBe(SearchQueryKind.Invalid);
        digitsAlone.Query.Problem.ShouldBe("digits-need-name");
        digitsAlone.Hits.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_whole_ID_number_credit_code_or_house_code_finds_its_record(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var person = await search.SearchAsync(ZhangWeiId, City, CancellationToken.None);
        var company = await search.SearchAsync(CompanyCode.ToLowerInvariant(), City, CancellationToken.None);
        var house = await search.SearchAsync(HouseCodeFutian, City, CancellationToken.None);

        person.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian]);
        company.Hits.Select(h => h.GoldenId).ShouldBe([Company]);
        house.Hits.Select(h => (h.Kind, h.GoldenId)).ShouldBe([(SearchKinds.House, HouseCodeFutian)]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_address_fragment_finds_the_house_and_the_people_who_live_there(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var results = await search.SearchAsync("赛格花园", City, CancellationToken.None);

        results.Hits.Select(h => h.GoldenId).ShouldBe([LiNa, ZhangWeiFutian, HouseCodeFutian], ignoreOrder: true);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_district_scope_sees_only_its_own_records_and_wildcards_are_literal(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var search = new GoldenSearch(await MigratedAsync(test));

        var inFutian = await search.SearchAsync("zhangwei", Futian, CancellationToken.None);
        var luohuById = await search.SearchAsync(ZhangWeiLuohuId, Futian, CancellationToken.None);
        var wildcard = await search.SearchAsync("%", City, CancellationToken.None);

        inFutian.Hits.Select(h => h.GoldenId).ShouldBe([ZhangWeiFutian]);
        luohuById.Hits.ShouldBeEmpty();
        wildcard.Hits.ShouldBeEmpty();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Rebuilding_the_index_again_gives_the_same_rows(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var database = await MigratedAsync(test);

        var again = await new SearchIndex(database).RebuildAsync(CancellationToken.None);

        again.ShouldBe(5); // three persons, one legal entity, one house
    }
}
