using Dapper;
using Zhiwang.Geo;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;
using Zhiwang.Synthetic;
using Zhiwang.Testing;

namespace Zhiwang.MasterData.Tests.Hub;

/// <summary>A tiny synthetic city (500 persons: about 2,000 person mentions, enough to train a model), generated once.</summary>
public sealed class EngineCity : IAsyncLifetime
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("zhiwang-engine-city-").FullName;

    public async Task InitializeAsync() =>
        await CityGenerator.ForCity(CityMap.Shenzhen).GenerateAsync(
            new SyntheticCityOptions { OutputDirectory = Directory, Seed = 42, Persons = 500 }, CancellationToken.None);

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>truth/&lt;department&gt;.csv by record id: id_number, credit_code, house_code, related_id_number.</summary>
    public Dictionary<string, string[]> Truth(string department) =>
        File.ReadLines(Path.Combine(Directory, "truth", department + ".csv")).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(fields => fields[0], fields => fields[1..]);
}

public sealed class EngineLinkTests(EngineCity city) : IClassFixture<EngineCity>
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_keyless_record_is_linked_by_the_engine_with_a_stored_waterfall_that_sums_to_its_weight(DatabaseProvider provider)
    {
        await using var test = await ImportedAsync(provider);
        var person = await UniquelyNamedPersonAsync(test.Database);
        var record = Keyless("civil_affairs", "MZ-ENGINE-1", person.Name, person.BirthDate, person.Sex, person.HouseCode);

        var import = await HubImport.StartAsync(test.Database, TimeProvider.System, null, CancellationToken.None);
        var links = await import.ImportRecordAsync(record, CancellationToken.None);

        var link = links.ShouldHaveSingleItem();
        link.Method.ShouldBe(LinkMethod.Engine);
        link.GoldenId.ShouldBe(person.GoldenId);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var stored = await connection.QuerySingleAsync<(double Weight, string? Explanation)>(
            "SELECT link_weight, link_explanation FROM record_mention WHERE record_id = 'MZ-ENGINE-1'");
        var explanation = LinkExplanation.Read(stored.Explanation).ShouldNotBeNull();
        var steps = LinkExplanation.Steps(explanation);
        steps[0].Label.ShouldBe("prior");
        steps.Select(s => s.Label).ShouldContain(s => s.StartsWith("name: ", StringComparison.Ordinal));
        steps.Sum(s => s.Weight).ShouldBe(stored.Weight, 1e-6);
        steps[^1].RunningTotal.ShouldBe(stored.Weight, 1e-6);
        stored.Weight.ShouldBeGreaterThan(0);
        var lineage = await new HubLineage(test.Database).OfAsync(person.GoldenId, CancellationToken.None);
        lineage.Links.Single(l => l.RecordId == "MZ-ENGINE-1").Explanation.ShouldNotBeNull().MatchWeight.ShouldBe(stored.Weight, 1e-6);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM linkage_model WHERE kind = 'person'")).ShouldBe(1);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_keyless_record_that_matches_no_one_becomes_a_new_golden_record(DatabaseProvider provider)
    {
        await using var test = await ImportedAsync(provider);
        var import = await HubImport.StartAsync(test.Database, TimeProvider.System, null, CancellationToken.None);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var before = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person");

        var links = await import.ImportRecordAsync(Keyless("civil_affairs", "MZ-ENGINE-2", "欧阳无名", "1931-02-03", "female", null), CancellationToken.None);

        var link = links.ShouldHaveSingleItem();
        link.Method.ShouldBe(LinkMethod.New);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM golden_person")).ShouldBe(before + 1);
        (await connection.ExecuteScalarAsync<string?>("SELECT link_explanation FROM record_mention WHERE record_id = 'MZ-ENGINE-2'")).ShouldBeNull();
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_tiny_city_is_linked_with_pairwise_F1_of_at_least_0_99_for_persons_and_engine_links_carry_waterfalls(DatabaseProvider provider)
    {
        await using var test = await ImportedAsync(provider);
        await using var connection = await test.Database.OpenConnectionAsync(CancellationToken.None);
        var mentions = (await connection.QueryAsync<(string Department, string RecordId, string Role, string? GoldenId, string Method, string? Explanation)>(
            "SELECT department, record_id, role, golden_id, link_method, link_explanation FROM record_mention WHERE kind = 'person'")).ToList();
        var truth = mentions.Select(m => m.Department).Distinct().ToDictionary(d => d, city.Truth);

        var scored = mentions
            .Select(m => (m.GoldenId, Truth: truth[m.Department].GetValueOrDefault(m.RecordId) is { } t ? (m.Role == "subject" ? t[0] : t[3]) : ""))
            .Where(m => m.Truth.Length > 0 && m.GoldenId is not null)
            .ToList();
        var together = Pairs(scored.GroupBy(m => (m.GoldenId, m.Truth)).Select(g => g.Count()));
        var linked = Pairs(scored.GroupBy(m => m.GoldenId).Select(g => g.Count()));
        var same = Pairs(scored.GroupBy(m => m.Truth).Select(g => g.Count()));
        var precision = together / (double)linked;
        var recall = together / (double)same;

        (2 * precision * recall / (precision + recall)).ShouldBeGreaterThanOrEqualTo(0.99);
        mentions.ShouldContain(m => m.Method == "engine");
        mentions.Where(m => m.Method == "engine").ShouldAllBe(m => m.Explanation != null);
    }

    private static long Pairs(IEnumerable<int> sizes) => sizes.Sum(n => (long)n * (n - 1) / 2);

    private async Task<TestDatabase> ImportedAsync(DatabaseProvider provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        await test.Database.MigrateAsync([typeof(HubImport).Assembly], TimeProvider.System, CancellationToken.None);
        await new ExtractImport(test.Database, new CityTallies(test.Database, CityMap.Shenzhen), TimeProvider.System).RunAsync(city.Directory, null, null, CancellationToken.None);
        return test;
    }

    private static async Task<(string GoldenId, string Name, string BirthDate, string Sex, string HouseCode)> UniquelyNamedPersonAsync(Database database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.QueryFirstAsync<(string, string, string, string, string)>(
            """
            SELECT golden_id, name, birth_date, sex, house_code FROM golden_person p
            WHERE birth_date IS NOT NULL AND house_code IS NOT NULL AND sex IS NOT NULL
              AND (SELECT COUNT(*) FROM golden_person o WHERE o.name = p.name) = 1
            ORDER BY golden_id
            """);
    }

    private static ParsedRecord Keyless(string department, string recordId, string name, string birthDate, string sex, string? houseCode) =>
        new(department, recordId, department + ".xlsx", 1,
            new Dictionary<string, string?> { ["编号"] = recordId, ["姓名"] = name, ["出生日期"] = birthDate, ["房屋"] = houseCode },
            [new Mention(MentionKind.Person, "subject", new Dictionary<string, string?>
            {
                [HubFields.Name] = name,
                [HubFields.BirthDate] = birthDate,
                [HubFields.Sex] = sex,
                [HubFields.HouseCode] = houseCode,
            })],
            []);
}
