using Dapper;
using Zhiwang.Geo;
using Zhiwang.Storage;
using Zhiwang.Synthetic;
using Zhiwang.Testing;

namespace Zhiwang.Cli.Tests;

/// <summary>A small synthetic city with its extracts, generated once for the import and export tests.</summary>
public sealed class SmallCity : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("zhiwang-import-city-").FullName;

    public long SocialInsuranceRows { get; private set; }

    public async Task InitializeAsync()
    {
        await CityGenerator.ForCity(CityMap.Shenzhen).GenerateAsync(
            new SyntheticCityOptions { OutputDirectory = Directory, Seed = 7, Persons = 400 }, CancellationToken.None);

        // One row a department could send: too few columns. It must be refused alone.
        var insurance = Path.Combine(Directory, "extracts", "social_insurance.txt");
        SocialInsuranceRows = File.ReadLines(insurance).Count() - 1;
        await File.AppendAllTextAsync(insurance, "RS999999999999|断行\n");
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class ImportExportCommandTests(SmallCity city) : IClassFixture<SmallCity>
{
    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Import_links_every_department_prints_what_each_gave_and_importing_again_changes_nothing(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);

        var first = await CliRun.RunAsync("--db", test.Database.ConnectionString, "import", "--dir", city.Directory);
        var counts = await CountsAsync(test.Database);
        var second = await CliRun.RunAsync("--db", test.Database.ConnectionString, "import", "--dir", city.Directory);

        first.ExitCode.ShouldBe(0, first.Error);
        var insurance = first.OutputLines.Single(line => line.StartsWith("social_insurance", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        insurance[1].ShouldBe((city.SocialInsuranceRows + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        insurance[2].ShouldBe(city.SocialInsuranceRows.ToString(System.Globalization.CultureInfo.InvariantCulture), "every good row is accepted");
        insurance[3].ShouldBe("1", "the broken row alone is refused");
        first.OutputLines.ShouldContain(line => line.StartsWith("public_security", StringComparison.Ordinal));
        counts.Persons.ShouldBeGreaterThan(300);
        counts.Records.ShouldBe(first.OutputLines.Where(IsDepartmentLine).Sum(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], System.Globalization.CultureInfo.InvariantCulture)));

        second.ExitCode.ShouldBe(0, second.Error);
        second.OutputLines.Where(IsDepartmentLine).ShouldAllBe(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2] == "0");
        (await CountsAsync(test.Database)).ShouldBe(counts);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var error = await connection.QuerySingleAsync<(string File, long Row)>("SELECT file, row_number FROM row_error WHERE batch_id = (SELECT MIN(batch_id) FROM row_error)");
        error.ShouldBe(("social_insurance.txt", city.SocialInsuranceRows + 2), "the file's line, after the header");
    }

    [SkippableTheory, MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Export_links_writes_a_line_per_mention_with_kind_prefixed_golden_ids(DatabaseProvider provider)
    {
        await using var test = await TestDatabase.CreateAsync(provider);
        var output = Path.Combine(city.Directory, $"links-{provider}.csv");
        (await CliRun.RunAsync("--db", test.Database.ConnectionString, "import", "--dir", city.Directory)).ExitCode.ShouldBe(0);

        var run = await CliRun.RunAsync("--db", test.Database.ConnectionString, "export", "links", "--out", output);

        run.ExitCode.ShouldBe(0, run.Error);
        var lines = File.ReadAllLines(output);
        lines[0].ShouldBe("department,record_id,golden_id");
        var rows = lines.Skip(1).Select(line => line.Split(',')).ToList();
        rows.ShouldAllBe(row => row.Length == 3);
        rows.Where(row => row[0] == "public_security").ShouldAllBe(row => row[1].StartsWith("GA", StringComparison.Ordinal) && row[2].StartsWith('P'));
        rows.Where(row => row[0] == "market_regulation" && !row[1].Contains('#')).ShouldAllBe(row => row[2].StartsWith('E'));
        rows.Count(row => row[0] == "housing_rental" && row[1].EndsWith("#landlord", StringComparison.Ordinal)).ShouldBeGreaterThan(0);
        rows.Where(row => row[0] == "housing_rental" && row[1].EndsWith("#premises", StringComparison.Ordinal)).ShouldAllBe(row => row[2].StartsWith('H'));
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM record_mention")).ShouldBe(rows.Count);
    }

    private static bool IsDepartmentLine(string line) =>
        line.Length > 0 && char.IsLower(line[0]) && !line.StartsWith("department", StringComparison.Ordinal) && !line.StartsWith("skipped", StringComparison.Ordinal);

    private static async Task<(long Persons, long Entities, long Records, long Mentions)> CountsAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return (
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_legal_entity"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM source_record"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM record_mention"));
    }
}
