using System.Net;

namespace Zhiwang.Server.Tests.Home;

[Collection(ZhiwangAppCollection.Name)]
public sealed class HomePageTests(ZhiwangAppFactory factory)
{
    [Fact]
    public async Task The_home_page_is_in_Chinese_by_default()
    {
        using var client = factory.CreateClient();

        var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));

        html.ShouldContain("<html lang=\"zh-CN\"");
        html.ShouldContain("织网 · 深圳");
        html.ShouldContain("实有人口");
        html.ShouldContain("法人");
        html.ShouldContain("房屋");
        html.ShouldContain("English");
    }

    [Fact]
    public async Task Lang_en_switches_the_page_to_English_and_a_cookie_keeps_it()
    {
        using var client = factory.CreateClient();

        using var switched = await client.GetAsync(new Uri("/?lang=en", UriKind.Relative));
        var english = await switched.Content.ReadAsStringAsync();
        var later = await client.GetStringAsync(new Uri("/", UriKind.Relative));
        var back = await client.GetStringAsync(new Uri("/?lang=zh-CN", UriKind.Relative));

        switched.StatusCode.ShouldBe(HttpStatusCode.OK);
        switched.Headers.GetValues("Set-Cookie").ShouldContain(c => c.StartsWith(".AspNetCore.Culture=c%3Den%7Cuic%3Den", StringComparison.Ordinal));
        english.ShouldContain("<html lang=\"en\"");
        english.ShouldContain("Zhiwang · Shenzhen");
        english.ShouldContain("Legal entities");
        english.ShouldNotContain("实有人口");
        later.ShouldContain("Zhiwang · Shenzhen");
        back.ShouldContain("织网 · 深圳");
    }

    [Fact]
    public async Task The_page_script_and_ECharts_from_npm_are_served()
    {
        using var client = factory.CreateClient();

        using var echarts = await client.GetAsync(new Uri("/lib/echarts/echarts.min.js", UriKind.Relative));
        using var script = await client.GetAsync(new Uri("/js/home.js", UriKind.Relative));

        echarts.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await echarts.Content.ReadAsStringAsync()).Length.ShouldBeGreaterThan(100_000);
        script.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
