using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Tests.Intake;

/// <summary>Every department extract of a generated city reads without row errors and its keys are the truth's.</summary>
public sealed class FeedReaderCityTests(IntakeCity city) : IClassFixture<IntakeCity>
{
    public static TheoryData<string> Departments() =>
        ["public_security", "civil_affairs", "education", "health", "social_insurance", "housing_rental", "market_regulation", "tax"];

    [Fact]
    public void Every_extract_of_the_city_has_one_declaration()
    {
        var files = Directory.GetFiles(Path.Combine(city.Directory, "extracts"));
        files.Length.ShouldBe(8);
        files.Select(file => FeedCatalog.Default.Match(file)?.Department).Distinct().Count().ShouldBe(8);
    }

    [Theory]
    [MemberData(nameof(Departments))]
    public async Task A_feed_reads_every_row_and_its_valid_keys_are_the_true_ones(string department)
    {
        var feed = FeedCatalog.Default.Find(department)!;
        var truth = city.Truth(department);
        var records = new List<ParsedRecord>();
        var errors = new List<RowError>();
        await foreach (var row in FeedReader.ReadAsync(feed, city.Extract(department), city.Addresses, CancellationToken.None))
        {
            if (row.IsError)
            {
                errors.Add(row.Error!);
            }
            else
            {
                records.Add(row.Record!);
            }
        }

        errors.ShouldBeEmpty();
        records.Count.ShouldBe(truth.Count);
        int keyed = 0, right = 0;
        foreach (var record in records)
        {
            record.Department.ShouldBe(department);
            var t = truth[record.RecordId];
            foreach (var mention in record.Mentions)
            {
                var (field, expected) = mention.Kind switch
                {
                    MentionKind.Person => (HubFields.IdNumber, mention.Role == "subject" ? t[0] : t[3]),
                    MentionKind.LegalEntity => (HubFields.CreditCode, t[1]),
                    _ => (HubFields.HouseCode, t[2]),
                };
                var untrusted = record.Issues.Any(issue => issue.Field == $"{mention.Role}.{field}");
                if (mention.Fields.GetValueOrDefault(field) is { } value && !untrusted
                    && (mention.Kind != MentionKind.House || mention.Fields.GetValueOrDefault(HubFields.AddressMatch) is null))
                {
                    keyed++;
                    right += value == expected ? 1 : 0;
                }
            }
        }

        keyed.ShouldBeGreaterThan(records.Count / 2);
        ((double)right / keyed).ShouldBeGreaterThanOrEqualTo(0.99, $"{right} of {keyed} valid keys are the true ones");
    }

    [Fact]
    public async Task Workbooks_continue_on_sheets_of_the_same_prefix_with_the_header_repeated()
    {
        var files = new HashSet<string>();
        var count = 0;
        await foreach (var row in FeedReader.ReadAsync(FeedCatalog.Default.Find("market_regulation")!, city.Extract("market_regulation"), null, CancellationToken.None))
        {
            row.IsError.ShouldBeFalse();
            files.Add(row.Record!.File);
            count++;
        }

        count.ShouldBeGreaterThan(IntakeCity.RowsPerSheet * 2);
        files.ShouldContain("market_regulation.xlsx[商事主体]");
        files.ShouldContain("market_regulation.xlsx[商事主体2]");
    }

    [Fact]
    public async Task Addresses_find_their_true_house_except_the_stale_ones()
    {
        var truth = city.Truth("public_security");
        int total = 0, right = 0;
        await foreach (var row in FeedReader.ReadAsync(FeedCatalog.Default.Find("public_security")!, city.Extract("public_security"), city.Addresses, CancellationToken.None))
        {
            var subject = row.Record!.Mentions.Single();
            total++;
            right += subject.Fields.GetValueOrDefault(HubFields.HouseCode) == truth[row.Record.RecordId][2] ? 1 : 0;
        }

        // 3% of addresses are deliberately another house's (the previous address).
        ((double)right / total).ShouldBeGreaterThan(0.95);
    }

    [Fact]
    public async Task Rental_landlords_are_persons_or_legal_entities_by_the_shape_of_their_key()
    {
        var kinds = new HashSet<MentionKind>();
        await foreach (var row in FeedReader.ReadAsync(FeedCatalog.Default.Find("housing_rental")!, city.Extract("housing_rental"), null, CancellationToken.None))
        {
            var landlord = row.Record!.Mentions.SingleOrDefault(mention => mention.Role == "landlord");
            if (landlord is null)
            {
                continue;
            }

            kinds.Add(landlord.Kind);
            if (landlord.Fields.GetValueOrDefault(HubFields.CreditCode) is { } code)
            {
                landlord.Kind.ShouldBe(MentionKind.LegalEntity);
                landlord.Fields.ContainsKey(HubFields.IdNumber).ShouldBeFalse(code);
            }
        }

        kinds.ShouldBe([MentionKind.Person, MentionKind.LegalEntity], ignoreOrder: true);
    }

    [Fact]
    public async Task Progress_reaches_the_end_of_the_file()
    {
        var reports = new List<FeedProgress>();
        var progress = new SynchronousProgress(reports);
        var rows = 0;
        await foreach (var _ in FeedReader.ReadAsync(FeedCatalog.Default.Find("public_security")!, city.Extract("public_security"), null, progress, CancellationToken.None))
        {
            rows++;
        }

        reports.ShouldNotBeEmpty();
        reports[^1].Rows.ShouldBe(rows);
        reports[^1].Bytes.ShouldBe(reports[^1].TotalBytes!.Value);
    }

    private sealed class SynchronousProgress(List<FeedProgress> reports) : IProgress<FeedProgress>
    {
        public void Report(FeedProgress value) => reports.Add(value);
    }
}
