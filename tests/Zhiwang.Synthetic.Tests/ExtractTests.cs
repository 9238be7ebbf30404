using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Zhiwang.Synthetic.Tests;

public sealed class ExtractTests(GeneratedCity city) : IClassFixture<GeneratedCity>
{
    private static readonly XNamespace Sheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    static ExtractTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public void There_are_at_least_eight_department_extracts_each_with_a_truth_file()
    {
        CityGenerator.ExtractFiles.Count.ShouldBeGreaterThanOrEqualTo(8);
        foreach (var file in CityGenerator.ExtractFiles.Concat(CityGenerator.TruthFiles))
        {
            File.Exists(Path.Combine(city.Directory, file)).ShouldBeTrue(file);
        }
    }

    [Fact]
    public void The_public_security_extract_is_GBK_and_reads_back_with_GBK()
    {
        var path = Path.Combine(city.Directory, "extracts/public_security_hukou.csv");
        var bytes = File.ReadAllBytes(path);
        // GBK text with Chinese is not valid UTF-8.
        Should.Throw<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));
        var rows = GeneratedCity.ReadCsv(path, Encoding.GetEncoding("GBK"), ',');
        rows[0].Keys.ShouldContain("公民身份号码");
        rows[0].Keys.ShouldContain("现住址");
        rows.Count.ShouldBeGreaterThan(GeneratedCity.Persons);
        rows.Count(r => r["现住址"].StartsWith("深圳市", StringComparison.Ordinal)).ShouldBe(rows.Count);
    }

    [Theory]
    [InlineData("extracts/civil_affairs.xlsx", "truth/civil_affairs.csv", "身份证号码")]
    [InlineData("extracts/market_regulation.xlsx", "truth/market_regulation.csv", "统一社会信用代码")]
    public void Xlsx_extracts_open_as_a_zip_with_sheets_whose_rows_match_the_truth(string extract, string truth, string keyColumn)
    {
        var rows = ReadXlsx(Path.Combine(city.Directory, extract));
        rows[0].ShouldContain(keyColumn);
        var truthRows = city.Read(truth);
        (rows.Count - 1).ShouldBe(truthRows.Count);
        rows.Skip(1).Select(r => r[0]).ShouldBe(truthRows.Select(t => t["record_id"]));
    }

    [Fact]
    public void An_xlsx_extract_rolls_over_to_a_new_sheet_at_the_row_limit()
    {
        var directory = Path.Combine(Path.GetTempPath(), "zhiwang-sheets-" + Guid.NewGuid().ToString("N"));
        try
        {
            GeneratedCity.Generate(directory, seed: 3, persons: 10_000, rowsPerSheet: 400);
            using var zip = ZipFile.OpenRead(Path.Combine(directory, "extracts/market_regulation.xlsx"));
            var sheets = zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).ToList();
            sheets.Count.ShouldBeGreaterThan(1);
            var workbook = XDocument.Load(zip.GetEntry("xl/workbook.xml")!.Open());
            workbook.Descendants(Sheet + "sheet").Count().ShouldBe(sheets.Count);
            foreach (var sheet in sheets)
            {
                XDocument.Load(sheet.Open()).Descendants(Sheet + "row").Count().ShouldBeLessThanOrEqualTo(401);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_tax_extract_is_JSON_lines_of_enterprises_and_individuals()
    {
        var lines = File.ReadAllLines(Path.Combine(city.Directory, "extracts/tax_taxpayers.jsonl"), Encoding.UTF8);
        var kinds = new HashSet<string>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            json.RootElement.GetProperty("record_id").GetString().ShouldNotBeNullOrEmpty();
            kinds.Add(json.RootElement.GetProperty("type").GetString()!);
        }

        kinds.ShouldBe(["enterprise", "individual"], ignoreOrder: true);
        lines.Length.ShouldBe(city.Read("truth/tax.csv").Count);
    }

    [Fact]
    public void Every_extract_row_has_a_truth_row_with_the_same_record_id()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var extracts = new (string Extract, string Truth, Func<string, List<string>> RecordIds)[]
        {
            ("extracts/public_security_hukou.csv", "truth/public_security.csv", p => CsvIds(p, Encoding.GetEncoding("GBK"), ',')),
            ("extracts/education_students.csv", "truth/education.csv", p => CsvIds(p, Encoding.UTF8, ',')),
            ("extracts/health_vaccination.csv", "truth/health.csv", p => CsvIds(p, Encoding.UTF8, ',')),
            ("extracts/social_insurance.txt", "truth/social_insurance.csv", p => CsvIds(p, Encoding.UTF8, '|')),
            ("extracts/housing_rental.csv", "truth/housing_rental.csv", p => CsvIds(p, Encoding.UTF8, ',')),
            ("extracts/civil_affairs.xlsx", "truth/civil_affairs.csv", p => ReadXlsx(p).Skip(1).Select(r => r[0]).ToList()),
            ("extracts/market_regulation.xlsx", "truth/market_regulation.csv", p => ReadXlsx(p).Skip(1).Select(r => r[0]).ToList()),
            ("extracts/tax_taxpayers.jsonl", "truth/tax.csv", p => File.ReadAllLines(p).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("record_id").GetString()!).ToList()),
        };
        foreach (var (extract, truth, recordIds) in extracts)
        {
            var ids = recordIds(Path.Combine(city.Directory, extract));
            ids.Count.ShouldBeGreaterThan(0, extract);
            ids.Distinct().Count().ShouldBe(ids.Count, extract);
            ids.ShouldBe(city.Read(truth).Select(t => t["record_id"]).ToList(), extract);
        }
    }

    [Fact]
    public void Truth_rows_point_at_real_persons_entities_and_houses()
    {
        var ids = city.Read("persons.csv").Select(p => p["id_number"]).ToHashSet();
        var codes = city.Read("legal_entities.csv").Select(e => e["credit_code"]).ToHashSet();
        var houses = city.Read("houses.csv").Select(h => h["house_code"]).ToHashSet();
        foreach (var truth in CityGenerator.TruthFiles)
        {
            foreach (var row in city.Read(truth))
            {
                if (row["id_number"].Length > 0)
                {
                    ids.ShouldContain(row["id_number"], truth);
                }

                if (row["credit_code"].Length > 0)
                {
                    codes.ShouldContain(row["credit_code"], truth);
                }

                if (row["house_code"].Length > 0)
                {
                    houses.ShouldContain(row["house_code"], truth);
                }

                if (row["related_id_number"].Length > 0)
                {
                    ids.ShouldContain(row["related_id_number"], truth);
                }
            }
        }
    }

    private static List<string> CsvIds(string path, Encoding encoding, char separator) =>
        GeneratedCity.ReadCsv(path, encoding, separator).Select(r => r.Values.First()).ToList();

    /// <summary>Reads every sheet of a workbook in order: rows of inline-string or number cells.</summary>
    internal static List<string[]> ReadXlsx(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var rows = new List<string[]>();
        var sheetCount = XDocument.Load(zip.GetEntry("xl/workbook.xml")!.Open()).Descendants(Sheet + "sheet").Count();
        for (var i = 1; i <= sheetCount; i++)
        {
            var sheet = XDocument.Load(zip.GetEntry($"xl/worksheets/sheet{i}.xml")!.Open());
            // Every sheet repeats the header row; keep it from the first sheet only.
            rows.AddRange(sheet.Descendants(Sheet + "row").Skip(i == 1 ? 0 : 1)
                .Select(r => r.Elements(Sheet + "c").Select(c => c.Value).ToArray()));
        }

        return rows;
    }
}
