using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access;
using Zhiwang.Access.Audit;
using Zhiwang.Server.Tests.Events;
using Zhiwang.Server.Tests.Uploads;
using static Zhiwang.Server.Tests.Events.EventsAppFactory;

namespace Zhiwang.Server.Tests.EventPages;

public sealed partial class EventPagesTests(EventsAppFactory app) : IClassFixture<EventsAppFactory>
{
    [Fact]
    public async Task A_handler_sees_a_dispatched_event_in_their_queue_page_with_its_class_place_and_deadline()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());

        var html = await handler.GetStringAsync(new Uri("/events", UriKind.Relative));

        html.ShouldContain("<html lang=\"zh-CN\"");
        html.ShouldContain($"href=\"/events/{eventId}\"");
        html.ShouldContain(Noise.Zh);
        html.ShouldContain("已派单");
        html.ShouldContain(Zhiwang.Geo.CityMap.Shenzhen.Find(Grid.CommunityCode)!.Name);
        html.ShouldContain("data-poll=\"/api/events/queues/handler?limit=200\"");
        html.ShouldContain("aria-current=\"page\" data-queue=\"handler\"");
        html.ShouldNotContain("data-queue=\"dispatcher\"", customMessage: "a handler has only the handler tab");
    }

    [Fact]
    public async Task The_event_page_shows_the_timeline_the_masked_reporter_and_the_take_form_and_is_audited()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, name) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());

        var html = await handler.GetStringAsync(new Uri($"/events/{eventId}", UriKind.Relative));
        var audit = await app.Services.GetRequiredService<AuditLog>().LatestAsync(5, CancellationToken.None);

        html.ShouldContain("处置过程");
        html.ShouldContain("data-action=\"report\"");
        html.ShouldContain("data-action=\"dispatch\"");
        html.ShouldContain($"action=\"/events/{eventId}/actions/take\"");
        html.ShouldContain("name=\"revision\"");
        html.ShouldContain("139****5678");
        html.ShouldContain("王*");
        html.ShouldNotContain(ReporterPhone);
        html.ShouldNotContain(ReporterName);
        html.ShouldContain("<svg class=\"ev-map\"");
        html.ShouldContain("楼上装修噪声扰民");
        audit.ShouldContain(a => a.Action == "events.view" && a.Target == $"event:{eventId}" && a.Actor == name);
    }

    [Fact]
    public async Task Posting_the_take_form_moves_the_event_to_in_handling_and_says_so()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        var stampBefore = await handler.GetFromJsonAsync<JsonElement>($"/events/{eventId}/stamp");

        using var posted = await PostFormAsync(handler, eventId, "take", []);
        var page = await handler.GetStringAsync(posted.Headers.Location);
        var view = await handler.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");
        var stampAfter = await handler.GetFromJsonAsync<JsonElement>($"/events/{eventId}/stamp");

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        posted.Headers.Location!.ToString().ShouldStartWith($"/events/{eventId}?note=");
        view.GetProperty("state").GetString().ShouldBe("in_handling");
        page.ShouldContain("已完成：签收。");
        page.ShouldContain("data-state=\"in_handling\"");
        page.ShouldContain($"action=\"/events/{eventId}/actions/handle\"");
        stampAfter.GetProperty("stamp").GetString().ShouldNotBe(stampBefore.GetProperty("stamp").GetString());
    }

    [Fact]
    public async Task A_refused_action_comes_back_with_its_reason_and_changes_nothing()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());

        // A page drawn at another revision: the decision was taken on a stale view.
        using var stale = await PostFormAsync(handler, eventId, "take", new() { ["revision"] = "999" });
        var page = await handler.GetStringAsync(stale.Headers.Location);
        using var missing = await PostFormAsync(handler, eventId, "handle", []);
        var second = await handler.GetStringAsync(missing.Headers.Location);

        page.ShouldContain("未能执行“签收”：您打开页面后事件已有更新（当时第 999 版");
        page.ShouldNotContain("changed since you loaded it");
        page.ShouldContain("data-state=\"dispatched\"");
        second.ShouldContain("未能执行“办结”：事件当前为“已派单”，不能执行“办结”；需要处于办理中状态。");
        second.ShouldNotContain("cannot be given");
    }

    [Fact]
    public async Task A_forged_outcome_note_is_not_shown_and_an_event_out_of_scope_is_a_404()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        var (elsewhere, _) = await app.SignedInAsync(Roles.EventHandler, "440303", receipt.GetProperty("department").GetString());

        var forged = await handler.GetStringAsync(new Uri($"/events/{eventId}?note=please-call-0000", UriKind.Relative));
        using var outOfScope = await elsewhere.GetAsync(new Uri($"/events/{eventId}", UriKind.Relative));

        forged.ShouldNotContain("id=\"ev-outcome\"");
        forged.ShouldNotContain("未能执行");
        outOfScope.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await outOfScope.Content.ReadAsStringAsync()).ShouldNotContain("楼上装修噪声扰民");
    }

    [Fact]
    public async Task The_event_page_is_English_on_request()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());

        var html = await handler.GetStringAsync(new Uri($"/events/{eventId}?lang=en", UriKind.Relative));

        html.ShouldContain("<html lang=\"en\"");
        html.ShouldContain("Timeline");
        html.ShouldContain(">Take</button>");
        html.ShouldContain(Noise.En.Split('\'')[0]);
        html.ShouldContain("Dispatched");
    }

    [Fact]
    public async Task A_supervisor_opens_an_order_from_the_page_the_handler_answers_it_and_the_board_counts_it()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (supervisor, _) = await app.SignedInAsync(Roles.Supervisor, Grid.DistrictCode);
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());

        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(supervisor, $"/events/{eventId}");
        using var opened = await supervisor.PostAsync(new Uri($"/events/{eventId}/supervision", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["instruction"] = "请今天内联系当事人", ["within"] = "4h", [token.Name] = token.Value }));
        var board = await supervisor.GetStringAsync(new Uri("/events/supervision", UriKind.Relative));
        var handlerPage = await handler.GetStringAsync(new Uri($"/events/{eventId}", UriKind.Relative));
        var orderId = OrderForm().Match(handlerPage).Groups["order"].Value;
        var handlerToken = await SubmissionsAppFactory.AntiforgeryFieldAsync(handler, $"/events/{eventId}");
        using var answered = await handler.PostAsync(new Uri($"/events/{eventId}/supervision/{orderId}/answer", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["answer"] = "已电话联系", [handlerToken.Name] = handlerToken.Value }));
        var after = await handler.GetStringAsync(answered.Headers.Location);

        (await supervisor.GetStringAsync(opened.Headers.Location)).ShouldContain("已完成：督办。");
        board.ShouldContain("督办看板");
        board.ShouldContain("请今天内联系当事人");
        board.ShouldContain($"href=\"/events/{eventId}\"");
        orderId.ShouldNotBeEmpty();
        after.ShouldContain("已完成：回复督办。");
        after.ShouldContain("已电话联系");
    }

    [Fact]
    public async Task The_supervision_board_is_for_supervisors_only()
    {
        var (supervisor, _) = await app.SignedInAsync(Roles.Supervisor, "440305");
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, "community_workstation");

        using var board = await supervisor.GetAsync(new Uri("/events/supervision?lang=en", UriKind.Relative));
        using var refused = await handler.GetAsync(new Uri("/events/supervision", UriKind.Relative));

        board.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await board.Content.ReadAsStringAsync();
        html.ShouldContain("Supervision board");
        html.ShouldContain("id=\"ev-count-overdue\"");
        refused.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_assessment_page_shows_the_units_and_links_the_same_period_as_a_workbook()
    {
        // One event still open (no rating yet) and one closed with a rating: the table shows both kinds of unit.
        await app.ReportAsync();
        await app.SettleAsync(await app.ReportAsync(), 4);
        var (supervisor, _) = await app.SignedInAsync(Roles.Supervisor, "440305");

        var html = await supervisor.GetStringAsync(new Uri("/events/assessment?level=community", UriKind.Relative));
        using var bad = await supervisor.GetAsync(new Uri("/events/assessment?from=2026-13-01", UriKind.Relative));
        var href = WorkbookLink().Match(html).Groups["href"].Value.Replace("&amp;", "&", StringComparison.Ordinal);
        using var workbook = await supervisor.GetAsync(new Uri(href, UriKind.Relative));

        html.ShouldContain("事件处置考核");
        html.ShouldContain($"data-division=\"{Grid.CommunityCode}\"");
        href.ShouldStartWith("/api/events/assessment.xlsx?from=");
        href.ShouldContain("level=community");
        workbook.StatusCode.ShouldBe(HttpStatusCode.OK);
        workbook.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, long eventId, string action, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(new Uri($"/events/{eventId}", UriKind.Relative));
        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(client, $"/events/{eventId}");
        fields.TryAdd("revision", RevisionField().Match(page).Groups["revision"].Value);
        fields[token.Name] = token.Value;
        var response = await client.PostAsync(new Uri($"/events/{eventId}/actions/{action}", UriKind.Relative), new FormUrlEncodedContent(fields));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response;
    }

    [GeneratedRegex("data-revision=\"(?<revision>\\d+)\"")]
    private static partial Regex RevisionField();

    [GeneratedRegex("/supervision/(?<order>\\d+)/answer")]
    private static partial Regex OrderForm();

    [GeneratedRegex("id=\"ev-download\" href=\"(?<href>[^\"]+)\"")]
    private static partial Regex WorkbookLink();
}
