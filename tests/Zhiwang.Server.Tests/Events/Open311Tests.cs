using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.Geometries;
using Zhiwang.Access;
using Zhiwang.Events.Catalogue;
using Zhiwang.Geo;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Server.Tests.Events;

/// <summary>Open311 GeoReport v2 on the real host: what civic tools read, how they report, and how they are refused.</summary>
[Collection(EventsAppCollection.Name)]
public sealed class Open311Tests(EventsAppFactory factory)
{
    private const string Base = "/open311/v2/";

    /// <summary>
    /// 噪声扰民纠纷, a dispute: parties (integer, required), noise_source (choice), at_night (boolean); dispatched to the
    /// community. It may be reported but is never published.
    /// </summary>
    private const string Noise = "D0101";

    /// <summary>
    /// 电动自行车违规停放充电, a hazard: bikes (integer, required), location (choice); dispatched to the community
    /// workstation. The public resources show it.
    /// </summary>
    private const string Bikes = "H0103";

    /// <summary>What every dispute class and every dispute's receipt says, in Chinese and in English.</summary>
    private const string NotPublishedZh = "矛盾纠纷涉及当事人隐私，不予公开";

    private const string NotPublishedEn = "Disputes are private matters between the parties and are not published";

    private const string Phone = "13800138000";

    [Fact]
    public async Task Discovery_names_the_GeoReport_v2_endpoint_in_json_and_in_xml()
    {
        using var client = factory.CreateClient();

        using var json = await GetJsonAsync(client, "discovery.json");
        var xml = await GetXmlAsync(client, "discovery.xml");

        var endpoint = json.RootElement.GetProperty("endpoints").EnumerateArray().ShouldHaveSingleItem();
        endpoint.GetProperty("specification").GetString().ShouldBe("http://wiki.open311.org/GeoReport_v2");
        endpoint.GetProperty("url").GetString().ShouldBe("http://localhost/open311/v2");
        endpoint.GetProperty("type").GetString().ShouldBe("production");
        endpoint.GetProperty("formats").EnumerateArray().Select(f => f.GetString()).ShouldBe(["text/xml", "application/json"]);
        json.RootElement.GetProperty("changeset").GetString().ShouldNotBeNullOrEmpty();
        json.RootElement.GetProperty("key_service").GetString()!.ShouldContain("open311");
        xml.Root!.Name.LocalName.ShouldBe("discovery");
        xml.Root.Element("endpoints")!.Element("endpoint")!.Element("formats")!.Elements("format").Select(f => f.Value)
            .ShouldBe(["text/xml", "application/json"]);
    }

    [Fact]
    public async Task Services_are_the_catalogues_classes_each_in_its_group_named_in_Chinese_unless_English_is_asked_for()
    {
        var catalogue = factory.Services.GetRequiredService<CatalogueStore>().Current;
        using var client = factory.CreateClient();
        using var english = new HttpRequestMessage(HttpMethod.Get, new Uri(Base + "services.json", UriKind.Relative));
        english.Headers.AcceptLanguage.ParseAdd("en-GB,en;q=0.9,zh;q=0.5");

        using var zh = await GetJsonAsync(client, "services.json");
        using var en = await GetJsonAsync(client, "services.json?locale=en");
        using var byHeader = await client.SendAsync(english);
        using var headerJson = JsonDocument.Parse(await byHeader.Content.ReadAsStringAsync());

        var services = zh.RootElement.EnumerateArray().ToList();
        services.Count.ShouldBe(catalogue.Classes.Count);
        services.Select(s => s.GetProperty("service_code").GetString()!).ShouldBe(catalogue.Classes.Select(c => c.Code));
        services.ShouldAllBe(s => s.GetProperty("group").GetString()!.Length > 0 && s.GetProperty("type").GetString() == "realtime");
        var noise = services.Single(s => s.GetProperty("service_code").GetString() == Noise);
        noise.GetProperty("service_name").GetString().ShouldBe("噪声扰民纠纷");
        noise.GetProperty("group").GetString().ShouldBe("邻里纠纷");
        noise.GetProperty("metadata").GetBoolean().ShouldBeTrue();
        noise.GetProperty("keywords").GetString().ShouldBe("dispute, neighbourhood, normal");
        noise.GetProperty("description").GetString()!.ShouldContain(NotPublishedZh);
        services.Single(s => s.GetProperty("service_code").GetString() == Bikes).GetProperty("description").GetString()!
            .ShouldNotContain(NotPublishedZh);
        foreach (var document in new[] { en, headerJson })
        {
            var named = document.RootElement.EnumerateArray().Single(s => s.GetProperty("service_code").GetString() == Noise);
            named.GetProperty("service_name").GetString().ShouldBe("Noise between neighbours");
            named.GetProperty("group").GetString().ShouldBe("Neighbourhood");
            named.GetProperty("description").GetString()!.ShouldContain(NotPublishedEn);
        }
    }

    [Fact]
    public async Task A_service_definition_gives_each_attribute_its_datatype_and_a_choice_its_values()
    {
        var noise = factory.Services.GetRequiredService<CatalogueStore>().Current.Find(Noise)!;
        using var client = factory.CreateClient();

        using var json = await GetJsonAsync(client, $"services/{Noise}.json?locale=en");
        var xml = await GetXmlAsync(client, $"services/{Noise}.xml");
        using var unknown = await client.GetAsync(new Uri(Base + "services/Z9999.json", UriKind.Relative));

        json.RootElement.GetProperty("service_code").GetString().ShouldBe(Noise);
        var attributes = json.RootElement.GetProperty("attributes").EnumerateArray().ToDictionary(a => a.GetProperty("code").GetString()!);
        attributes.Keys.ShouldBe(noise.Attributes.Select(a => a.Name));
        attributes["parties"].GetProperty("datatype").GetString().ShouldBe("number");
        attributes["parties"].GetProperty("required").GetBoolean().ShouldBeTrue();
        attributes["parties"].GetProperty("variable").GetBoolean().ShouldBeTrue();
        attributes["parties"].GetProperty("order").GetInt32().ShouldBe(1);
        attributes["parties"].GetProperty("description").GetString().ShouldBe("Parties involved");
        var source = attributes["noise_source"];
        source.GetProperty("datatype").GetString().ShouldBe("singlevaluelist");
        source.GetProperty("required").GetBoolean().ShouldBeFalse();
        source.GetProperty("values").EnumerateArray().Select(v => v.GetProperty("key").GetString()!)
            .ShouldBe(noise.FindAttribute("noise_source")!.Options);
        attributes["at_night"].GetProperty("values").EnumerateArray().Select(v => v.GetProperty("key").GetString()).ShouldBe(["true", "false"]);
        xml.Root!.Name.LocalName.ShouldBe("service_definition");
        xml.Root.Element("attributes")!.Elements("attribute").Count().ShouldBe(noise.Attributes.Count);
        xml.Root.Descendants("value").Select(v => v.Element("key")!.Value).ShouldContain("renovation");
        (await ErrorsAsync(unknown, HttpStatusCode.NotFound)).ShouldHaveSingleItem().ShouldStartWith("service_code:");
    }

    [Fact]
    public async Task A_client_with_the_open311_grant_reports_an_event_that_requests_shows_with_its_agency_and_deadline_and_no_personal_data()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));
        using var anonymous = factory.CreateClient();

        var receipt = await ReportAsync(client);
        var id = receipt.GetProperty("service_request_id").GetString()!;
        using var shown = await GetJsonAsync(anonymous, $"requests/{id}.json");
        var stored = await StoredAsync(long.Parse(id, CultureInfo.InvariantCulture));

        receipt.GetProperty("token").GetString()!.Length.ShouldBe(22);
        receipt.GetProperty("service_notice").GetString().ShouldStartWith("已派至社区工作站（");
        receipt.GetProperty("service_notice").GetString()!.ShouldNotContain(NotPublishedZh);
        var request = shown.RootElement.EnumerateArray().ShouldHaveSingleItem();
        request.GetProperty("service_request_id").GetString().ShouldBe(id);
        request.GetProperty("status").GetString().ShouldBe("open");
        request.GetProperty("service_code").GetString().ShouldBe(Bikes);
        request.GetProperty("service_name").GetString().ShouldBe("电动自行车违规停放充电");
        request.GetProperty("agency_responsible").GetString().ShouldStartWith("社区工作站（福田区");
        request.GetProperty("expected_datetime").GetString().ShouldEndWith("+08:00");
        request.GetProperty("requested_datetime").GetString().ShouldEndWith("+08:00");
        request.GetProperty("description").GetString().ShouldBe("楼道里停了三辆电动自行车，还拉线充电。");
        request.GetProperty("address").GetString().ShouldBe("福田区某小区3栋");
        request.GetProperty("lat").GetDouble().ShouldBe(Place().Y, 1e-9);
        request.GetProperty("long").GetDouble().ShouldBe(Place().X, 1e-9);
        var raw = shown.RootElement.GetRawText();
        raw.ShouldNotContain(Phone);
        raw.ShouldNotContain("小明");
        raw.ShouldNotContain("token");
        raw.ShouldNotContain("client-");
        stored.Name.ShouldBe("王小明");
        stored.Phone.ShouldBe(Phone);
        stored.Channel.ShouldBe("open311");
        using var attributes = JsonDocument.Parse(stored.Attributes!);
        attributes.RootElement.GetProperty("bikes").GetInt32().ShouldBe(3);
        attributes.RootElement.GetProperty("location").GetString().ShouldBe("corridor");
    }

    [Fact]
    public async Task Reporting_without_a_key_or_with_a_wrong_one_is_refused_with_401()
    {
        using var anonymous = factory.CreateClient();
        using var wrong = factory.ClientWithKey("zw_0000000000000000.not-the-secret");

        using var none = await anonymous.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form());
        using var bad = await wrong.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form());
        using var badField = await anonymous.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form(("api_key", "zw_1.wrong")));

        (await ErrorsAsync(none, HttpStatusCode.Unauthorized)).ShouldHaveSingleItem().ShouldStartWith("api_key: required");
        none.Headers.WwwAuthenticate.ToString().ShouldBe("ApiKey");
        (await ErrorsAsync(bad, HttpStatusCode.Unauthorized)).ShouldHaveSingleItem().ShouldStartWith("Authorization:");
        (await ErrorsAsync(badField, HttpStatusCode.Unauthorized)).ShouldHaveSingleItem().ShouldStartWith("api_key:");
    }

    [Fact]
    public async Task Reporting_with_a_key_that_lacks_the_open311_grant_is_refused_with_403()
    {
        var key = await factory.ClientKeyAsync("verify:person");
        using var client = factory.ClientWithKey(key);
        using var anonymous = factory.CreateClient();

        using var byHeader = await client.PostAsync(new Uri(Base + "requests.xml", UriKind.Relative), Form());
        using var byField = await anonymous.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form(("api_key", key)));

        byHeader.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var xml = XDocument.Parse(await byHeader.Content.ReadAsStringAsync());
        xml.Root!.Name.LocalName.ShouldBe("errors");
        xml.Root.Element("error")!.Element("code")!.Value.ShouldBe("403");
        (await ErrorsAsync(byField, HttpStatusCode.Forbidden)).ShouldHaveSingleItem().ShouldContain("open311");
    }

    [Fact]
    public async Task The_key_may_come_in_the_api_key_field_as_the_spec_sends_it()
    {
        var key = await factory.ClientKeyAsync(Grants.Open311);
        using var anonymous = factory.CreateClient();

        using var response = await anonymous.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form(("api_key", key)));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var receipt = JsonDocument.Parse(body);
        receipt.RootElement.EnumerateArray().ShouldHaveSingleItem().GetProperty("service_request_id").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task A_place_outside_the_city_is_a_400_naming_lat_and_long()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));

        using var beijing = await client.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form(("lat", "39.9042"), ("long", "116.4074")));
        using var unreadable = await client.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form(("lat", "north")));
        using var addressOnly = await client.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form(("lat", null), ("long", null)));

        (await ErrorsAsync(beijing, HttpStatusCode.BadRequest)).ShouldHaveSingleItem().ShouldStartWith("lat/long: (39.9042, 116.4074) lies outside the city");
        (await ErrorsAsync(unreadable, HttpStatusCode.BadRequest)).ShouldHaveSingleItem().ShouldStartWith("lat: 'north' is not a number");
        (await ErrorsAsync(addressOnly, HttpStatusCode.BadRequest)).ShouldHaveSingleItem().ShouldStartWith("lat/long: required");
    }

    [Fact]
    public async Task An_unknown_service_is_a_400_naming_service_code_and_every_other_problem_is_listed_with_it()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));

        using var response = await client.PostAsync(
            new Uri(Base + "requests.json", UriKind.Relative), Form(("service_code", "Z9999"), ("description", null), ("phone", "call me")));

        (await ErrorsAsync(response, HttpStatusCode.BadRequest)).ShouldBe(
        [
            "service_code: 'Z9999' is not a class of catalogue version 1",
            "description: required: what is wrong, in a sentence or more",
            "phone: 'call me' is not a phone number (digits, optionally +, spaces or dashes; 5 to 20 digits)",
        ]);
    }

    [Fact]
    public async Task A_missing_required_attribute_or_a_value_of_the_wrong_type_is_a_400_naming_the_attribute()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));

        using var missing = await client.PostAsync(new Uri(Base + "requests.json", UriKind.Relative), Form(("attribute[bikes]", null)));
        using var wrong = await client.PostAsync(
            new Uri(Base + "requests.json", UriKind.Relative), Form(("attribute[bikes]", "three"), ("attribute[location]", "roof"), ("attribute[colour]", "red")));

        (await ErrorsAsync(missing, HttpStatusCode.BadRequest)).ShouldBe(["attribute[bikes]: required"]);
        (await ErrorsAsync(wrong, HttpStatusCode.BadRequest)).ShouldBe(
        [
            "attribute[bikes]: expected a whole number, got 'three'",
            "attribute[location]: 'roof' is not one of corridor, stairwell, indoors, lobby, other",
            "attribute[colour]: not an attribute of H0103",
        ]);
    }

    [Fact]
    public async Task A_report_may_be_sent_as_JSON_with_its_attributes_as_an_object()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));
        var point = Place(1);
        var json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["service_code"] = Bikes,
            ["lat"] = point.Y,
            ["long"] = point.X,
            ["description"] = "电动自行车堵住了楼梯间。",
            ["media_url"] = "https://example.cn/photos/1.jpg",
            ["attribute"] = new Dictionary<string, object> { ["bikes"] = 2, ["location"] = "stairwell" },
        });

        using var response = await client.PostAsync(
            new Uri(Base + "requests.json", UriKind.Relative), new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var receipt = JsonDocument.Parse(body);
        var id = receipt.RootElement[0].GetProperty("service_request_id").GetString();
        using var shown = await GetJsonAsync(client, $"requests/{id}.json");

        var request = shown.RootElement[0];
        request.GetProperty("description").GetString().ShouldBe("电动自行车堵住了楼梯间。");
        request.GetProperty("media_url").GetString().ShouldBe("https://example.cn/photos/1.jpg");
        request.GetProperty("address").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task XML_documents_parse_and_have_the_root_and_item_elements_the_spec_names()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));
        using var posted = await client.PostAsync(new Uri(Base + "requests.xml", UriKind.Relative), Form());
        var receipt = XDocument.Parse(await posted.Content.ReadAsStringAsync());
        var id = receipt.Root!.Element("request")!.Element("service_request_id")!.Value;

        var services = await GetXmlAsync(client, "services.xml");
        var requests = await GetXmlAsync(client, $"requests.xml?service_request_ids={id}");
        var updates = await GetXmlAsync(client, "servicerequestupdates.xml");
        using var refused = await client.PostAsync(new Uri(Base + "requests.xml", UriKind.Relative), Form(("service_code", null)));
        var errors = XDocument.Parse(await refused.Content.ReadAsStringAsync());

        posted.StatusCode.ShouldBe(HttpStatusCode.OK);
        posted.Content.Headers.ContentType!.MediaType.ShouldBe("text/xml");
        posted.Content.Headers.ContentType.CharSet.ShouldBe("utf-8");
        receipt.Declaration!.Encoding.ShouldBe("utf-8", StringCompareShould.IgnoreCase);
        receipt.Root.Name.LocalName.ShouldBe("service_requests");
        services.Root!.Name.LocalName.ShouldBe("services");
        services.Root.Elements("service").First().Element("service_name")!.Value.ShouldNotBeNullOrEmpty();
        var request = requests.Root!.Elements("request").ShouldHaveSingleItem();
        requests.Root.Name.LocalName.ShouldBe("service_requests");
        request.Element("service_request_id")!.Value.ShouldBe(id);
        request.Element("agency_responsible")!.Value.ShouldContain("社区工作站");
        updates.Root!.Name.LocalName.ShouldBe("service_request_updates");
        updates.Root.Elements("request_update").ShouldContain(u => u.Element("service_request_id")!.Value == id);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        errors.Root!.Name.LocalName.ShouldBe("errors");
        errors.Root.Element("error")!.Element("description")!.Value.ShouldStartWith("service_code: required");
    }

    [Fact]
    public async Task A_token_leads_to_its_request_and_an_unknown_one_is_404()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));
        var receipt = await ReportAsync(client);
        var token = receipt.GetProperty("token").GetString();

        using var found = await GetJsonAsync(client, $"tokens/{token}.json");
        using var unknown = await client.GetAsync(new Uri(Base + "tokens/abcdefghijkmnpqr.json", UriKind.Relative));

        var entry = found.RootElement.EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("service_request_id").GetString().ShouldBe(receipt.GetProperty("service_request_id").GetString());
        entry.GetProperty("token").GetString().ShouldBe(token);
        (await ErrorsAsync(unknown, HttpStatusCode.NotFound)).ShouldHaveSingleItem().ShouldStartWith("token:");
    }

    [Fact]
    public async Task Service_request_updates_list_the_report_its_acceptance_and_its_dispatch_without_naming_who_acted()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));
        var id = (await ReportAsync(client)).GetProperty("service_request_id").GetString();

        using var updates = await GetJsonAsync(client, "servicerequestupdates.json");
        using var english = await GetJsonAsync(client, "servicerequestupdates.json?locale=en");
        using var tooLong = await client.GetAsync(new Uri(Base + "servicerequestupdates.json?start_date=2026-01-01&end_date=2026-06-01", UriKind.Relative));

        var ours = updates.RootElement.EnumerateArray().Where(u => u.GetProperty("service_request_id").GetString() == id).ToList();
        ours.Select(u => u.GetProperty("update_id").GetString()).ShouldBe([$"{id}-1", $"{id}-2", $"{id}-3"]);
        ours.ShouldAllBe(u => u.GetProperty("status").GetString() == "open" && u.GetProperty("media_url").GetString() == "");
        ours.Select(u => u.GetProperty("description").GetString()).Take(2).ShouldBe(["已上报", "已受理"]);
        ours[2].GetProperty("description").GetString().ShouldNotBeNullOrEmpty();
        english.RootElement.EnumerateArray().Where(u => u.GetProperty("service_request_id").GetString() == id)
            .Select(u => u.GetProperty("description").GetString()).Take(2).ShouldBe(["Reported", "Accepted"]);
        updates.RootElement.GetRawText().ShouldNotContain("client-");
        (await ErrorsAsync(tooLong, HttpStatusCode.BadRequest)).ShouldHaveSingleItem().ShouldStartWith("start_date/end_date: may not span more than 90 days");
    }

    [Fact]
    public async Task Requests_are_listed_by_service_and_status_and_bad_parameters_are_400()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));
        var id = (await ReportAsync(client)).GetProperty("service_request_id").GetString();

        using var open = await GetJsonAsync(client, $"requests.json?service_code={Bikes},H0101&status=open");
        using var closed = await GetJsonAsync(client, $"requests.json?service_code={Bikes}&status=closed");
        using var otherService = await GetJsonAsync(client, "requests.json?service_code=H0101");
        using var unknown = await client.GetAsync(new Uri(Base + "requests/999999999.json", UriKind.Relative));
        using var bad = await client.GetAsync(new Uri(Base + "requests.json?status=pending&start_date=yesterday", UriKind.Relative));
        using var otherCity = await client.GetAsync(new Uri(Base + "requests.json?jurisdiction_id=nyc.gov", UriKind.Relative));

        Ids(open).ShouldContain(id);
        Ids(closed).ShouldNotContain(id);
        Ids(otherService).ShouldNotContain(id);
        (await ErrorsAsync(unknown, HttpStatusCode.NotFound)).ShouldHaveSingleItem().ShouldStartWith("service_request_id:");
        (await ErrorsAsync(bad, HttpStatusCode.BadRequest)).ShouldBe(
        [
            "status: 'pending' is not open or closed",
            "start_date: 'yesterday' is not a W3C date-time, e.g. 2026-11-24T09:30:00+08:00",
        ]);
        (await ErrorsAsync(otherCity, HttpStatusCode.NotFound)).ShouldHaveSingleItem().ShouldStartWith("jurisdiction_id: 'nyc.gov' is not served here");

        static List<string?> Ids(JsonDocument document) =>
            document.RootElement.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()).ToList();
    }

    [Fact]
    public async Task Reporting_again_with_the_same_idempotency_key_gives_the_same_request()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));
        var key = "fms-" + Guid.NewGuid().ToString("N");

        var first = await ReportAsync(client, key);
        var again = await ReportAsync(client, key);
        var asField = await ReportAsync(client, null, ("client_key", key));
        var other = await ReportAsync(client, "fms-" + Guid.NewGuid().ToString("N"));

        again.GetProperty("service_request_id").GetString().ShouldBe(first.GetProperty("service_request_id").GetString());
        again.GetProperty("token").GetString().ShouldBe(first.GetProperty("token").GetString());
        asField.GetProperty("service_request_id").GetString().ShouldBe(first.GetProperty("service_request_id").GetString());
        other.GetProperty("service_request_id").GetString().ShouldNotBe(first.GetProperty("service_request_id").GetString());
    }

    [SkippableTheory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task A_report_is_stored_and_read_back_as_request_and_updates_on_either_database(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = new EventsAppFactory(database.Database.ConnectionString);
        using var client = host.ClientWithKey(await host.ClientKeyAsync(Grants.Open311));

        var id = (await ReportAsync(client)).GetProperty("service_request_id").GetString();
        var dispute = (await ReportDisputeAsync(client)).GetProperty("service_request_id").GetString();
        using var requests = await GetJsonAsync(client, $"requests.json?service_request_ids={id},{id},{dispute}");
        using var listed = await GetJsonAsync(client, $"requests.json?service_code={Bikes},{Noise}&status=open");
        using var all = await GetJsonAsync(client, "requests.json");
        using var updates = await GetJsonAsync(client, "servicerequestupdates.json");
        using var hidden = await client.GetAsync(new Uri(Base + $"requests/{dispute}.json", UriKind.Relative));

        var request = requests.RootElement.EnumerateArray().ShouldHaveSingleItem();
        request.GetProperty("service_request_id").GetString().ShouldBe(id);
        request.GetProperty("status_notes").ValueKind.ShouldBeOneOf(JsonValueKind.String, JsonValueKind.Null);
        request.GetProperty("agency_responsible").GetString().ShouldNotBeNullOrEmpty();
        listed.RootElement.EnumerateArray().ShouldHaveSingleItem().GetProperty("service_request_id").GetString().ShouldBe(id);
        all.RootElement.EnumerateArray().ShouldHaveSingleItem().GetProperty("service_request_id").GetString().ShouldBe(id);
        updates.RootElement.EnumerateArray().Select(u => u.GetProperty("update_id").GetString()).ShouldBe([$"{id}-1", $"{id}-2", $"{id}-3"]);
        (await ErrorsAsync(hidden, HttpStatusCode.NotFound)).ShouldHaveSingleItem().ShouldBe($"service_request_id: there is no request '{dispute}'");
    }

    [Fact]
    public async Task A_dispute_is_reported_and_its_token_resolves_but_no_public_resource_shows_it_or_admits_it_exists()
    {
        using var client = factory.ClientWithKey(await factory.ClientKeyAsync(Grants.Open311));
        using var anonymous = factory.CreateClient();
        var receipt = await ReportDisputeAsync(client);
        using var inEnglish = await client.PostAsync(new Uri(Base + "requests.json?locale=en", UriKind.Relative), DisputeForm());
        using var english = JsonDocument.Parse(await inEnglish.Content.ReadAsStringAsync());
        var id = receipt.GetProperty("service_request_id").GetString()!;
        var token = receipt.GetProperty("token").GetString()!;

        using var byId = await anonymous.GetAsync(new Uri(Base + $"requests/{id}.json", UriKind.Relative));
        using var byIdXml = await anonymous.GetAsync(new Uri(Base + $"requests/{id}.xml", UriKind.Relative));
        using var never = await anonymous.GetAsync(new Uri(Base + "requests/999999999.json", UriKind.Relative));
        using var byIds = await GetJsonAsync(anonymous, $"requests.json?service_request_ids={id}");
        using var byService = await GetJsonAsync(anonymous, $"requests.json?service_code={Noise}");
        using var listed = await GetJsonAsync(anonymous, "requests.json");
        using var updates = await GetJsonAsync(anonymous, "servicerequestupdates.json");
        using var found = await GetJsonAsync(anonymous, $"tokens/{token}.json");
        var stored = await StoredAsync(long.Parse(id, CultureInfo.InvariantCulture));

        token.Length.ShouldBe(22);
        receipt.GetProperty("service_notice").GetString().ShouldStartWith("已派至社区人民调解委员会（");
        receipt.GetProperty("service_notice").GetString()!.ShouldContain(NotPublishedZh);
        inEnglish.StatusCode.ShouldBe(HttpStatusCode.OK);
        english.RootElement.EnumerateArray().ShouldHaveSingleItem().GetProperty("service_notice").GetString()!.ShouldContain(NotPublishedEn);
        stored.Channel.ShouldBe("open311");
        (await ErrorsAsync(byId, HttpStatusCode.NotFound)).ShouldHaveSingleItem().ShouldBe($"service_request_id: there is no request '{id}'");
        (await ErrorsAsync(never, HttpStatusCode.NotFound)).ShouldHaveSingleItem().ShouldBe("service_request_id: there is no request '999999999'");
        byIdXml.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        byIds.RootElement.GetArrayLength().ShouldBe(0);
        byService.RootElement.GetArrayLength().ShouldBe(0);
        listed.RootElement.EnumerateArray().ShouldAllBe(r => r.GetProperty("service_code").GetString()!.StartsWith('H'));
        listed.RootElement.EnumerateArray().Select(r => r.GetProperty("service_request_id").GetString()).ShouldNotContain(id);
        updates.RootElement.EnumerateArray().Select(u => u.GetProperty("service_request_id").GetString()).ShouldNotContain(id);
        var entry = found.RootElement.EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("service_request_id").GetString().ShouldBe(id);
        entry.GetProperty("token").GetString().ShouldBe(token);
        foreach (var raw in new[] { byIds, byService, listed, updates }.Select(d => d.RootElement.GetRawText()))
        {
            raw.ShouldNotContain("楼上装修噪声");
        }
    }

    /// <summary>A grid of Futian's interior point.</summary>
    private static Point Place(int index = 0) =>
        CityMap.Shenzhen.Grids.Where(g => g.DistrictCode == "440304").ElementAt(index).Boundary.InteriorPoint;

    /// <summary>A valid report of e-bikes in the corridor (a hazard) as a form; a change with a null value leaves that field out.</summary>
    private static FormUrlEncodedContent Form(params (string Name, string? Value)[] changes) =>
        Form(
            [
                ("service_code", Bikes), ("description", "楼道里停了三辆电动自行车，还拉线充电。"),
                ("attribute[bikes]", "3"), ("attribute[location]", "corridor"),
            ],
            changes);

    /// <summary>A valid noise report (a dispute) as a form, with the same changes as <see cref="Form(ValueTuple{string, string}[])"/>.</summary>
    private static FormUrlEncodedContent DisputeForm(params (string Name, string? Value)[] changes) =>
        Form(
            [
                ("service_code", Noise), ("description", "楼上装修噪声持续到深夜，影响休息。"),
                ("attribute[parties]", "2"), ("attribute[noise_source]", "renovation"), ("attribute[at_night]", "true"),
            ],
            changes);

    private static FormUrlEncodedContent Form((string Name, string Value)[] service, (string Name, string? Value)[] changes)
    {
        var point = Place();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["jurisdiction_id"] = "shenzhen.gov.cn",
            ["lat"] = point.Y.ToString("R", CultureInfo.InvariantCulture),
            ["long"] = point.X.ToString("R", CultureInfo.InvariantCulture),
            ["address_string"] = "福田区某小区3栋",
            ["first_name"] = "小明",
            ["last_name"] = "王",
            ["phone"] = Phone,
            ["email"] = "wang@example.cn",
            ["device_id"] = "device-1",
        };
        foreach (var (name, value) in service)
        {
            fields[name] = value;
        }

        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                fields.Remove(name);
            }
            else
            {
                fields[name] = value;
            }
        }

        return new FormUrlEncodedContent(fields);
    }

    /// <summary>Posts a valid hazard report (with an Idempotency-Key when given) and returns the one receipt.</summary>
    private static Task<JsonElement> ReportAsync(HttpClient client, string? idempotencyKey = null, params (string Name, string? Value)[] changes) =>
        SendAsync(client, Form(changes), idempotencyKey);

    /// <summary>Posts a valid dispute report and returns the one receipt.</summary>
    private static Task<JsonElement> ReportDisputeAsync(HttpClient client, params (string Name, string? Value)[] changes) =>
        SendAsync(client, DisputeForm(changes), null);

    private static async Task<JsonElement> SendAsync(HttpClient client, FormUrlEncodedContent form, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Base + "requests.json", UriKind.Relative)) { Content = form };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.EnumerateArray().ShouldHaveSingleItem().Clone();
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(Base + path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        return JsonDocument.Parse(body);
    }

    private static async Task<XDocument> GetXmlAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(Base + path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/xml");
        return XDocument.Parse(body);
    }

    /// <summary>The Open311 errors of a refused request, each carrying <paramref name="status"/> as its code.</summary>
    private static async Task<List<string>> ErrorsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        using var document = JsonDocument.Parse(body);
        var errors = document.RootElement.EnumerateArray().ToList();
        errors.ShouldNotBeEmpty();
        errors.Select(e => e.GetProperty("code").GetInt32()).ShouldAllBe(code => code == (int)status);
        return errors.Select(e => e.GetProperty("description").GetString()!).ToList();
    }

    /// <summary>What the event table holds about the reporter, the channel and the attributes, read directly.</summary>
    private async Task<(string? Name, string? Phone, string Channel, string? Attributes)> StoredAsync(long eventId)
    {
        var database = factory.Services.GetRequiredService<Database>();
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        return await connection.QuerySingleAsync<(string?, string?, string, string?)>(
            "SELECT reporter_name, reporter_phone, channel, attributes FROM event WHERE event_id = @eventId", new { eventId });
    }
}
