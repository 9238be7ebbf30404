using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access;
using Zhiwang.Access.Audit;
using static Zhiwang.Server.Tests.MasterData.MasterDataAppFactory;

namespace Zhiwang.Server.Tests.MasterData;

public sealed class MasterDataApiTests(MasterDataAppFactory factory) : IClassFixture<MasterDataAppFactory>
{
    [Fact]
    public async Task An_anonymous_caller_gets_401_from_the_API_and_the_login_page_instead_of_the_search_page()
    {
        await factory.SeedAsync();
        using var client = factory.CreateClient(new() { AllowAutoRedirect = false });
        using var page = new HttpRequestMessage(HttpMethod.Get, "/masterdata/search?q=zhangwei");
        page.Headers.Accept.ParseAdd("text/html");

        using var api = await client.GetAsync(new Uri("/api/masterdata/search?q=zhangwei", UriKind.Relative));
        using var record = await client.GetAsync(new Uri($"/api/masterdata/persons/{ZhangWeiFutian}", UriKind.Relative));
        using var html = await client.SendAsync(page);

        api.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        record.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        html.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        html.Headers.Location!.AbsolutePath.ShouldBe("/login");
    }

    [Fact]
    public async Task A_city_steward_finds_both_Zhang_Weis_by_pinyin_with_their_ID_numbers_masked()
    {
        using var client = await factory.SignedInAsync(Roles.DataSteward, "440300");

        var json = await client.GetStringAsync(new Uri("/api/masterdata/search?q=zhangwei", UriKind.Relative));
        using var document = JsonDocument.Parse(json);
        var persons = document.RootElement.GetProperty("groups").GetProperty("person").EnumerateArray().ToList();

        persons.Select(p => p.GetProperty("id").GetString()).ShouldBe([ZhangWeiFutian, ZhangWeiLuohu], ignoreOrder: true);
        persons.Single(p => p.GetProperty("id").GetString() == ZhangWeiFutian).GetProperty("key").GetString().ShouldBe("4403**********" + ZhangWeiId[^4..]);
        json.ShouldNotContain(ZhangWeiId);
        json.ShouldNotContain("1201室");
    }

    [Fact]
    public async Task A_Futian_grid_worker_sees_only_Futian_and_a_Luohu_id_reads_exactly_like_one_that_does_not_exist()
    {
        using var client = await factory.SignedInAsync(Roles.GridWorker, "440304");

        var json = await client.GetStringAsync(new Uri("/api/masterdata/search?q=zw", UriKind.Relative));
        using var luohu = await client.GetAsync(new Uri($"/api/masterdata/persons/{ZhangWeiLuohu}", UriKind.Relative));
        using var missing = await client.GetAsync(new Uri("/api/masterdata/persons/P99999999999", UriKind.Relative));
        using var own = await client.GetAsync(new Uri($"/api/masterdata/persons/{ZhangWeiFutian}", UriKind.Relative));
        using var reveal = await client.PostAsync(new Uri("/api/masterdata/reveal", UriKind.Relative), new FormUrlEncodedContent([]));

        json.ShouldContain(ZhangWeiFutian);
        json.ShouldNotContain(ZhangWeiLuohu);
        luohu.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        luohu.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        WithoutTrace(await luohu.Content.ReadAsStringAsync()).ShouldBe(WithoutTrace(await missing.Content.ReadAsStringAsync()));
        own.StatusCode.ShouldBe(HttpStatusCode.OK);
        reveal.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_decision_maker_may_not_read_records_and_a_grid_worker_may_not_open_the_steward_queue()
    {
        using var decisionMaker = await factory.SignedInAsync(Roles.DecisionMaker, "440300");
        using var worker = await factory.SignedInAsync(Roles.GridWorker, "440304");

        using var search = await decisionMaker.GetAsync(new Uri("/api/masterdata/search?q=zw", UriKind.Relative));
        using var queue = await worker.GetAsync(new Uri("/api/masterdata/steward/conflicts", UriKind.Relative));
        using var quality = await worker.GetAsync(new Uri("/api/masterdata/quality", UriKind.Relative));

        search.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        queue.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        quality.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Viewing_a_person_appends_an_audit_entry_naming_the_viewer_the_record_the_fields_and_the_purpose()
    {
        using var client = await factory.SignedInAsync(Roles.GridWorker, "440304");
        var audit = factory.Services.GetRequiredService<AuditLog>();

        var view = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/masterdata/persons/{ZhangWeiFutian}?purpose=case-42", UriKind.Relative));
        var entry = (await audit.LatestAsync(1, CancellationToken.None)).Single();

        entry.Action.ShouldBe("masterdata.view");
        entry.Actor.ShouldStartWith("grid.worker.");
        entry.Target.ShouldBe($"person:{ZhangWeiFutian}");
        entry.Purpose.ShouldBe("case-42");
        entry.Detail!.ShouldContain("fields=id_number,name,sex");
        entry.Detail!.ShouldContain("masked=id_number,phone,address");
        view.GetProperty("attributes").EnumerateArray().Single(a => a.GetProperty("field").GetString() == "phone")
            .GetProperty("value").GetString().ShouldBe("138****5678");
        (await audit.VerifyAsync(CancellationToken.None)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task A_search_that_is_only_digits_is_a_problem_not_a_list()
    {
        using var client = await factory.SignedInAsync(Roles.DataSteward, "440300");

        using var response = await client.GetAsync(new Uri("/api/masterdata/search?q=1234", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("digits-need-name");
    }

    [Fact]
    public async Task The_lineage_endpoint_lists_the_linked_source_records_with_method_and_weight()
    {
        using var client = await factory.SignedInAsync(Roles.DataSteward, "440300");

        var lineage = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/masterdata/records/{ZhangWeiFutian}/lineage", UriKind.Relative));

        var link = lineage.GetProperty("links").EnumerateArray().Single();
        link.GetProperty("department").GetString().ShouldBe("public_security");
        link.GetProperty("method").GetString().ShouldBe("key");
        link.GetProperty("weight").GetDouble().ShouldBe(30.0);
    }

    private static string WithoutTrace(string problem) =>
        System.Text.RegularExpressions.Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", "");
}
