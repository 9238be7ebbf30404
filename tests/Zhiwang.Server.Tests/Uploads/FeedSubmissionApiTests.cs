using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Storage;
using Zhiwang.MasterData.Keys;
using Zhiwang.MasterData.Submissions;

namespace Zhiwang.Server.Tests.Uploads;

[Collection(SubmissionsAppCollection.Name)]
public sealed class FeedSubmissionApiTests(SubmissionsAppFactory factory)
{
    private const string Records = "/api/masterdata/feeds/public_security/records";

    [Fact]
    public async Task A_batch_and_a_single_record_are_stored_and_linked_by_key_and_sending_them_again_changes_nothing()
    {
        using var client = await ClientAsync("feed:public_security", "feed:education");
        var id = IdNumber.Build("440305", new DateOnly(1979, 4, 2), Random.Shared.Next(1, 900));
        var child = IdNumber.Build("440305", new DateOnly(2012, 8, 1), Random.Shared.Next(1, 900));
        var suffix = Guid.NewGuid().ToString("N")[..8];
        object[] batch = [Resident("GA-" + suffix, id, "王芳")];

        using var first = await client.PostAsJsonAsync(Records, batch);
        var stored = await first.Content.ReadFromJsonAsync<FeedSubmissionResponse>();
        using var single = await client.PutAsJsonAsync($"/api/masterdata/feeds/education/records/XJ-{suffix}", new Dictionary<string, string?>
        {
            ["学生身份证号"] = child, ["学生姓名"] = "王小明", ["监护人身份证号"] = id, ["监护人姓名"] = "王芳",
        });
        var student = await single.Content.ReadFromJsonAsync<SubmittedRecord>();
        using var again = await client.PostAsJsonAsync(Records, batch);
        var repeated = await again.Content.ReadFromJsonAsync<FeedSubmissionResponse>();

        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        var golden = stored!.Results.ShouldHaveSingleItem().Links.ShouldHaveSingleItem().GoldenId.ShouldNotBeNull();
        single.StatusCode.ShouldBe(HttpStatusCode.OK);
        student!.RecordId.ShouldBe("XJ-" + suffix);
        student.Links.Single(l => l.Role == "guardian").ShouldSatisfyAllConditions(
            l => l.Method.ShouldBe("key"),
            l => l.GoldenId.ShouldBe(golden));
        repeated!.Unchanged.ShouldBe(1);
        repeated.Results[0].Version.ShouldBe(1);
    }

    [Fact]
    public async Task On_sqlite_the_server_writes_a_submitted_persons_name_into_the_fragment_index_by_itself_and_checkpoints_in_the_background()
    {
        var database = factory.Services.GetRequiredService<Database>();
        database.Provider.ShouldBe(DatabaseProvider.Sqlite);
        using var client = await ClientAsync("feed:public_security");
        var id = IdNumber.Build("440305", new DateOnly(1979, 4, 2), Random.Shared.Next(1, 900));
        var recordId = "GA-" + Guid.NewGuid().ToString("N")[..8];

        using var response = await client.PutAsJsonAsync($"{Records}/{recordId}", Resident(recordId, id, "欧阳芳华"));
        var golden = (await response.Content.ReadFromJsonAsync<SubmittedRecord>())!.Links.ShouldHaveSingleItem().GoldenId;

        // The record's commit leaves the name for the backlog; only the server's background indexing (every second) puts
        // it into FTS5, which MATCH reads. Waited for, not timed.
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        const string trigrams = "\"欧阳芳\" AND \"阳芳华\"";
        var searchId = await connection.ExecuteScalarAsync<long>("SELECT search_id FROM golden_search WHERE golden_id = @golden", new { golden });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await connection.ExecuteScalarAsync<long>(
                   "SELECT COUNT(*) FROM golden_search_fragment WHERE golden_search_fragment MATCH @trigrams AND rowid = @searchId", new { trigrams, searchId }) == 0
               && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100);
        }

        (await connection.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM golden_search_fragment WHERE golden_search_fragment MATCH @trigrams AND rowid = @searchId", new { trigrams, searchId })).ShouldBe(1);
        database.CheckpointsInBackground.ShouldBeTrue();
    }

    [Fact]
    public async Task A_call_without_an_API_key_gets_401()
    {
        using var client = factory.CreateClient();

        using var response = await client.PostAsJsonAsync(Records, new[] { Resident("GA1", null, "王芳") });

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("feed:education")]
    [InlineData("open311")]
    [InlineData("feed")]
    public async Task A_client_without_the_departments_feed_grant_gets_403(string grant)
    {
        using var client = await ClientAsync(grant);

        using var response = await client.PostAsJsonAsync(Records, new[] { Resident("GA1", null, "王芳") });
        using var single = await client.PutAsJsonAsync(Records + "/GA1", Resident("GA1", null, "王芳"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        single.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_signed_in_data_steward_cannot_submit_a_departments_records()
    {
        using var client = await factory.SignedInAsync("data_steward");

        using var response = await client.PostAsJsonAsync(Records, new[] { Resident("GA1", null, "王芳") });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_body_over_the_byte_limit_gets_413_naming_the_limit()
    {
        using var client = await ClientAsync("feed:*");
        var big = Enumerable.Range(0, 10).Select(i => Resident($"GA{i}", null, new string('王', 3000))).ToArray();

        using var response = await client.PostAsJsonAsync(Records, big);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain("at most 65,536 bytes");
    }

    [Fact]
    public async Task A_chunked_body_over_the_byte_limit_gets_413_too()
    {
        using var client = await ClientAsync("feed:public_security");
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("[" + new string(' ', (int)SubmissionsAppFactory.MaxBodyBytes) + "]")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, Records) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_batch_over_the_record_limit_gets_413_naming_the_limit_and_stores_nothing()
    {
        using var client = await ClientAsync("feed:public_security");
        var records = Enumerable.Range(0, SubmissionsAppFactory.MaxRecords + 1).Select(i => Resident($"OVER{i}", null, "王芳")).ToArray();

        using var response = await client.PostAsJsonAsync(Records, records);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        using var one = await client.PutAsJsonAsync(Records + "/OVER1", Resident("OVER1", null, "王芳"));
        var stored = await one.Content.ReadFromJsonAsync<SubmittedRecord>();

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        problem.GetProperty("detail").GetString().ShouldNotBeNull().ShouldContain($"at most {SubmissionsAppFactory.MaxRecords}");
        stored!.Outcome.ShouldBe(SubmissionOutcome.Accepted, "the refused batch stored nothing");
    }

    [Fact]
    public async Task Malformed_JSON_a_mismatched_record_id_and_an_unknown_department_get_precise_problems()
    {
        using var client = await ClientAsync("feed:*");

        using var malformed = await client.PostAsync(Records, new StringContent("[{\"记录编号\": \"GA1\",}", Encoding.UTF8, "application/json"));
        using var mismatch = await client.PutAsJsonAsync(Records + "/GA1", Resident("GA2", null, "王芳"));
        using var unknown = await client.PostAsJsonAsync("/api/masterdata/feeds/weather/records", new[] { Resident("GA1", null, "王芳") });
        using var empty = await client.PutAsJsonAsync(Records + "/GA-EMPTY", new Dictionary<string, string>());

        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.Content.ReadAsStringAsync()).ShouldContain("line 1");
        mismatch.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await mismatch.Content.ReadAsStringAsync()).ShouldContain("'GA2'");
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("public_security");
        empty.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await empty.Content.ReadFromJsonAsync<SubmittedRecord>())!.Reason.ShouldNotBeNull().ShouldContain("no usable mention");
    }

    private async Task<HttpClient> ClientAsync(params string[] grants)
    {
        var key = await factory.ClientKeyAsync(grants);
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", key);
        return client;
    }

    private static Dictionary<string, string?> Resident(string recordId, string? idNumber, string name) => new()
    {
        ["记录编号"] = recordId, ["公民身份号码"] = idNumber, ["姓名"] = name, ["性别"] = "女", ["出生日期"] = "19790402", ["户口性质"] = "户籍人口",
    };
}
