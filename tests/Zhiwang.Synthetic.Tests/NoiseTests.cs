using System.Text;
using Zhiwang.MasterData.Keys;

namespace Zhiwang.Synthetic.Tests;

public sealed class NoiseTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    private static readonly NoiseRates Rates = NoiseRates.Documented;

    static NoiseTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void ID_numbers_in_the_public_security_extract_are_wrong_at_the_documented_rate()
    {
        var (rows, truth, _) = PublicSecurity();
        var wrong = rows.Where((r, i) => r["公民身份号码"] != truth[i]["id_number"]).ToList();
        (wrong.Count / (double)rows.Count).ShouldBeInRange(Rates.KeyError - 0.012, Rates.KeyError + 0.012);
        var missing = rows.Count(r => r["公民身份号码"].Length == 0) / (double)rows.Count;
        missing.ShouldBeInRange(Rates.KeyMissing - 0.007, Rates.KeyMissing + 0.007);
        var fullWidth = rows.Count(r => r["公民身份号码"].Any(c => c is >= '０' and <= '９')) / (double)rows.Count;
        fullWidth.ShouldBeInRange(Rates.KeyFullWidth - 0.005, Rates.KeyFullWidth + 0.005);
        // Every wrong ID that is not blank or full-width fails validation (a transposed check character rarely passes).
        var invalid = wrong.Where(r => r["公民身份号码"].Length > 0 && !r["公民身份号码"].Any(c => c >= '０')).ToList();
        invalid.Count(r => !IdNumber.IsValid(r["公民身份号码"])).ShouldBeGreaterThanOrEqualTo(invalid.Count - 3);
    }

    [Fact]
    public void Names_differ_from_the_truth_at_the_documented_rate()
    {
        var (rows, truth, persons) = PublicSecurity();
        var differ = rows.Where((r, i) => r["姓名"] != persons[truth[i]["id_number"]]["name"]).Count() / (double)rows.Count;
        differ.ShouldBeInRange(Rates.NameError - 0.01, Rates.NameError + 0.01);
        rows.Where((r, i) => r["姓名"] != persons[truth[i]["id_number"]]["name"])
            .ShouldContain(r => r["姓名"].Any(c => "陳劉張黃趙吳孫鄭鄧華國麗偉".Contains(c)));
    }

    [Fact]
    public void About_one_row_in_a_hundred_is_a_duplicate_of_the_same_person()
    {
        var (rows, truth, _) = PublicSecurity();
        var duplicates = (rows.Count - truth.Select(t => t["id_number"]).Distinct().Count()) / (double)GeneratedCity.Persons;
        duplicates.ShouldBeInRange(Rates.Duplicate - 0.005, Rates.Duplicate + 0.005);
    }

    [Fact]
    public void Stale_addresses_and_date_variants_appear_at_the_documented_rates()
    {
        var (rows, truth, _) = PublicSecurity();
        var houses = city.Read("houses.csv").ToDictionary(h => h["house_code"], h => h["address"]);
        var stale = rows.Where((r, i) => r["现住址"] != houses[truth[i]["house_code"]]).Count() / (double)rows.Count;
        stale.ShouldBeInRange(Rates.StaleAddress - 0.01, Rates.StaleAddress + 0.01);
        var variants = rows.Count(r => r["出生日期"].Length != 8 || !r["出生日期"].All(char.IsAsciiDigit)) / (double)rows.Count;
        variants.ShouldBeInRange(Rates.DateFormatVariant - 0.012, Rates.DateFormatVariant + 0.012);
    }

    [Fact]
    public void Credit_codes_in_the_market_regulation_extract_are_wrong_at_the_documented_rate()
    {
        var rows = ExtractTests.ReadXlsx(Path.Combine(city.Directory, "extracts/market_regulation.xlsx")).Skip(1).ToList();
        var truth = city.Read("truth/market_regulation.csv");
        var wrong = rows.Where((r, i) => r[1] != truth[i]["credit_code"]).Count() / (double)rows.Count;
        // About 1,200 rows: a wider tolerance.
        wrong.ShouldBeInRange(Rates.KeyError - 0.025, Rates.KeyError + 0.025);
    }

    [Fact]
    public void Without_noise_the_extracts_agree_with_the_truth_exactly()
    {
        var directory = Path.Combine(Path.GetTempPath(), "zhiwang-clean-" + Guid.NewGuid().ToString("N"));
        try
        {
            GeneratedCity.Generate(directory, seed: 5, persons: 4_000, noise: NoiseRates.None);
            var rows = GeneratedCity.ReadCsv(Path.Combine(directory, "extracts/public_security_hukou.csv"), Encoding.GetEncoding("GBK"), ',');
            var truth = GeneratedCity.ReadCsv(Path.Combine(directory, "truth/public_security.csv"), Encoding.UTF8, ',');
            rows.Count.ShouldBe(4_000);
            rows.Select(r => r["公民身份号码"]).ShouldBe(truth.Select(t => t["id_number"]));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private (List<Dictionary<string, string>> Rows, List<Dictionary<string, string>> Truth, Dictionary<string, Dictionary<string, string>> Persons) PublicSecurity()
    {
        var rows = GeneratedCity.ReadCsv(Path.Combine(city.Directory, "extracts/public_security_hukou.csv"), Encoding.GetEncoding("GBK"), ',');
        var truth = city.Read("truth/public_security.csv");
        rows.Count.ShouldBe(truth.Count);
        var persons = city.Read("persons.csv").ToDictionary(p => p["id_number"]);
        return (rows, truth, persons);
    }
}
