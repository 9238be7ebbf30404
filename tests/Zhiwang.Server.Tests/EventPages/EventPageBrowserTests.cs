using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Zhiwang.Access;
using Zhiwang.Server.Tests.Browser;
using Zhiwang.Server.Tests.Events;
using static Zhiwang.Server.Tests.Events.EventsAppFactory;

namespace Zhiwang.Server.Tests.EventPages;

public sealed class EventPageBrowserTests(ITestOutputHelper output)
{
    private const string ScreenshotPath = "/tmp/zhiwang-event.png";
    private const string PhoneScreenshotPath = "/tmp/zhiwang-event-phone.png";

    [ChromiumFact]
    public async Task A_handler_signs_in_opens_the_event_from_the_queue_takes_it_and_adds_a_photo()
    {
        await using var factory = new EventsAppFactory();
        var baseUrl = factory.StartKestrel();
        var receipt = await factory.ReportAsync("小区内夜间装修噪声，持续三晚");
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var handler = await factory.CreateUserAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1360, Height = 900 }, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        var errors = Chromium.WatchErrors(page);

        // The queue sends an anonymous visitor to sign in, then back.
        await page.GotoAsync(new Uri(baseUrl, "/events").ToString());
        await page.FillAsync("#name", handler.Name);
        await page.FillAsync("#password", handler.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync($"tr[data-event='{eventId}']", new() { Timeout = 30_000 });
        (await page.InnerTextAsync($"tr[data-event='{eventId}']")).ShouldContain(Noise.Zh);

        await page.ClickAsync($"tr[data-event='{eventId}'] a.ev-link");
        await page.WaitForSelectorAsync($"#ev-event[data-event='{eventId}']", new() { Timeout = 30_000 });
        (await page.InnerTextAsync("#ev-state")).ShouldBe("已派单");
        (await page.Locator("#ev-map path.ev-map-grid").CountAsync()).ShouldBe(1);
        (await page.InnerTextAsync("#ev-reporter")).ShouldContain("139****5678");

        await page.ClickAsync("form[data-action='take'] button");
        await page.WaitForSelectorAsync("#ev-event[data-state='in_handling']", new() { Timeout = 30_000 });
        (await page.InnerTextAsync("#ev-outcome")).ShouldContain("签收");
        (await page.Locator("form[data-action='handle'] textarea[name='result']").CountAsync()).ShouldBe(1);

        // A photo from the site, through the page's form (on a phone the camera opens); it comes back among the photos.
        await page.SetInputFilesAsync("form[data-action='photo'] input[name='photo']",
            new FilePayload { Name = "site.png", MimeType = "image/png", Buffer = EventPagesTests.TinyPng });
        await page.ClickAsync("form[data-action='photo'] button");
        var photo = page.Locator($"ul.ev-photos img[src='/api/events/{eventId}/photos/1']");
        await photo.WaitForAsync(new() { Timeout = 30_000 });
        (await page.InnerTextAsync("#ev-outcome")).ShouldContain("添加照片");
        // Loaded, not a broken image: the browser decoded the stored PNG.
        await page.WaitForFunctionAsync(
            "src => [...document.querySelectorAll('ul.ev-photos img')].some(i => i.getAttribute('src') === src && i.complete && i.naturalWidth === 1)",
            $"/api/events/{eventId}/photos/1", new() { Timeout = 30_000 });

        // A supervisor writes a note elsewhere: the open page shows it within seconds, pushed, without waiting for a 10 s poll.
        var revision = await page.GetAttributeAsync("#ev-event", "data-revision");
        var (supervisor, _) = await factory.SignedInAsync(Roles.Supervisor, Grid.DistrictCode);
        var noted = Stopwatch.StartNew();
        (await supervisor.PostAsJsonAsync($"/api/events/{eventId}/actions/note", new { reason = "请尽快上门了解情况" })).EnsureSuccessStatusCode();
        await page.WaitForSelectorAsync($"#ev-event:not([data-revision='{revision}'])", new() { Timeout = 5_000 });
        noted.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "pushed, not polled every 10 s");
        (await page.InnerTextAsync("body")).ShouldContain("请尽快上门了解情况");

        await page.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = PhoneScreenshotPath, FullPage = true });
        output.WriteLine($"Screenshots: {ScreenshotPath}, {PhoneScreenshotPath}");
        errors.ShouldBeEmpty();
    }

    [ChromiumFact]
    public async Task A_page_that_fell_back_to_polling_goes_back_to_the_stream_once_it_can()
    {
        await using var factory = new EventsAppFactory();
        var baseUrl = factory.StartKestrel();
        var receipt = await factory.ReportAsync("小区门口占道经营");
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var handler = await factory.CreateUserAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await (await browser.NewContextAsync(new() { Locale = "zh-CN" })).NewPageAsync();
        // The page's timers run on a clock the test moves; the browser's own reconnecting and the network do not.
        await page.Clock.InstallAsync();
        var streamUrl = $"**/events/{eventId}/live";
        var refused = 0;
        await page.RouteAsync(streamUrl, route => { refused++; return route.AbortAsync(); });
        var stampChecks = 0;
        page.Request += (_, request) => stampChecks += request.Url.EndsWith($"/events/{eventId}/stamp", StringComparison.Ordinal) ? 1 : 0;

        await page.GotoAsync(new Uri(baseUrl, $"/events/{eventId}").ToString());
        await page.FillAsync("#name", handler.Name);
        await page.FillAsync("#password", handler.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync($"#ev-event[data-event='{eventId}']", new() { Timeout = 30_000 });

        // The stream keeps failing: the page checks by itself, every 10 s of its clock.
        await WaitUntilAsync(() => stampChecks >= 1, "the page fell back to checking");
        await page.Clock.PauseAtAsync(TimeProvider.System.GetUtcNow().UtcDateTime.AddSeconds(5));
        var checksBefore = stampChecks;
        await page.Clock.RunForAsync(20_000);
        await WaitUntilAsync(() => stampChecks >= checksBefore + 2, "a check every 10 s");
        refused.ShouldBeGreaterThanOrEqualTo(1);

        // The stream is back. After a minute the page tries it again, and from then on a change reaches it pushed: the
        // clock stays paused, so no 10 s check can be what shows it.
        await page.UnrouteAsync(streamUrl);
        var opened = page.WaitForResponseAsync(r => r.Url.EndsWith($"/events/{eventId}/live", StringComparison.Ordinal) && r.Status == 200,
            new() { Timeout = 30_000 });
        await page.Clock.RunForAsync(60_000);
        await opened;
        var revision = await page.GetAttributeAsync("#ev-event", "data-revision");
        var (supervisor, _) = await factory.SignedInAsync(Roles.Supervisor, Grid.DistrictCode);
        (await supervisor.PostAsJsonAsync($"/api/events/{eventId}/actions/note", new { reason = "请核实占道情况" })).EnsureSuccessStatusCode();
        await page.WaitForSelectorAsync($"#ev-event:not([data-revision='{revision}'])", new() { Timeout = 10_000 });
        (await page.InnerTextAsync("body")).ShouldContain("请核实占道情况");
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            waited.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), what);
            await Task.Delay(100);
        }
    }
}
