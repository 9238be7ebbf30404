using Microsoft.Playwright;
using Xunit.Abstractions;
using Zhiwang.Access;
using Zhiwang.Server.Tests.Browser;
using static Zhiwang.Server.Tests.MasterData.MasterDataAppFactory;

namespace Zhiwang.Server.Tests.MasterData;

public sealed class MasterDataBrowserTests(ITestOutputHelper output)
{
    private const string ScreenshotPath = "/tmp/zhiwang-masterdata-person.png";

    [ChromiumFact]
    public async Task A_steward_signs_in_searches_by_pinyin_opens_a_person_and_reveals_the_phone_with_a_reason()
    {
        await using var factory = new MasterDataAppFactory();
        var baseUrl = factory.StartKestrel();
        await factory.SeedAsync();
        var steward = await factory.CreateUserAsync(Roles.DataSteward, "440300");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1360, Height = 900 }, Locale = "en-US" });
        var errors = Chromium.WatchErrors(page);

        // The search page sends an anonymous visitor to sign in, then back.
        await page.GotoAsync(new Uri(baseUrl, "/masterdata/search").ToString());
        await page.FillAsync("#name", steward.User.Name);
        await page.FillAsync("#password", steward.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#md-q", new() { Timeout = 30_000 });

        await page.FillAsync("#md-q", "zhangwei");
        await page.PressAsync("#md-q", "Enter");
        await page.WaitForSelectorAsync("#md-result-count", new() { Timeout = 30_000 });
        (await page.InnerTextAsync("#group-person")).ShouldContain("人口");
        var hits = await page.Locator(".md-hit[data-kind='person']").CountAsync();
        hits.ShouldBe(2);
        (await page.InnerTextAsync($".md-hit[data-id='{ZhangWeiFutian}']")).ShouldContain("4403**********" + ZhangWeiId[^4..]);

        await page.ClickAsync($".md-hit[data-id='{ZhangWeiFutian}'] a");
        await page.WaitForSelectorAsync($"#md-record[data-id='{ZhangWeiFutian}']", new() { Timeout = 30_000 });
        (await page.InnerTextAsync("#md-record-name")).ShouldBe("张伟");
        (await page.InnerTextAsync(".md-value[data-field='phone']")).ShouldBe("138****5678");
        await page.WaitForSelectorAsync("#md-map[data-ready='true']", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        // A phone-sized window and a collapsed card redraw the map without error (ECharts once threw on a map with
        // no area to fit into).
        await page.SetViewportSizeAsync(390, 844);
        await page.EvaluateAsync("document.getElementById('md-map').style.width = '0px'");
        await page.WaitForTimeoutAsync(300);
        await page.EvaluateAsync("document.getElementById('md-map').style.width = ''");
        await page.SetViewportSizeAsync(1360, 900);
        await page.WaitForTimeoutAsync(300);

        await page.ClickAsync("tr[data-field='phone'] details summary");
        await page.FillAsync("tr[data-field='phone'] input[name='reason']", "case 2026-17");
        await page.ClickAsync("tr[data-field='phone'] form button");
        await page.WaitForSelectorAsync(".md-value.revealed[data-field='phone']", new() { Timeout = 30_000 });
        (await page.InnerTextAsync(".md-value[data-field='phone']")).ShouldBe(Phone);

        await page.ScreenshotAsync(new() { Path = ScreenshotPath, FullPage = true });
        output.WriteLine($"Screenshot: {ScreenshotPath}");
        errors.ShouldBeEmpty();
    }
}
