using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Zhiwang.Access;
using Zhiwang.Server.Tests.Events;
using static Zhiwang.Server.Tests.Events.EventsAppFactory;

namespace Zhiwang.Server.Tests.EventPages;

public sealed class EventLiveTests(EventsAppFactory app) : IClassFixture<EventsAppFactory>
{
    [Fact]
    public async Task The_event_pages_stream_says_changed_within_seconds_of_an_action_on_it_and_not_for_another_event()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        await using var stream = await ServerSentEvents.OpenAsync(handler, $"/events/{eventId}/live");
        await stream.QuietAsync();

        await app.ReportAsync("隔壁另一起噪声");
        (await stream.NextAsync(TimeSpan.FromSeconds(3))).ShouldBeNull("another event changed, not this one");

        (await handler.PostAsJsonAsync($"/api/events/{eventId}/actions/take", new { })).EnsureSuccessStatusCode();
        (await stream.NextAsync(TimeSpan.FromSeconds(5))).ShouldBe("changed");
    }

    [Fact]
    public async Task The_queue_stream_says_changed_for_an_event_in_the_users_scope_only()
    {
        var (dispatcher, _) = await app.SignedInAsync(Roles.Dispatcher, Grid.DistrictCode);
        var otherDistrict = Zhiwang.Geo.CityMap.Shenzhen.Grids.First(g => g.DistrictCode != Grid.DistrictCode).DistrictCode;
        var (elsewhere, _) = await app.SignedInAsync(Roles.Dispatcher, otherDistrict);
        await using var mine = await ServerSentEvents.OpenAsync(dispatcher, "/events/live");
        await using var theirs = await ServerSentEvents.OpenAsync(elsewhere, "/events/live");
        await mine.QuietAsync();
        await theirs.QuietAsync();

        await app.ReportAsync();

        (await mine.NextAsync(TimeSpan.FromSeconds(5))).ShouldBe("changed");
        (await theirs.NextAsync(TimeSpan.FromSeconds(2))).ShouldBeNull("the event lies outside that dispatcher's district");
    }

    [Fact]
    public async Task Someone_who_may_not_see_the_event_gets_no_stream_as_if_it_did_not_exist()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (stranger, _) = await app.SignedInAsync(Roles.GridWorker, Zhiwang.Geo.CityMap.Shenzhen.Grids.First(g => g.DistrictCode != Grid.DistrictCode).Code);
        using var anonymous = app.CreateClient(new() { AllowAutoRedirect = false });

        using var strangers = await stranger.GetAsync(new Uri($"/events/{eventId}/live", UriKind.Relative));
        using var anonymousEvent = await anonymous.GetAsync(new Uri($"/events/{eventId}/live", UriKind.Relative));
        using var anonymousQueue = await anonymous.GetAsync(new Uri("/events/live", UriKind.Relative));

        strangers.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        anonymousEvent.StatusCode.ShouldNotBe(HttpStatusCode.OK);
        anonymousQueue.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    /// <summary>An open text/event-stream, its messages' event names read in the background as they arrive.</summary>
    private sealed class ServerSentEvents : IAsyncDisposable
    {
        private readonly HttpResponseMessage _response;
        private readonly CancellationTokenSource _closing = new();
        private readonly Channel<string> _events = Channel.CreateUnbounded<string>();
        private readonly Task _reading;

        private ServerSentEvents(HttpResponseMessage response)
        {
            _response = response;
            _reading = ReadAsync();
        }

        public static async Task<ServerSentEvents> OpenAsync(HttpClient client, string path)
        {
            var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path), HttpCompletionOption.ResponseHeadersRead);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
            return new ServerSentEvents(response);
        }

        /// <summary>The next message's event name, or null when none came within <paramref name="within"/>.</summary>
        public async Task<string?> NextAsync(TimeSpan within)
        {
            using var timeout = new CancellationTokenSource(within);
            try
            {
                return await _events.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        /// <summary>
        /// Lets pass what the stream tells of changes made just before it opened (the watcher looks a few seconds back),
        /// until it is quiet.
        /// </summary>
        public async Task QuietAsync()
        {
            while (await NextAsync(TimeSpan.FromSeconds(2)) is not null)
            {
            }
        }

        private async Task ReadAsync()
        {
            try
            {
                using var reader = new StreamReader(await _response.Content.ReadAsStreamAsync(_closing.Token));
                while (await reader.ReadLineAsync(_closing.Token) is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal))
                    {
                        await _events.Writer.WriteAsync(line["event: ".Length..], _closing.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // Closed by the test.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _closing.CancelAsync();
            _response.Dispose();
            await _reading;
            _closing.Dispose();
        }
    }
}
