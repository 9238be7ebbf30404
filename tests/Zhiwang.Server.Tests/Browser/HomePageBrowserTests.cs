using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Zhiwang.Geo;
using Zhiwang.Server.Tests.Home;

namespace Zhiwang.Server.Tests.Browser;

public sealed class HomePageBrowserTests(ITestOutputHelper output)
{
    private const string Futian = "440304";
    private const string ScreenshotPath = "/tmp/zhiwang-home.png";

    [ChromiumFact]
    public async Task The_home_page_switches_language_and_drills_from_the_city_into_a_district_on_the_map()
    {
        await using var factory = new ZhiwangAppFactory();
        var baseUrl = factory.StartKestrel();
        await WarmUpAsync(baseUrl);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1360, Height = 900 }, Locale = "en-US" });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };

        // Chinese first, whatever the browser prefers.
        await page.GotoAsync(baseUrl.ToString());
        await WaitForAsync(page, "#home[data-code='440300']", errors);
        (await page.TitleAsync()).ShouldContain("织网 · 深圳");
        (await page.InnerTextAsync("#division-name")).ShouldContain("深圳市");
        (await page.InnerTextAsync(".totals")).ShouldContain("实有人口");
        (await page.Locator("#children tbody tr").CountAsync()).ShouldBe(9);

        // English by the toggle.
        await page.ClickAsync(".lang a[hreflang='en']");
        await WaitForAsync(page, "#home[data-locale='en'][data-code='440300']", errors);
        (await page.InnerTextAsync("h1")).ShouldBe("Zhiwang · Shenzhen");
        (await page.InnerTextAsync(".totals")).ShouldContain("Legal entities");
        await page.WaitForTimeoutAsync(600);
        await page.ScreenshotAsync(new() { Path = "/tmp/zhiwang-home-en.png", FullPage = true });

        // Click Futian where it is drawn on the canvas: its inside point, turned into a pixel by ECharts.
        var center = await page.EvaluateAsync<JsonElement>(
            """
            code => {
              const home = globalThis.zhiwangHome;
              const p = home.state.features.get(code);
              const [x, y] = home.chart.convertToPixel({ seriesIndex: 0 }, p.center);
              const box = document.getElementById('map').getBoundingClientRect();
              return { x: box.left + x, y: box.top + y };
            }
            """,
            Futian);
        await page.Mouse.ClickAsync(center.GetProperty("x").GetSingle(), center.GetProperty("y").GetSingle());
        await WaitForAsync(page, $"#home[data-code='{Futian}']", errors);

        (await page.InnerTextAsync("#division-name")).ShouldContain("福田区");
        (await page.InnerTextAsync("#breadcrumb")).ShouldContain("福田区");
        (await page.InnerTextAsync("#breadcrumb")).ShouldContain("深圳市");
        var rows = await page.Locator("#children tbody tr .name").AllTextContentsAsync();
        rows.ShouldBe(CityMap.Shenzhen.ChildrenOf(Futian).Select(s => s.Name), ignoreOrder: true);
        rows.ShouldContain("华强北街道");

        // Back in Chinese, the district stays and the page is photographed for a human to look at.
        await page.ClickAsync(".lang a[hreflang='zh-CN']");
        await WaitForAsync(page, $"#home[data-locale='zh-CN'][data-code='{Futian}']", errors);
        await page.WaitForTimeoutAsync(600);
        await page.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = true });
        output.WriteLine($"Screenshot: {ScreenshotPath}");

        errors.ShouldBeEmpty();
    }

    /// <summary>The first map request builds the city's hierarchy and boundaries; pay for that before the browser waits.</summary>
    private static async Task WarmUpAsync(Uri baseUrl)
    {
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(3) };
        using var response = await client.GetAsync(new Uri("/api/map/440300", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Waits for the selector; on a timeout says what the page said, rather than only that it timed out.</summary>
    private static async Task WaitForAsync(IPage page, string selector, List<string> errors)
    {
        try
        {
            await page.WaitForSelectorAsync(selector, new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        }
        catch (TimeoutException ex)
        {
            var status = await page.EvaluateAsync<string>("() => document.getElementById('status')?.textContent ?? ''");
            throw new TimeoutException(
                $"{selector} did not appear at {page.Url}. Page status: '{status}'. Errors: [{string.Join(" | ", errors)}]", ex);
        }
    }
}
