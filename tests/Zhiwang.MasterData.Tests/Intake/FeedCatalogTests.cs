using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Tests.Intake;

public sealed class FeedCatalogTests
{
    [Fact]
    public void The_embedded_catalog_declares_the_eight_departments()
    {
        FeedCatalog.Default.Feeds.Select(feed => feed.Department).Order().ShouldBe(
            ["civil_affairs", "education", "health", "housing_rental", "market_regulation", "public_security", "social_insurance", "tax"]);
    }

    [Theory]
    [InlineData("/data/in/civil_affairs.xlsx", "civil_affairs")]
    [InlineData("PUBLIC_SECURITY_hukou_2025.CSV", "public_security")]
    [InlineData("social_insurance.txt", "social_insurance")]
    [InlineData("tax_taxpayers.jsonl", "tax")]
    public void A_file_finds_its_declaration_by_name(string file, string department)
    {
        FeedCatalog.Default.Match(file)!.Department.ShouldBe(department);
    }

    [Fact]
    public void A_file_no_declaration_covers_matches_none()
    {
        FeedCatalog.Default.Match("weather.csv").ShouldBeNull();
    }

    [Fact]
    public void A_declaration_mapping_an_unknown_hub_field_is_refused_naming_it()
    {
        const string json = """
            { "department": "water", "name": "水务局", "files": ["water*.csv"], "format": "csv", "recordId": "编号",
              "mentions": [ { "kind": "person", "role": "subject", "fields": { "nmae": "姓名" } } ] }
            """;

        var error = Should.Throw<FeedDeclarationException>(() => FeedCatalog.Load(json));

        error.Message.ShouldBe("water: mention 'subject' maps 'nmae', which is not a hub field");
    }

    [Fact]
    public void A_delimited_declaration_without_a_separator_is_refused()
    {
        const string json = """
            { "department": "water", "name": "水务局", "files": ["water*.txt"], "format": "delimited", "recordId": "编号",
              "mentions": [ { "kind": "person", "role": "subject", "fields": { "name": "姓名" } } ] }
            """;

        Should.Throw<FeedDeclarationException>(() => FeedCatalog.Load(json)).Reason.ShouldBe("a delimited feed needs a separator");
    }

    [Theory]
    [InlineData("20140829", "2014-08-29", 1)]
    [InlineData("2014-08-29", "2014-08-29", 0)]
    [InlineData("2014/8/9", "2014-08-09", 2)]
    [InlineData("2014年8月29日", "2014-08-29", 3)]
    [InlineData("2014.08.29", "2014-08-29", 4)]
    [InlineData("201408", "2014-08", 5)]
    [InlineData("2014-02-30", null, -1)]
    [InlineData("29/08/2014", null, -1)]
    public void Dates_in_every_declared_format_become_iso_dates(string text, string? expected, int format)
    {
        var dates = new DateText(["yyyy-MM-dd", "yyyyMMdd", "yyyy/M/d", "yyyy年M月d日", "yyyy.MM.dd", "yyyyMM"]);

        dates.Normalise(text, out var used).ShouldBe(expected);
        used.ShouldBe(format);
    }
}
