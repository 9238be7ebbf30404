using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Resources;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Zhiwang.Access;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Server.Events;
using Zhiwang.Server.Tests.Uploads;
using Zhiwang.Server.Tests.Events;
using static Zhiwang.Server.Tests.Events.EventsAppFactory;

namespace Zhiwang.Server.Tests.EventPages;

/// <summary>Refusals on the event pages are said in the page's language, from their code; the API answers carry the code.</summary>
public sealed partial class EventPagesTests
{
    [Fact]
    public async Task A_refused_action_is_said_in_English_on_the_English_page()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        // The language asked for once is remembered (a cookie), so the page the form comes back to is English too.
        (await handler.GetAsync(new Uri($"/events/{eventId}?lang=en", UriKind.Relative))).Dispose();

        using var refused = await PostFormAsync(handler, eventId, "handle", new() { ["result"] = "已调解" });
        // Razor writes an apostrophe as &#x27;.
        var page = WebUtility.HtmlDecode(await handler.GetStringAsync(refused.Headers.Location));

        page.ShouldContain("'Handle' was not done: The event is 'Dispatched', so 'Handle' cannot be done; that needs it to be In handling.");
        page.ShouldNotContain("已派单");
    }

    [Fact]
    public async Task A_refused_supervision_order_and_answer_are_said_in_Chinese()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (supervisor, _) = await app.SignedInAsync(Roles.Supervisor, Grid.DistrictCode);
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());

        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(supervisor, $"/events/{eventId}");
        using var order = await supervisor.PostAsync(new Uri($"/events/{eventId}/supervision", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["instruction"] = " ", ["within"] = "1d", [token.Name] = token.Value }));
        var handlerToken = await SubmissionsAppFactory.AntiforgeryFieldAsync(handler, $"/events/{eventId}");
        using var answer = await handler.PostAsync(new Uri($"/events/{eventId}/supervision/999999/answer", UriKind.Relative), new FormUrlEncodedContent(
            new Dictionary<string, string> { ["answer"] = "已电话联系", [handlerToken.Name] = handlerToken.Value }));

        (await supervisor.GetStringAsync(order.Headers.Location)).ShouldContain("未能执行“督办”：请填写督办要求（最多 2000 个字）：承办单位必须做什么。");
        (await handler.GetStringAsync(answer.Headers.Location)).ShouldContain($"未能执行“回复督办”：事件 {eventId} 没有未回复的督办单 999999。");
    }

    [Fact]
    public async Task A_refused_API_action_answers_with_the_code_and_its_arguments_beside_the_English_reason()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());

        using var refused = await handler.PostAsJsonAsync($"/api/events/{eventId}/actions/handle", new { result = "已调解" });
        using var unknown = await handler.PostAsJsonAsync($"/api/events/{eventId}/actions/paint", new { });
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        var unknownProblem = await unknown.Content.ReadFromJsonAsync<JsonElement>();

        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        problem.GetProperty("code").GetString().ShouldBe(RefusalCodes.NotAllowedInState);
        problem.GetProperty("arguments").GetProperty("state").GetString().ShouldBe("dispatched");
        problem.GetProperty("arguments").GetProperty("allowed").GetString().ShouldBe("in_handling");
        problem.GetProperty("detail").GetString().ShouldBe("An event that is dispatched cannot be given 'handle'; that needs it to be in_handling.");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        unknownProblem.GetProperty("code").GetString().ShouldBe(RefusalCodes.UnknownAction);
    }

    [Fact]
    public void Every_refusal_code_and_party_has_a_Chinese_and_an_English_sentence()
    {
        var codes = typeof(RefusalCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => "R_" + (string)f.GetRawConstantValue()!);
        var parties = typeof(Party).GetProperties(BindingFlags.Public | BindingFlags.Static).Select(p => "W_" + ((Party)p.GetValue(null)!).Code);
        var texts = new ResourceManager(typeof(EventText));
        var chinese = texts.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        var english = texts.GetResourceSet(CultureInfo.GetCultureInfo("en"), createIfNotExists: true, tryParents: false)!;

        foreach (var key in codes.Concat(parties))
        {
            chinese.GetString(key).ShouldNotBeNullOrWhiteSpace(key);
            english.GetString(key).ShouldNotBeNullOrWhiteSpace(key);
            chinese.GetString(key).ShouldNotBe(english.GetString(key), key);
        }
    }

    [Fact]
    public void A_refusal_whose_code_has_no_sentence_falls_back_to_the_English_reason()
    {
        var text = app.Services.GetRequiredService<IStringLocalizer<EventText>>();

        EventText.Refusal(text, EventCatalogue.Default, "no_such_code", null, "The English reason.").ShouldBe("The English reason.");
        EventText.Refusal(text, EventCatalogue.Default, null, null, "The English reason.").ShouldBe("The English reason.");
    }
}
