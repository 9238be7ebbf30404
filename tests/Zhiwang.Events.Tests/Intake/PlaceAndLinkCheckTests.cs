using Dapper;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Intake;
using Zhiwang.Geo;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Events.Tests.Intake;

/// <summary>A place given only as an address, and links to golden records, as intake judges them.</summary>
public sealed class PlaceAndLinkCheckTests
{
    private const string Address = "福田区福华路88号赛格花园3栋1202室";

    private static readonly Grid Building = CityMap.Shenzhen.Grids.Where(g => g.DistrictCode == "440304").ElementAt(2);

    private static readonly AddressPlace Matched = new(
        Building.Boundary.InteriorPoint.Y, Building.Boundary.InteriorPoint.X, Building.Code, "440304000007701202X", "4403040000077",
        "深圳市福田区福田街道福华路88号赛格花园3栋1202室", "tolerant");

    private static EventClass Class => EventCatalogue.Default.Classes.First(c => c.Code == "H0103");

    private static EventReportRequest ByAddress(string? address, params LinkRequest[] links) =>
        new(Class.Code, "楼道里停了三辆电动自行车。", new PlaceRequest(null, null, address), SampleAttributes.Required(Class), Links: [.. links]);

    private static Task<(EventReport? Report, IReadOnlyList<ReportProblem> Problems)> CheckAsync(EventReportRequest request, IAddressBase addresses) =>
        ReportCheck.CheckAsync(request, EventCatalogue.Default, CityMap.Shenzhen, addresses, Channels.Hotline, "dispatcher1", "dispatcher1", null, CancellationToken.None);

    [Fact]
    public async Task A_report_with_only_an_address_is_placed_at_the_matched_building_in_its_grid()
    {
        var (report, problems) = await CheckAsync(ByAddress(Address), new FakeAddressBase(AddressLookup.Matched(Matched)));

        problems.ShouldBeEmpty();
        report.ShouldNotBeNull();
        report.GridCode.ShouldBe(Building.Code);
        report.CommunityCode.ShouldBe(Building.CommunityCode);
        (report.Lat, report.Lon).ShouldBe((Matched.Lat, Matched.Lon));
        report.Address.ShouldBe(Address);
        report.PlacedBy.ShouldBe(Matched);
    }

    [Fact]
    public async Task An_address_that_matches_no_standard_address_is_refused_naming_place_address()
    {
        var (report, problems) = await CheckAsync(ByAddress("火星路1号"), new FakeAddressBase(AddressLookup.Unmatched));

        report.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.Field.ShouldBe("place.address");
        problem.Reason.ShouldStartWith("'火星路1号' matched no standard address; send lat and lon, or the standard address");
    }

    [Fact]
    public async Task Without_an_address_base_an_address_alone_is_refused_naming_the_place()
    {
        var (report, problems) = await CheckAsync(ByAddress(Address), new FakeAddressBase(AddressLookup.NoBase));

        report.ShouldBeNull();
        var problem = problems.ShouldHaveSingleItem();
        problem.Field.ShouldBe("place");
        problem.Reason.ShouldContain("no standard address base is loaded");
    }

    [Fact]
    public async Task A_report_with_a_point_never_asks_the_address_base()
    {
        var addresses = new FakeAddressBase(AddressLookup.Unmatched);
        var point = Building.Boundary.InteriorPoint;

        var (report, problems) = await CheckAsync(
            new EventReportRequest(Class.Code, "楼道里停了三辆电动自行车。", new PlaceRequest(point.Y, point.X, "火星路1号"), SampleAttributes.Required(Class)),
            addresses);

        problems.ShouldBeEmpty();
        report!.PlacedBy.ShouldBeNull();
        addresses.Asked.ShouldBe(0);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_event_placed_by_its_address_says_so_on_its_timeline(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var (report, _) = await CheckAsync(ByAddress(Address), new FakeAddressBase(AddressLookup.Matched(Matched)));

        var receipt = await fixture.Intake.SubmitAsync(report!, CancellationToken.None);

        var view = await fixture.ViewAsync(receipt.EventId);
        view.GridCode.ShouldBe(Building.Code);
        var detail = view.Timeline.First().Detail!;
        detail.ShouldContain("\"place\":\"address\"");
        detail.ShouldContain("\"addressMatch\":\"tolerant\"");
        detail.ShouldContain(Matched.HouseCode);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task An_online_opinion_row_with_an_address_and_no_point_is_placed_by_the_address(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var import = new OpinionImport(fixture.Intake, CityMap.Shenzhen, new FakeAddressBase(AddressLookup.Matched(Matched)));
        var csv = "ref,class,description,address,attr.bikes\n"
            + $"wb-1,{Class.Code},网友反映楼道停放电动车,{Address},3\n"
            + $"wb-2,{Class.Code},网友反映某处停放电动车,,3\n";

        var result = await import.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv)), EventCatalogue.Default, CancellationToken.None);

        result.Stored.ShouldBe(1);
        var error = result.Errors.ShouldHaveSingleItem();
        (error.Row, error.Field).ShouldBe((3, "place"));
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.QuerySingleAsync<string>("SELECT grid_code FROM event WHERE client_key = 'wb-1'")).ShouldBe(Building.Code);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_link_to_a_golden_record_that_does_not_exist_is_refused_naming_it_and_stores_nothing(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        fixture.GoldenRecords.Add("person", "P0001");
        var point = Building.Boundary.InteriorPoint;
        var request = new EventReportRequest(
            Class.Code, "楼道里停了三辆电动自行车。", new PlaceRequest(point.Y, point.X, null), SampleAttributes.Required(Class),
            Links: [new LinkRequest("person", "P0001"), new LinkRequest("house", "440304000007701202X")]);

        var refused = await Should.ThrowAsync<ReportRefusedException>(() => fixture.ReportAsync(request));
        var stored = await fixture.ReportAsync(request with { Links = [new LinkRequest("person", "P0001")] });

        var problem = refused.Problems.ShouldHaveSingleItem();
        problem.Field.ShouldBe("links[1].goldenId");
        problem.Reason.ShouldContain("'440304000007701202X' is not the golden id of a house");
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event")).ShouldBe(1);
        (await connection.QueryAsync<string>("SELECT golden_id FROM event_link WHERE event_id = @EventId", new { stored.EventId })).ShouldBe(["P0001"]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_batch_of_linked_reports_asks_the_golden_records_once_and_reports_without_links_not_at_all(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        fixture.GoldenRecords.Add("person", "P0001");
        var eventClass = fixture.CommunityClass();

        await fixture.ReportAsync(EventsFixture.Report(eventClass));
        fixture.GoldenRecords.Asked.ShouldBe(0);

        var reports = Enumerable.Range(0, 50).Select(i => fixture.ReportAsync(
            EventsFixture.Report(eventClass, description: $"第{i}起") with { Links = [new LinkRequest("person", "P0001")] }, clientKey: $"k{i}"));
        await Task.WhenAll(reports);

        // Reports that arrive together share a batch: far fewer questions than reports.
        fixture.GoldenRecords.Asked.ShouldBeLessThan(50);
    }
}
