using System.Text;
using Zhiwang.Cli.Commands;

namespace Zhiwang.Cli.Tests;

public sealed class LinkCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("zhiwang-link-");

    private static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zhiwang.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Zhiwang.slnx not found");
    }

    [Fact]
    public async Task Link_writes_a_cluster_for_every_record_and_a_summary()
    {
        var root = Root();
        var output = Path.Combine(_directory.FullName, "clusters.csv");
        var pairs = Path.Combine(_directory.FullName, "pairs.csv");
        var explain = Path.Combine(_directory.FullName, "explain.jsonl");

        var run = await CliRun.RunAsync(
            "link", "--settings", Path.Combine(root, "bench/linkage/febrl1.json"), "--input", Path.Combine(root, "bench/linkage/data/febrl/dataset1.csv"),
            "--out", output, "--pairs", pairs, "--explain", explain);

        run.ExitCode.ShouldBe(0, run.Error);
        run.Output.ShouldContain("Linked 1,000 records");
        var lines = await File.ReadAllLinesAsync(output);
        lines[0].ShouldBe("record_id,cluster_id");
        lines.Length.ShouldBe(1001);
        lines.Select(l => l.Split(',')[1]).Skip(1).Distinct().Count().ShouldBeInRange(490, 510);
        (await File.ReadAllLinesAsync(pairs))[0].ShouldBe("left_id,right_id,match_weight,match_probability");
        (await File.ReadAllLinesAsync(explain)).First().ShouldContain("\"running_total\"");
    }

    [Fact]
    public async Task A_column_missing_from_the_input_is_an_error_naming_settings_column_and_file()
    {
        var input = Path.Combine(_directory.FullName, "people.csv");
        await File.WriteAllTextAsync(input, "id,name\n1,wang\n");
        var settings = Path.Combine(_directory.FullName, "people.json");
        await File.WriteAllTextAsync(settings, """
            { "unique_id_column": "id", "blocking_rules": [["birth_date"]], "comparisons": [{ "column": "name", "levels": ["exact"] }] }
            """);

        var run = await CliRun.RunAsync("link", "--settings", settings, "--input", input, "--out", Path.Combine(_directory.FullName, "out.csv"));

        run.ExitCode.ShouldBe(1);
        run.Error.ShouldContain("people.json");
        run.Error.ShouldContain("'birth_date'");
        run.Error.ShouldContain(input);
    }

    [Fact]
    public async Task Gbk_input_is_detected_and_utf8_is_kept()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Path.Combine(_directory.FullName, "gbk.csv");
        var utf8 = Path.Combine(_directory.FullName, "utf8.csv");
        await File.WriteAllTextAsync(gbk, "id,name\n1,张伟\n", Encoding.GetEncoding(936));
        await File.WriteAllTextAsync(utf8, "id,name\n1,张伟\n", new UTF8Encoding(true));

        LinkCommand.DetectEncoding(gbk).CodePage.ShouldBe(936);
        LinkCommand.DetectEncoding(utf8).CodePage.ShouldBe(65001);
    }

    public void Dispose() => _directory.Delete(recursive: true);
}
