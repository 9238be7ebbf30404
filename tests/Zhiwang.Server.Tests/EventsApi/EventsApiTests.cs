using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NPOI.XSSF.UserModel;
using Zhiwang.Access;
using Zhiwang.Events.Catalogue;
using Zhiwang.Geo;
using Zhiwang.Server.Tests.Events;

namespace Zhiwang.Server.Tests.EventsApi;

public sealed class EventsApiTests(EventsAppFactory app) : IClassFixture<EventsAppFactory>
{
    private static EventClass Noise => EventsAppFactory.Noise;

    private static Grid Grid => EventsAppFactory.Grid;

    private static object Report(string description = "楼上装修噪声扰民") => EventsAppFactory.Report(description);

    [Fact]
    public async Task A_grid_worker_reports_an_event_and_sending_it_again_with_the_same_key_returns_the_same_event()
    {
        var (worker, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);
        using var first = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(Report()) };
        first.Headers.Add("Idempotency-Key", "device-7-0001");
        using var again = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(Report()) };
        again.Headers.Add("Idempotency-Key", "device-7-0001");

        using var created = await worker.SendAsync(first);
        using var repeated = await worker.SendAsync(again);

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        repeated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var receipt = await created.Content.ReadFromJsonAsync<JsonElement>();
        var same = await repeated.Content.ReadFromJsonAsync<JsonElement>();
        same.GetProperty("eventId").GetInt64().ShouldBe(receipt.GetProperty("eventId").GetInt64());
        same.GetProperty("alreadyReported").GetBoolean().ShouldBeTrue();
        receipt.GetProperty("state").GetString().ShouldBe("dispatched");
        receipt.GetProperty("unitDivision").GetString().ShouldBe(Grid.CommunityCode);
    }

    [Fact]
    public async Task A_bad_report_is_refused_with_each_field_named_and_nothing_stored()
    {
        var (worker, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);

        using var response = await worker.PostAsJsonAsync("/api/events", new { @class = "H9999", description = "", place = new { lat = 31.2, lon = 121.5 } });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        errors.GetProperty("class").EnumerateArray().Single().GetString()!.ShouldContain("H9999");
        errors.GetProperty("description").EnumerateArray().ShouldNotBeEmpty();
        errors.GetProperty("place").EnumerateArray().Single().GetString()!.ShouldContain("outside the city");
    }

    [Fact]
    public async Task Only_those_who_report_may_report()
    {
        var (decisionMaker, _) = await app.SignedInAsync(Roles.DecisionMaker);
        using var anonymous = app.CreateClient();

        (await decisionMaker.PostAsJsonAsync("/api/events", Report())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await anonymous.PostAsJsonAsync("/api/events", Report())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_event_is_handled_verified_on_site_and_closed_by_its_reporter_with_a_rating()
    {
        var (worker, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);
        var receipt = await (await worker.PostAsJsonAsync("/api/events", Report("夜间施工噪声"))).Content.ReadFromJsonAsync<JsonElement>();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var token = receipt.GetProperty("token").GetString();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        var (verifier, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);
        using var resident = app.CreateClient();

        (await handler.GetFromJsonAsync<JsonElement>("/api/events/queues/handler")).EnumerateArray().ShouldContain(e => e.GetProperty("eventId").GetInt64() == eventId);
        (await handler.PostAsJsonAsync($"/api/events/{eventId}/actions/take", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await handler.PostAsJsonAsync($"/api/events/{eventId}/actions/handle", new { result = "已责令停工整改" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await verifier.PostAsJsonAsync($"/api/events/{eventId}/actions/verify", new { reason = "现场已无噪声" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var close = await resident.PostAsJsonAsync($"/api/events/track/{token}/close", new { satisfaction = 5 });
        var tracked = await resident.GetFromJsonAsync<JsonElement>($"/api/events/track/{token}");

        close.StatusCode.ShouldBe(HttpStatusCode.OK);
        tracked.GetProperty("state").GetString().ShouldBe("closed");
        tracked.GetProperty("satisfaction").GetInt32().ShouldBe(5);
        tracked.GetProperty("result").GetString().ShouldBe("已责令停工整改");
        tracked.GetProperty("available").EnumerateArray().Select(a => a.GetString()).ShouldBe(["reopen"]);
        tracked.ToString().ShouldNotContain("王五");
        var view = await handler.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}");
        view.GetProperty("reporterPhone").GetString().ShouldBe("139****5678");
        (await resident.GetAsync(new Uri("/api/events/track/notarealtoken0000", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_action_outside_the_handlers_department_is_forbidden_with_the_reason()
    {
        var (worker, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);
        var receipt = await (await worker.PostAsJsonAsync("/api/events", Report())).Content.ReadFromJsonAsync<JsonElement>();
        var (otherHandler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, "fire");

        using var response = await otherHandler.PostAsJsonAsync($"/api/events/{receipt.GetProperty("eventId").GetInt64()}/actions/take", new { });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync()).ShouldContain("a handler of the responsible unit");
    }

    [Fact]
    public async Task A_photo_must_be_an_image()
    {
        var (worker, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);
        var receipt = await (await worker.PostAsJsonAsync("/api/events", Report())).Content.ReadFromJsonAsync<JsonElement>();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13];

        using var image = new MultipartFormDataContent { { new ByteArrayContent(png) { Headers = { ContentType = new MediaTypeHeaderValue("image/png") } }, "photo", "scene.png" } };
        using var text = new MultipartFormDataContent { { new ByteArrayContent("not an image"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("image/jpeg") } }, "photo", "fake.jpg" } };
        using var added = await worker.PostAsync(new Uri($"/api/events/{eventId}/photos", UriKind.Relative), image);
        using var refused = await worker.PostAsync(new Uri($"/api/events/{eventId}/photos", UriKind.Relative), text);

        added.StatusCode.ShouldBe(HttpStatusCode.OK);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.Content.ReadAsStringAsync()).ShouldContain("not a JPEG, PNG or WebP image");
        (await worker.GetByteArrayAsync(new Uri($"/api/events/{eventId}/photos/1", UriKind.Relative))).ShouldBe(png);
    }

    [Fact]
    public async Task A_supervisor_reads_the_assessment_as_json_and_as_a_workbook()
    {
        var (worker, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);
        (await worker.PostAsJsonAsync("/api/events", Report())).EnsureSuccessStatusCode();
        var (supervisor, _) = await app.SignedInAsync(Roles.Supervisor, "440305");

        var rows = await supervisor.GetFromJsonAsync<JsonElement>("/api/events/assessment?level=community");
        using var workbook = await supervisor.GetAsync(new Uri("/api/events/assessment.xlsx?level=community&lang=en", UriKind.Relative));
        var (gridWorkerOnly, _) = await app.SignedInAsync(Roles.GridWorker, Grid.Code);

        var unit = rows.EnumerateArray().First(r => r.GetProperty("divisionCode").GetString() == Grid.CommunityCode);
        unit.GetProperty("received").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        unit.GetProperty("rank").GetInt32().ShouldBeGreaterThanOrEqualTo(1);
        workbook.StatusCode.ShouldBe(HttpStatusCode.OK);
        var sheet = new XSSFWorkbook(await workbook.Content.ReadAsStreamAsync());
        sheet.GetSheetAt(0).PhysicalNumberOfRows.ShouldBeGreaterThan(3);
        (await gridWorkerOnly.GetAsync(new Uri("/api/events/assessment", UriKind.Relative))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_catalogue_is_public_and_only_an_administrator_saves_a_new_version()
    {
        using var anonymous = app.CreateClient();
        var (supervisor, _) = await app.SignedInAsync(Roles.Supervisor);

        var catalogue = await anonymous.GetFromJsonAsync<JsonElement>("/api/events/catalogue");
        using var refused = await supervisor.PutAsync(new Uri("/api/events/catalogue", UriKind.Relative), new StringContent(catalogue.ToString()));

        catalogue.GetProperty("classes").GetArrayLength().ShouldBe(184);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_online_opinion_file_becomes_events_for_the_dispatcher_and_bad_rows_are_named()
    {
        var (dispatcher, _) = await app.SignedInAsync(Roles.Dispatcher, "440305");
        var point = Grid.Boundary.InteriorPoint;
        var sample = SampleAttributes.Required(Noise);
        var attributes = string.Join(",", sample.Keys.Select(name => "attr." + name));
        // The cells as a spreadsheet writes them: text, whatever the attribute's type.
        var values = string.Join(",", sample.Values.Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()));
        var separator = attributes.Length > 0 ? "," : "";
        var csv = $"ref,class,description,lat,lon,address{separator}{attributes}\n"
            + $"wb-1001,{Noise.Code},网友反映小区夜间噪声,{point.Y},{point.X},南山区{separator}{values}\n"
            + $"wb-1002,{Noise.Code},网友反映某处噪声,31.23,121.47,上海{separator}{values}\n";
        // Saved as GBK, as a Chinese spreadsheet tool does.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gbk = System.Text.Encoding.GetEncoding("GBK").GetBytes(csv);

        async Task<JsonElement> ImportAsync()
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(gbk), "file", "opinion.csv" } };
            using var response = await dispatcher.PostAsync(new Uri("/api/events/opinion", UriKind.Relative), form);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }

        var first = await ImportAsync();
        var again = await ImportAsync();

        first.GetProperty("stored").GetInt32().ShouldBe(1);
        var error = first.GetProperty("errors").EnumerateArray().Single();
        error.GetProperty("row").GetInt32().ShouldBe(3);
        error.GetProperty("field").GetString().ShouldBe("place");
        again.GetProperty("stored").GetInt32().ShouldBe(0);
        again.GetProperty("alreadyStored").GetInt32().ShouldBe(1);
        var queue = await dispatcher.GetFromJsonAsync<JsonElement>("/api/events/queues/dispatcher");
        queue.EnumerateArray().ShouldContain(e => e.GetProperty("description").GetString() == "网友反映小区夜间噪声" && e.GetProperty("state").GetString() == "reported");
    }
}
