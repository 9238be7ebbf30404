using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Search;

namespace Zhiwang.MasterData.Tests.Hub;

/// <summary>
/// The golden record a set of contributions gives, cell by cell, with the provenance and candidate-value JSON compared
/// with what <c>JsonSerializer</c> writes for the same dictionary and list (the builder writes it by hand, faster).
/// </summary>
public sealed class GoldenBuilderTests
{
    private const string HomeGrid = "440303001001001001";
    private const string OtherGrid = "440304002002002002";
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly string Home = HouseCode.Build(HouseCode.BuildingCode("440303", 1), 1);
    private static readonly string Rented = HouseCode.Build(HouseCode.BuildingCode("440303", 2), 1);
    private static readonly string Zhang = IdNumber.Build("440303", new DateOnly(1990, 1, 1), 123);
    private static readonly string Firm = CreditCode.Build('9', '1', "440300", "MA5F0001");
    private static readonly Dictionary<string, string> HouseGrid = new(StringComparer.Ordinal) { [Home] = HomeGrid, [Rented] = OtherGrid };

    [Fact]
    public void A_person_takes_each_attribute_from_its_authority_or_the_most_recent_source_with_provenance_conflicts_and_a_task()
    {
        var broken = Zhang[..17] + (Zhang[17] == '0' ? '1' : '0');
        Contribution[] contributions =
        [
            Contribution.Of("P00000000001", "public_security", "GA1", "subject", Fields((HubFields.IdNumber, Zhang), (HubFields.Name, "张伟"), (HubFields.Sex, "male"), (HubFields.BirthDate, "1990-01-01"), (HubFields.HouseCode, Home), (HubFields.Address, "罗湖区某路1号"), (HubFields.Phone, "13800000001")), ContributionOrder.Of(1, 5)),
            Contribution.Of("P00000000001", "civil_affairs", "MZ1", "subject", Fields((HubFields.IdNumber, broken), (HubFields.Name, " 张伟 "), (HubFields.BirthDate, "1990-02-01"), (HubFields.Phone, "13800000002")), ContributionOrder.Of(2, 1)),
            Contribution.Of("P00000000001", "housing_rental", "ZJ1", "tenant", Fields((HubFields.IdNumber, Zhang), (HubFields.Name, "张\"伟\""), (HubFields.HouseCode, Rented), (HubFields.Address, "罗湖区\"新\"路2号\\1"), (HubFields.Phone, "  ")), ContributionOrder.Of(3, 9)),
            // A landlord's row does not say where the landlord lives.
            Contribution.Of("P00000000001", "housing_rental", "ZJ2", "landlord", Fields((HubFields.IdNumber, Zhang), (HubFields.HouseCode, Home), (HubFields.Address, "别处")), ContributionOrder.Of(3, 10)),
        ];
        var builder = new GoldenBuilder(HouseGrid, Now, 7, 100, 50);

        builder.Build("P00000000001", contributions);

        var row = builder.Persons.ShouldHaveSingleItem();
        row.ShouldBe(new object?[]
        {
            "P00000000001", Zhang, "张伟", "male", "1990-01-01", null, null, "13800000002", "罗湖区\"新\"路2号\\1", Rented, OtherGrid, "440304",
            Provenance.Write(new Dictionary<string, AttributeSource>
            {
                [HubFields.IdNumber] = new(Zhang, "public_security", "GA1", "authoritative source: public_security"),
                [HubFields.Name] = new("张伟", "public_security", "GA1", "authoritative source: public_security"),
                [HubFields.Sex] = new("male", "public_security", "GA1", "authoritative source: public_security"),
                [HubFields.BirthDate] = new("1990-01-01", "public_security", "GA1", "authoritative source: public_security"),
                [HubFields.Phone] = new("13800000002", "civil_affairs", "MZ1", "most recent"),
                [HubFields.HouseCode] = new(Rented, "housing_rental", "ZJ1", "authoritative source: housing_rental"),
                [HubFields.Address] = new("罗湖区\"新\"路2号\\1", "housing_rental", "ZJ1", "authoritative source: housing_rental"),
            }),
        });
        builder.Conflicts.Select(c => ((long)c[0]!, (string)c[2]!, (string)c[4]!)).ShouldBe(
        [
            (101L, HubFields.Name, HubJson.Write(new List<CandidateValue> { new("张伟", ["public_security/GA1", "civil_affairs/MZ1"]), new("张\"伟\"", ["housing_rental/ZJ1"]) })),
            (102L, HubFields.BirthDate, HubJson.Write(new List<CandidateValue> { new("1990-01-01", ["public_security/GA1"]), new("1990-02-01", ["civil_affairs/MZ1"]) })),
            (103L, HubFields.HouseCode, HubJson.Write(new List<CandidateValue> { new(Home, ["public_security/GA1"]), new(Rented, ["housing_rental/ZJ1"]) })),
        ]);
        builder.Conflicts.ShouldAllBe(c => (string)c[3]! == GoldenBuilder.Disagreement && c[5] == null && (long)c[6]! == 7 && (string)c[7]! == GoldenBuilder.Open);
        builder.Tasks.ShouldHaveSingleItem().ShouldBe(new object?[] { 51L, 103L, "P00000000001", OtherGrid, GoldenBuilder.Open, Now });
        (builder.LastConflict, builder.LastTask).ShouldBe((103L, 51L));
    }

    [Fact]
    public void A_legal_entity_named_by_many_employer_rows_lists_ten_sources_per_value_and_falls_back_to_the_most_recent_without_an_authority()
    {
        var contributions = Enumerable.Range(1, 12)
            .Select(i => Contribution.Of("E00000000001", "social_insurance", $"RS{i}", "employer", Fields((HubFields.Name, "华强电子")), ContributionOrder.Of(2, i)))
            .Append(Contribution.Of("E00000000001", "tax", "SW1", "subject", Fields((HubFields.CreditCode, Firm), (HubFields.Name, "深圳市华强电子有限公司"), (HubFields.Status, "active")), ContributionOrder.Of(1, 1)))
            .ToList();
        var builder = new GoldenBuilder(HouseGrid, Now, 3, 0, 0);

        builder.Build("E00000000001", contributions);

        builder.Entities.ShouldHaveSingleItem().ShouldBe(new object?[]
        {
            "E00000000001", Firm, "深圳市华强电子有限公司", "active", null, null, null, null, null, null, null, null,
            Provenance.Write(new Dictionary<string, AttributeSource>
            {
                [HubFields.CreditCode] = new(Firm, "tax", "SW1", "authoritative source: tax"),
                [HubFields.Name] = new("深圳市华强电子有限公司", "tax", "SW1", "authoritative source: tax"),
                [HubFields.Status] = new("active", "tax", "SW1", "most recent (no value from market_regulation)"),
            }),
        });
        var conflict = builder.Conflicts.ShouldHaveSingleItem();
        conflict[4].ShouldBe(HubJson.Write(new List<CandidateValue>
        {
            new("华强电子", Enumerable.Range(1, 10).Select(i => $"social_insurance/RS{i}").ToList()),
            new("深圳市华强电子有限公司", ["tax/SW1"]),
        }));
        builder.Tasks.ShouldBeEmpty();
    }

    [Fact]
    public void Building_all_records_on_two_threads_gives_the_same_rows_and_ids_in_the_same_order_as_one_by_one()
    {
        var random = new Random(42);
        var contributions = new Dictionary<string, List<Contribution>>(StringComparer.Ordinal);
        var ids = new List<string>();
        for (var serial = 1; serial <= 6_000; serial++)
        {
            var goldenId = serial % 7 == 0 ? GoldenId.LegalEntity(serial) : GoldenId.Person(serial);
            ids.Add(goldenId);
            if (serial % 13 == 0)
            {
                continue; // touched but without contributions: skipped by both
            }

            var list = contributions[goldenId] = [];
            for (var i = 0; i < 1 + random.Next(serial % 500 == 0 ? 300 : 5); i++)
            {
                var department = random.Next(4) switch { 0 => "public_security", 1 => "housing_rental", 2 => "market_regulation", _ => "education" };
                list.Add(Contribution.Of(goldenId, department, $"R{serial}-{i}", random.Next(5) == 0 ? "landlord" : "subject", Fields(
                    (HubFields.Name, random.Next(6) == 0 ? "李\"娜\"" : "李娜"),
                    (HubFields.BirthDate, random.Next(5) == 0 ? "1985-06-30" : "1985-07-30"),
                    (HubFields.HouseCode, random.Next(3) == 0 ? Home : Rented),
                    (HubFields.Status, "active"),
                    (HubFields.Phone, $"1380000{random.Next(10_000):0000}")), ContributionOrder.Of(1 + random.Next(3), random.Next(1_000))));
            }
        }

        ids.Add("H" + Home);
        var oneByOne = new GoldenBuilder(HouseGrid, Now, 9, 1_000, 500);
        foreach (var id in ids)
        {
            if (GoldenId.KindOf(id) != MentionKind.House && contributions.TryGetValue(id, out var list))
            {
                oneByOne.Build(id, list);
            }
        }

        var parallel = new GoldenBuilder(HouseGrid, Now, 9, 1_000, 500);
        parallel.BuildAll(ids, contributions, maxThreads: 2);

        oneByOne.Conflicts.Count.ShouldBeGreaterThan(1_000);
        oneByOne.Tasks.Count.ShouldBeGreaterThan(500);
        parallel.Persons.ShouldBe(oneByOne.Persons);
        parallel.Entities.ShouldBe(oneByOne.Entities);
        parallel.Conflicts.ShouldBe(oneByOne.Conflicts);
        parallel.Tasks.ShouldBe(oneByOne.Tasks);
        (parallel.LastConflict, parallel.LastTask).ShouldBe((oneByOne.LastConflict, oneByOne.LastTask));
    }

    private static Dictionary<string, string?> Fields(params (string Field, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Field, f => f.Value, StringComparer.Ordinal);
}
