using Dapper;
using Zhiwang.Geo;
using Zhiwang.MasterData.Seeding;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.MasterData.Tests.Seeding;

public sealed class CityFileLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zhiwang-city-files-").FullName;
    private readonly Grid _grid = CityMap.Shenzhen.Grids[0];
    private readonly Grid _otherGrid = CityMap.Shenzhen.Grids[^1];

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private void WriteCityFiles(string housesExtraRow = "")
    {
        var g = _grid.Code;
        var o = _otherGrid.Code;
        File.WriteAllText(Path.Combine(_directory, "persons.csv"),
            "id_number,name,sex,birth_date,ethnicity,hukou,registered_area_code,phone,household_id,relation_to_head,house_code,grid_code,employer_credit_code,education\n" +
            $"110102199101010078,张伟,男,1991-01-01,汉族,floating,110102,13800000000,H1,户主,440303000000100011,{g},,本科\n" +
            $"44011320141005001X,\"李,娜\",女,2014-10-05,汉族,floating,440113,,H1,子女,440303000000100011,{g},,\n" +
            $"440303198001010011,王芳,男,1980-01-01,汉族,registered,440303,,H2,户主,440303000000200011,{o},,\n");
        File.WriteAllText(Path.Combine(_directory, "legal_entities.csv"),
            "credit_code,name,short_name,legal_representative_id_number,industry,registered_date,house_code,grid_code,status\n" +
            $"91110000600037341L,深圳市甲科技有限公司,甲科技,110102199101010078,I 信息技术,2015-06-01,440303000000100011,{g},存续\n");
        File.WriteAllText(Path.Combine(_directory, "buildings.csv"),
            "building_code,address,grid_code,longitude,latitude,floors,kind\n" +
            $"4403030000001,深圳市罗湖区某路1号,{g},114.1,22.55,8,residential\n" +
            $"4403030000002,深圳市罗湖区某路2号,{o},114.2,22.56,6,residential\n");
        File.WriteAllText(Path.Combine(_directory, "houses.csv"),
            "house_code,building_code,grid_code,address,use,area_m2,owner_id_number,owner_credit_code\n" +
            $"440303000000100011,4403030000001,{g},深圳市罗湖区某路1号101,rented,45.5,,\n" +
            $"440303000000200011,4403030000002,{o},深圳市罗湖区某路2号101,owner-occupied,88,440303198001010011,\n" + housesExtraRow);
        File.WriteAllText(Path.Combine(_directory, "city_components.csv"),
            "component_code,class,subclass,grid_code,longitude,latitude,owning_department,status\n" +
            $"4403030101000001,公用设施,井盖,{g},114.1,22.55,水务局,完好\n");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Loading_city_files_seeds_the_registries_but_not_persons_or_entities_and_counts_every_level(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await test.Database.MigrateAsync([typeof(CityFileLoader).Assembly], TimeProvider.System, CancellationToken.None);
        var tallies = new CityTallies(test.Database, CityMap.Shenzhen);
        WriteCityFiles();

        var added = await new CityFileLoader(test.Database, tallies).LoadAsync(_directory, null, CancellationToken.None);

        // persons.csv and legal_entities.csv are the synthetic city's truth: golden persons come only from department records.
        added.Keys.ShouldBe(["building", "golden_house", "city_component"], ignoreOrder: true);
        added["golden_house"].ShouldBe(2);
        (await tallies.ForAsync(_grid.Code, CancellationToken.None)).ShouldBe(new DivisionTally(_grid.Code, 0, 0, 1));
        (await tallies.ForAsync(_grid.CommunityCode, CancellationToken.None)).Houses.ShouldBeGreaterThanOrEqualTo(1);
        (await tallies.ForAsync(CityMap.Shenzhen.City.Code, CancellationToken.None)).ShouldBe(new DivisionTally("440300", 0, 0, 2));
        var districts = await tallies.ForChildrenOfAsync("440300", CancellationToken.None);
        districts.Count.ShouldBe(9);
        districts.Values.Sum(d => d.Houses).ShouldBe(2);

        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person")).ShouldBe(0);
        var district = await connection.ExecuteScalarAsync<string>("SELECT district_code FROM golden_house WHERE house_code = '440303000000200011'");
        district.ShouldBe(_otherGrid.DistrictCode);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Loading_the_same_files_again_adds_nothing(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await test.Database.MigrateAsync([typeof(CityFileLoader).Assembly], TimeProvider.System, CancellationToken.None);
        var loader = new CityFileLoader(test.Database, new CityTallies(test.Database, CityMap.Shenzhen));
        WriteCityFiles();

        await loader.LoadAsync(_directory, null, CancellationToken.None);
        var again = await loader.LoadAsync(_directory, null, CancellationToken.None);

        again.Values.ShouldAllBe(added => added == 0);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_bad_value_is_reported_with_file_row_and_field(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await test.Database.MigrateAsync([typeof(CityFileLoader).Assembly], TimeProvider.System, CancellationToken.None);
        WriteCityFiles($"440303000000300011,4403030000002,{_grid.Code},深圳市罗湖区某路2号102,rented,abc,,\n");

        var error = await Should.ThrowAsync<DataFileException>(() =>
            new CityFileLoader(test.Database, new CityTallies(test.Database, CityMap.Shenzhen)).LoadAsync(_directory, null, CancellationToken.None));

        error.File.ShouldEndWith("houses.csv");
        error.Row.ShouldBe(3);
        error.Field.ShouldBe("area_m2");
        error.Message.ShouldContain("'abc' is not a number");
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_file_whose_header_lacks_a_column_is_refused_before_any_row_is_read(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        await test.Database.MigrateAsync([typeof(CityFileLoader).Assembly], TimeProvider.System, CancellationToken.None);
        WriteCityFiles();
        var houses = Path.Combine(_directory, "houses.csv");
        File.WriteAllText(houses, File.ReadAllText(houses).Replace("grid_code,address,", "grid_code,street_address,", StringComparison.Ordinal));

        var error = await Should.ThrowAsync<DataFileException>(() =>
            new CityFileLoader(test.Database, new CityTallies(test.Database, CityMap.Shenzhen)).LoadAsync(_directory, null, CancellationToken.None));

        error.Row.ShouldBe(0);
        error.Field.ShouldBe("address");
        error.Message.ShouldContain("the header lacks this column");
    }
}
