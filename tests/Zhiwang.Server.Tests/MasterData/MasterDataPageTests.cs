using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access;
using Zhiwang.Access.Audit;
using static Zhiwang.Server.Tests.MasterData.MasterDataAppFactory;

namespace Zhiwang.Server.Tests.MasterData;

public sealed class MasterDataPageTests(MasterDataAppFactory factory) : IClassFixture<MasterDataAppFactory>
{
    [Fact]
    public async Task The_search_page_is_Chinese_by_default_groups_results_and_masks_them_and_English_on_request()
    {
        using var client = await factory.SignedInAsync(Roles.DataSteward, "440300");

        var chinese = await client.GetStringAsync(new Uri("/masterdata/search?q=%E8%B5%9B%E6%A0%BC%E8%8A%B1%E5%9B%AD", UriKind.Relative)); // 赛格花园
        var english = await client.GetStringAsync(new Uri("/masterdata/search?q=zhangwei&lang=en", UriKind.Relative));

        chinese.ShouldContain("<html lang=\"zh-CN\"");
        chinese.ShouldContain("人口");
        chinese.ShouldContain("房屋");
        chinese.ShouldContain("css/masterdata.css");
        chinese.ShouldContain("深圳市福田区华强北街道华强北路12号赛格花园…");
        chinese.ShouldNotContain("1201室");
        english.ShouldContain("<html lang=\"en\"");
        english.ShouldContain("Persons");
        english.ShouldContain("4403**********" + ZhangWeiId[^4..]);
        english.ShouldNotContain(ZhangWeiId);
    }

    [Fact]
    public async Task The_person_page_shows_sources_links_and_the_map_and_is_audited()
    {
        using var client = await factory.SignedInAsync(Roles.DataSteward, "440300");
        var audit = factory.Services.GetRequiredService<AuditLog>();

        var html = await client.GetStringAsync(new Uri($"/masterdata/persons/{ZhangWeiFutian}", UriKind.Relative));
        var entry = (await audit.LatestAsync(1, CancellationToken.None)).Single();

        html.ShouldContain("张伟");
        html.ShouldContain("138****5678");
        html.ShouldNotContain(Phone);
        html.ShouldContain("人社"); // the phone's source department
        html.ShouldContain("三码关联"); // the link method of PS-1
        html.ShouldContain($"data-grid=\"{FutianGrid}\"");
        html.ShouldContain("查看完整值"); // a steward may reveal
        entry.Action.ShouldBe("masterdata.view");
        entry.Target.ShouldBe($"person:{ZhangWeiFutian}");
    }

    [Fact]
    public async Task A_person_outside_the_scope_is_a_404_page()
    {
        using var client = await factory.SignedInAsync(Roles.CommunityStaff, "440304");

        using var response = await client.GetAsync(new Uri($"/masterdata/persons/{ZhangWeiLuohu}", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("张卫");
    }

    [Fact]
    public async Task A_steward_reveals_one_value_with_a_reason_and_the_reveal_is_audited()
    {
        using var client = await factory.SignedInAsync(Roles.DataSteward, "440300");
        var audit = factory.Services.GetRequiredService<AuditLog>();
        var page = await client.GetStringAsync(new Uri($"/masterdata/persons/{ZhangWeiFutian}", UriKind.Relative));
        var token = TokenOf(page);

        using var withoutReason = await client.PostAsync(new Uri("/api/masterdata/reveal", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["id"] = ZhangWeiFutian, ["field"] = "phone", [token.Key] = token.Value }));
        using var withoutToken = await client.PostAsync(new Uri("/api/masterdata/reveal", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["id"] = ZhangWeiFutian, ["field"] = "phone", ["reason"] = "case 7" }));
        using var revealed = await client.PostAsync(new Uri("/api/masterdata/reveal", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["id"] = ZhangWeiFutian, ["field"] = "phone", ["reason"] = "case 7", [token.Key] = token.Value }));
        var entry = (await audit.LatestAsync(1, CancellationToken.None)).Single();

        withoutReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        withoutToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        revealed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await revealed.Content.ReadAsStringAsync()).ShouldContain(Phone);
        entry.Action.ShouldBe("masterdata.reveal");
        entry.Purpose.ShouldBe("case 7");
        entry.Detail.ShouldBe("field=phone");
    }

    [Fact]
    public async Task The_steward_queue_shows_the_conflict_side_by_side_and_sending_it_to_the_grid_worker_is_a_post_with_a_token()
    {
        using var client = await factory.SignedInAsync(Roles.DataSteward, "440300");
        var audit = factory.Services.GetRequiredService<AuditLog>();

        var queue = await client.GetStringAsync(new Uri("/masterdata/steward?conflict=1", UriKind.Relative));
        var token = TokenOf(queue);
        using var noToken = await client.PostAsync(new Uri("/masterdata/steward/conflicts/1/send", UriKind.Relative), new FormUrlEncodedContent([]));
        using var sent = await client.PostAsync(new Uri("/masterdata/steward/conflicts/1/send", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { [token.Key] = token.Value }));
        var entry = (await audit.LatestAsync(1, CancellationToken.None)).Single();
        var after = await client.GetStringAsync(new Uri("/masterdata/steward?conflict=1&done=send", UriKind.Relative));

        queue.ShouldContain("13812345678");
        queue.ShouldContain("13812340000");
        queue.ShouldContain("data-waterfall=");
        queue.ShouldContain("匹配权重瀑布图");
        noToken.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        sent.Headers.Location!.OriginalString.ShouldBe("/masterdata/steward?conflict=1&done=send");
        entry.Action.ShouldBe("masterdata.conflict.send");
        after.ShouldContain("网格员核实中");
    }

    [Fact]
    public async Task The_quality_page_lists_each_department_with_its_trend()
    {
        using var client = await factory.SignedInAsync(Roles.DataSteward, "440300");

        var html = await client.GetStringAsync(new Uri("/masterdata/quality", UriKind.Relative));

        html.ShouldContain("data-department=\"public_security\"");
        html.ShouldContain("公安");
        html.ShouldContain("data-trend=");
    }
}
