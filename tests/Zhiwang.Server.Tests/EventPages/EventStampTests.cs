using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Zhiwang.Access;
using Zhiwang.Events.Queries;
using Zhiwang.Server.Events;
using Zhiwang.Server.Tests.Events;
using static Zhiwang.Server.Tests.Events.EventsAppFactory;

namespace Zhiwang.Server.Tests.EventPages;

public sealed partial class EventStampTests(EventsAppFactory app) : IClassFixture<EventsAppFactory>
{
    [Fact]
    public async Task The_stamp_is_the_pages_own_and_stays_the_same_while_nothing_happens_to_the_event()
    {
        var (eventId, handler) = await ReportedAsync();
        var page = await handler.GetStringAsync(new Uri($"/events/{eventId}", UriKind.Relative));

        var first = await StampAsync(handler, eventId);
        await app.ReportAsync("隔壁另一起噪声");
        await handler.GetStringAsync(new Uri($"/api/events/{eventId}", UriKind.Relative));
        var second = await StampAsync(handler, eventId);

        first.ShouldBe(PageStamp().Match(page).Groups["stamp"].Value, "the page polls for the stamp it was drawn with");
        second.ShouldBe(first, "another event and a read of this one change nothing on its page");
    }

    [Fact]
    public async Task The_stamp_changes_after_an_action_a_supervision_order_an_answer_and_a_photo()
    {
        var (eventId, handler) = await ReportedAsync();
        var (supervisor, _) = await app.SignedInAsync(Roles.Supervisor, Grid.DistrictCode);
        var (worker, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);
        var stamps = new List<string> { await StampAsync(handler, eventId) };

        (await handler.PostAsJsonAsync($"/api/events/{eventId}/actions/take", new { })).EnsureSuccessStatusCode();
        stamps.Add(await StampAsync(handler, eventId));
        using var order = await supervisor.PostAsJsonAsync($"/api/events/{eventId}/supervision", new { instruction = "请今天内联系当事人", within = "4h" });
        order.EnsureSuccessStatusCode();
        stamps.Add(await StampAsync(handler, eventId));
        var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetInt64();
        (await handler.PostAsJsonAsync($"/api/events/{eventId}/supervision/{orderId}/answer", new { answer = "已电话联系" })).EnsureSuccessStatusCode();
        stamps.Add(await StampAsync(handler, eventId));
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];
        using var photo = new MultipartFormDataContent { { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "photo", "scene.png" } };
        (await worker.PostAsync(new Uri($"/api/events/{eventId}/photos", UriKind.Relative), photo)).EnsureSuccessStatusCode();
        stamps.Add(await StampAsync(handler, eventId));

        stamps.ShouldBeUnique();
    }

    [Fact]
    public async Task Someone_who_may_not_see_the_event_gets_no_stamp_as_if_it_did_not_exist()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var grids = Zhiwang.Geo.CityMap.Shenzhen.Grids;
        var (stranger, _) = await app.SignedInAsync(Roles.GridWorker, grids.First(g => g.DistrictCode != Grid.DistrictCode).Code);
        // The same department in the next community: not the unit the event went to.
        var nextCommunity = grids.First(g => g.DistrictCode == Grid.DistrictCode && g.CommunityCode != Grid.CommunityCode).CommunityCode;
        var (otherUnit, _) = await app.SignedInAsync(Roles.EventHandler, nextCommunity, receipt.GetProperty("department").GetString());
        var (dispatcher, _) = await app.SignedInAsync(Roles.Dispatcher, Grid.DistrictCode);

        using var strangers = await stranger.GetAsync(new Uri($"/events/{eventId}/stamp", UriKind.Relative));
        using var otherUnits = await otherUnit.GetAsync(new Uri($"/events/{eventId}/stamp", UriKind.Relative));
        using var missing = await dispatcher.GetAsync(new Uri($"/events/{eventId + 1_000_000}/stamp", UriKind.Relative));
        using var dispatchers = await dispatcher.GetAsync(new Uri($"/events/{eventId}/stamp", UriKind.Relative));
        using var anonymous = await app.CreateClient(new() { AllowAutoRedirect = false }).GetAsync(new Uri($"/events/{eventId}/stamp", UriKind.Relative));

        strangers.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        otherUnits.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        dispatchers.StatusCode.ShouldBe(HttpStatusCode.OK);
        anonymous.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public void The_stamp_changes_when_time_alone_changes_the_page_and_not_otherwise()
    {
        var due = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var handling = new EventStamp(3, 4, "in_handling", Overdue: false, due, ReopenUntil: null);
        var closed = new EventStamp(9, 12, "closed", Overdue: false, due, ReopenUntil: due.AddDays(7));

        string At(EventStamp stamp, DateTimeOffset now) => EventPageEndpoints.Stamp(stamp, now);

        At(handling, due.AddDays(-3)).ShouldBe(At(handling, due.AddDays(-2)), "nothing on the page turns between these two");
        At(handling, due.AddHours(-12)).ShouldNotBe(At(handling, due.AddDays(-2)), "the badge turns to due soon");
        At(handling, due.AddMinutes(1)).ShouldNotBe(At(handling, due.AddHours(-12)), "the badge turns to overdue");
        At(closed, due.AddDays(1)).ShouldBe(At(closed, due.AddDays(2)), "a closed event has no deadline running");
        At(closed, due.AddDays(8)).ShouldNotBe(At(closed, due.AddDays(6)), "the reopen button goes when the period ends");
    }

    /// <summary>A noise dispute reported and dispatched to its community; returns it and a handler of that unit.</summary>
    private async Task<(long EventId, HttpClient Handler)> ReportedAsync()
    {
        var receipt = await app.ReportAsync();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        return (receipt.GetProperty("eventId").GetInt64(), handler);
    }

    private static async Task<string> StampAsync(HttpClient client, long eventId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/events/{eventId}/stamp")).GetProperty("stamp").GetString()!;

    [GeneratedRegex("data-stamp=\"(?<stamp>[^\"]+)\"")]
    private static partial Regex PageStamp();
}
