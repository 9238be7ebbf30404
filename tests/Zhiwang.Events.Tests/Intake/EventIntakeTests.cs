using Dapper;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Intake;
using Zhiwang.Geo;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Events.Tests.Intake;

public sealed class EventIntakeTests
{
    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_report_is_stored_and_dispatched_at_once_to_the_unit_the_catalogue_names(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var eventClass = fixture.CommunityClass();
        var (grid, _) = EventsFixture.Place();

        var receipt = await fixture.ReportAsync(EventsFixture.Report(eventClass));

        receipt.State.ShouldBe("dispatched");
        receipt.AlreadyReported.ShouldBeFalse();
        receipt.Level.ShouldBe("community");
        receipt.Department.ShouldBe(eventClass.Departments[Level.Community]);
        receipt.UnitDivision.ShouldBe(grid.CommunityCode);
        receipt.AcceptDue.ShouldBe(BusinessCalendar.China.Add(EventsFixture.Start, eventClass.AcceptWithin));
        receipt.HandleDue.ShouldBe(BusinessCalendar.China.Add(EventsFixture.Start, eventClass.HandleWithin));

        var view = await fixture.ViewAsync(receipt.EventId);
        view.GridCode.ShouldBe(grid.Code);
        view.CatalogueVersion.ShouldBe(1);
        view.Timeline.Select(t => t.Action).ShouldBe(["report", "accept", "dispatch"]);
        view.Timeline[0].Actor.ShouldBe("worker1");
        view.Assignments.Single().Department.ShouldBe(eventClass.Departments[Level.Community]);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task The_same_client_key_twice_is_one_event(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var request = EventsFixture.Report(fixture.CommunityClass());

        var first = await fixture.ReportAsync(request, clientKey: "phone-42-0001");
        var second = await fixture.ReportAsync(request, clientKey: "phone-42-0001");
        var other = await fixture.ReportAsync(request, clientKey: "phone-42-0002");

        second.EventId.ShouldBe(first.EventId);
        second.AlreadyReported.ShouldBeTrue();
        second.Token.ShouldBe(first.Token);
        other.EventId.ShouldNotBe(first.EventId);
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event")).ShouldBe(2);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_assignment")).ShouldBe(2);
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Reports_sent_together_are_each_stored_once_with_their_own_timeline_and_deadlines(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var eventClass = fixture.CommunityClass();

        // Sent at once, they share the writer's transactions; the repeated keys must still come back as one event each.
        var receipts = await Task.WhenAll(Enumerable.Range(0, 120).Select(i =>
            fixture.ReportAsync(EventsFixture.Report(eventClass, placeIndex: i % 7, description: $"第{i % 100}号报告"), clientKey: $"k{i % 100}")));

        receipts.Select(r => r.EventId).Distinct().Count().ShouldBe(100);
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event")).ShouldBe(100);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_timeline")).ShouldBe(300);
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_timer")).ShouldBe(200); // two warnings each
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task In_a_mixed_batch_every_assignment_timer_timeline_line_and_link_belongs_to_the_event_it_was_reported_for(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        fixture.GoldenRecords.Add("person", "P0001");
        var eventClass = fixture.CommunityClass();
        var before = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            fixture.ReportAsync(EventsFixture.Report(eventClass, description: $"先报的第{i}起"), clientKey: $"k{i}")));

        // Sent at once, so they share batches: keys stored before, online opinion (no unit yet), linked and plain reports.
        var receipts = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
        {
            var report = EventsFixture.Report(eventClass, placeIndex: i % 5, description: $"第{i}起");
            if (i % 3 == 0)
            {
                report = report with { Links = [new LinkRequest("person", "P0001")] };
            }

            return fixture.ReportAsync(
                report, clientKey: $"k{i}", submitter: i % 4 == 1 ? "dispatcher1" : "worker1",
                channel: i % 4 == 1 ? Channels.OnlineOpinion : Channels.GridWorker);
        }));

        receipts.Where(r => r.AlreadyReported).Select(r => r.EventId).Order().ShouldBe(before.Where((_, i) => i % 4 != 1).Select(r => r.EventId).Order());
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        var events = (await connection.QueryAsync<(long EventId, string State, string? Department, string Description)>(
            "SELECT event_id, state, department, description FROM event")).ToList();
        foreach (var (eventId, state, department, description) in events)
        {
            var assignments = (await connection.QueryAsync<(long AssignmentId, string Department)>(
                "SELECT assignment_id, department FROM event_assignment WHERE event_id = @eventId", new { eventId })).ToList();
            var timers = (await connection.QueryAsync<long>("SELECT ref_id FROM event_timer WHERE event_id = @eventId", new { eventId })).ToList();
            var actions = (await connection.QueryAsync<string>(
                "SELECT action FROM event_timeline WHERE event_id = @eventId ORDER BY seq", new { eventId })).ToList();
            if (state == "dispatched")
            {
                assignments.ShouldHaveSingleItem().Department.ShouldBe(department);
                timers.Count.ShouldBe(2);
                timers.ShouldAllBe(refId => refId == assignments[0].AssignmentId);
                actions.ShouldBe(["report", "accept", "dispatch"]);
            }
            else
            {
                state.ShouldBe("reported", description);
                assignments.ShouldBeEmpty();
                timers.ShouldBeEmpty();
                actions.ShouldBe(["report"]);
            }

            var linked = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM event_link WHERE event_id = @eventId", new { eventId });
            var number = int.Parse(description.TrimStart('先', '报', '的', '第').TrimEnd('起'), System.Globalization.CultureInfo.InvariantCulture);
            linked.ShouldBe(description.StartsWith('第') && number % 3 == 0 ? 1 : 0, description);
        }

        events.Count.ShouldBe(63); // 10 before, 60 sent, 7 of them keys of worker1 stored before
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_report_of_the_same_class_near_an_open_one_is_flagged_as_a_likely_duplicate(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        var eventClass = fixture.CommunityClass();
        var first = await fixture.ReportAsync(EventsFixture.Report(eventClass));
        fixture.Clock.Advance(TimeSpan.FromHours(2));

        var again = await fixture.ReportAsync(EventsFixture.Report(eventClass, description: "同一处噪声，又有人打电话来"));
        var elsewhere = await fixture.ReportAsync(EventsFixture.Report(eventClass, placeIndex: 40));

        again.PossibleDuplicateOf.ShouldBe(first.EventId);
        elsewhere.PossibleDuplicateOf.ShouldBeNull();
        first.PossibleDuplicateOf.ShouldBeNull();

        // The event and its report line say so too.
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        foreach (var (receipt, duplicateOf) in new[] { (first, (long?)null), (again, first.EventId), (elsewhere, null) })
        {
            (await connection.ExecuteScalarAsync<long?>(
                "SELECT possible_duplicate_of FROM event WHERE event_id = @EventId", new { receipt.EventId })).ShouldBe(duplicateOf);
            var detail = await connection.ExecuteScalarAsync<string>(
                "SELECT detail FROM event_timeline WHERE event_id = @EventId AND seq = 1", new { receipt.EventId });
            using var json = System.Text.Json.JsonDocument.Parse(detail!);
            var said = json.RootElement.GetProperty("possibleDuplicateOf");
            (said.ValueKind == System.Text.Json.JsonValueKind.Null ? (long?)null : said.GetInt64()).ShouldBe(duplicateOf);
            json.RootElement.GetProperty("class").GetString().ShouldBe(eventClass.Code);
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Nearness_is_measured_in_metres_whatever_cells_of_the_index_lie_between(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);
        const double MetresPerDegree = 6_371_000 * Math.PI / 180;
        var steps = new (double North, double East, bool Flagged)[] { (190, 0, true), (0, 190, true), (134, 134, true), (210, 0, false), (0, 210, false) };
        // A place 10 m south and 10 m west of a corner of the 0.002° cells PostgreSQL's event_nearby index is keyed by,
        // so each step ends in another cell (the third diagonally), and far enough inside a community that every step
        // stays in it.
        var places =
            from index in Enumerable.Range(0, 50)
            let point = EventsFixture.Place(index).Point
            let lat = ((Math.Floor(point.Y / 0.002) + 1) * 0.002) - (10 / MetresPerDegree)
            let perDegreeEast = MetresPerDegree * Math.Cos(lat * Math.PI / 180)
            let lon = ((Math.Floor(point.X / 0.002) + 1) * 0.002) - (10 / perDegreeEast)
            let stepped = steps.Select(step => (Lat: lat + (step.North / MetresPerDegree), Lon: lon + (step.East / perDegreeEast))).ToList()
            let communities = stepped.Append((Lat: lat, Lon: lon)).Select(p => CityMap.Shenzhen.GridAt(p.Lon, p.Lat)?.CommunityCode).Distinct().ToList()
            where communities is [not null]
            select (Lat: lat, Lon: lon, Stepped: stepped);
        var place = places.First();

        // A class per step, so that each step is compared with its own first report only.
        var classes = fixture.Catalogue.Classes.Where(c => !c.Group.StartsWith("other", StringComparison.Ordinal)).Take(steps.Length).ToList();
        for (var i = 0; i < steps.Length; i++)
        {
            var first = await fixture.ReportAsync(At(classes[i], place.Lat, place.Lon));
            var near = await fixture.ReportAsync(At(classes[i], place.Stepped[i].Lat, place.Stepped[i].Lon));

            var (north, east, flagged) = steps[i];
            near.PossibleDuplicateOf.ShouldBe(flagged ? first.EventId : null, $"{north} m north and {east} m east of an open event of its class");
        }

        static EventReportRequest At(EventClass eventClass, double lat, double lon) =>
            EventsFixture.Report(eventClass) with { Place = new PlaceRequest(lat, lon, null) };
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task Online_opinion_waits_for_a_dispatcher_to_accept_it(DatabaseProvider provider)
    {
        await using var fixture = await EventsFixture.CreateAsync(provider);

        var receipt = await fixture.ReportAsync(EventsFixture.Report(fixture.CommunityClass()), submitter: "dispatcher1", channel: Channels.OnlineOpinion);

        receipt.State.ShouldBe("reported");
        receipt.Department.ShouldBeNull();
        var queue = await fixture.Queries.QueueAsync(Zhiwang.Events.Queries.Queue.Dispatcher, EventsFixture.Dispatcher(), 10, CancellationToken.None);
        queue.Single().EventId.ShouldBe(receipt.EventId);
    }

    [Fact]
    public void A_token_starts_with_the_second_it_was_issued_so_later_tokens_sort_after_earlier_ones()
    {
        var noon = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
        var tokens = new[] { noon, noon.AddSeconds(1), noon.AddSeconds(31), noon.AddSeconds(32), noon.AddDays(400) }
            .Select(EventIntake.NewToken).ToList();

        tokens.ShouldAllBe(t => t.Length == 22 && t.All(ch => "23456789abcdefghijkmnpqrstuvwxyz".Contains(ch)));
        tokens.ShouldBe(tokens.Order(StringComparer.Ordinal).ToList());
        tokens.Select(t => t[..6]).Distinct().Count().ShouldBe(tokens.Count);

        // The rest is random: two tokens of one second share only their time.
        var sameSecond = Enumerable.Range(0, 100).Select(_ => EventIntake.NewToken(noon)).ToList();
        var issued = tokens[0][..6];
        sameSecond.ShouldAllBe(t => t.StartsWith(issued, StringComparison.Ordinal));
        sameSecond.Distinct().Count().ShouldBe(100);
    }

    [Fact]
    public void A_bad_report_is_refused_with_every_problem_named_by_its_field()
    {
        var catalogue = EventCatalogue.Default;
        var eventClass = catalogue.Classes.First(c => c.Attributes.Any(a => a.Required));

        var (report, problems) = ReportCheck.Check(
            new EventReportRequest(eventClass.Code, " ", new PlaceRequest(39.9, 116.4, null), [], new ReporterRequest("李四", "call me")),
            catalogue, CityMap.Shenzhen, Channels.Hotline, "dispatcher1", null, null);

        report.ShouldBeNull();
        var fields = problems.Select(p => p.Field).ToList();
        fields.ShouldContain("description");
        fields.ShouldContain("place");
        fields.ShouldContain("reporter.phone");
        fields.ShouldContain($"attributes.{eventClass.Attributes.First(a => a.Required).Name}");
        problems.First(p => p.Field == "place").Reason.ShouldContain("outside the city");
    }

    [Fact]
    public void An_unknown_class_is_refused()
    {
        var (_, point) = EventsFixture.Place();
        var (report, problems) = ReportCheck.Check(
            new EventReportRequest("X9999", "某事", new PlaceRequest(point.Y, point.X, null), null),
            EventCatalogue.Default, CityMap.Shenzhen, Channels.Hotline, "dispatcher1", null, null);

        report.ShouldBeNull();
        problems.Single().Field.ShouldBe("class");
        problems.Single().Reason.ShouldContain("'X9999' is not a class");
    }
}
