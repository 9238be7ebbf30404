using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Zhiwang.MasterData.Keys;
using Zhiwang.Server.Uploads;

namespace Zhiwang.Server.Tests.Uploads;

[Collection(SubmissionsAppCollection.Name)]
public sealed class UploadTests(SubmissionsAppFactory factory)
{
    private const string Page = "/masterdata/uploads";
    private const string Upload = "/api/masterdata/uploads";

    [Fact]
    public async Task The_upload_page_sends_an_anonymous_browser_to_sign_in_and_refuses_a_grid_worker()
    {
        using var anonymous = factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, Page);
        request.Headers.Accept.ParseAdd("text/html");
        using var worker = await factory.SignedInAsync("grid_worker");

        using var response = await anonymous.SendAsync(request);
        using var post = await anonymous.PostAsync(Upload, Form(null, "public_security_hukou.csv", [1, 2, 3]));
        using var workerPage = await worker.GetAsync(new Uri(Page, UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/login");
        post.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        workerPage.StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_upload_without_the_antiforgery_token_is_refused()
    {
        using var steward = await factory.SignedInAsync("data_steward");

        using var response = await steward.PostAsync(Upload, Form(null, "public_security_hukou.csv", Gbk(Header, Row("GA-NOTOKEN", Person(1)))));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("antiforgery");
    }

    [Fact]
    public async Task A_GBK_CSV_imports_with_its_row_errors_as_CSV_and_uploading_it_again_changes_nothing()
    {
        using var steward = await factory.SignedInAsync("data_steward");
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var file = Gbk(Header, Row($"GA-{suffix}-1", Person(1)), Row("", Person(2)), Row($"GA-{suffix}-3", Person(3)));

        var first = await UploadAsync(steward, null, "public_security_hukou.csv", file);
        var again = await UploadAsync(steward, "public_security", "public_security_hukou.csv", file);
        var page = await steward.GetStringAsync(new Uri($"{Page}/{again.Id}", UriKind.Relative));
        var csvBytes = await steward.GetByteArrayAsync(new Uri($"{Upload}/{first.Id}/errors.csv", UriKind.Relative));
        var csv = Encoding.UTF8.GetString(csvBytes);

        first.Stage.ShouldBe(UploadStages.Done, first.Failure);
        first.Department.ShouldBe("public_security");
        first.Summary.ShouldNotBeNull().ShouldSatisfyAllConditions(
            s => s.Rows.ShouldBe(3),
            s => s.Accepted.ShouldBe(2),
            s => s.Rejected.ShouldBe(1),
            s => s.New.ShouldBe(2),
            s => s.NothingChanged.ShouldBeFalse());
        again.Summary.ShouldNotBeNull().ShouldSatisfyAllConditions(
            s => s.Accepted.ShouldBe(0),
            s => s.Unchanged.ShouldBe(2),
            s => s.NothingChanged.ShouldBeTrue());
        page.ShouldContain("Nothing new: all 2 readable records were already stored; 1 row was rejected (below)");
        again.Summary.Note.ShouldBe("nothing new: all 2 readable records were already stored; 1 row was rejected (below)");
        page.ShouldContain("no record id");
        csvBytes[..3].ShouldBe(Encoding.UTF8.Preamble.ToArray(), "a BOM, so spreadsheet programs read the Chinese as UTF-8");
        csv.ShouldContain("file,row,field,reason\r\n");
        csv.ShouldContain("public_security_hukou.csv,3,记录编号,no record id");
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_with_the_limit()
    {
        using var steward = await factory.SignedInAsync("data_steward");
        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(steward, Page);

        using var response = await steward.PostAsync(Upload, Form(token, "public_security_hukou.csv", new byte[SubmissionsAppFactory.MaxUploadBytes + 1]));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("uploads are limited to 0.3 MB", Case.Sensitive, body);
    }

    [Fact]
    public async Task A_file_whose_name_matches_no_feed_or_whose_format_is_not_the_feeds_is_refused_before_importing()
    {
        using var steward = await factory.SignedInAsync("data_steward");
        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(steward, Page);

        using var unknown = await steward.PostAsync(Upload, Form(token, "weather.csv", [1]));
        using var workbookForm = Form(token, "public_security_hukou.xlsx", [1]);
        workbookForm.Add(new StringContent("public_security"), "department");
        using var workbook = await steward.PostAsync(Upload, workbookForm);

        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.Content.ReadAsStringAsync()).ShouldContain("pick the department");
        workbook.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refusal = await workbook.Content.ReadAsStringAsync();
        refusal.ShouldContain("public_security_hukou.xlsx is an Excel workbook", Case.Sensitive, refusal);
    }

    internal const string Header = "记录编号,公民身份号码,姓名,性别,民族,出生日期,户口性质,现住址,联系电话,登记日期";

    internal static (string Id, string Name) Person(int n) =>
        (IdNumber.Build("440306", new DateOnly(1960 + n, 1, 1), Random.Shared.Next(1, 999)), "赵" + "一二三四五"[n % 5]);

    internal static string Row(string recordId, (string Id, string Name) person) =>
        $"{recordId},{person.Id},{person.Name},{((person.Id[16] - '0') % 2 == 1 ? "男" : "女")},汉族,{person.Id[6..14]},户籍人口,,,2020-01-01";

    internal static byte[] Gbk(params string[] lines)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK").GetBytes(string.Join("\r\n", lines) + "\r\n");
    }

    /// <summary>A page form's multipart body: the antiforgery field (when given) and one file.</summary>
    internal static MultipartFormDataContent Form(
        (string Name, string Value)? token, string fileName, byte[] bytes, string fileField = "file", string contentType = "text/csv")
    {
        var form = new MultipartFormDataContent();
        if (token is { } field)
        {
            form.Add(new StringContent(field.Value), field.Name);
        }

        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, fileField, fileName);
        return form;
    }

    internal static async Task<UploadStatusResponse> UploadAsync(HttpClient steward, string? department, string fileName, byte[] bytes)
    {
        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(steward, Page);
        using var form = Form(token, fileName, bytes);
        form.Add(new StringContent(department ?? string.Empty), "department");
        using var response = await steward.PostAsync(Upload, form);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var id = response.Headers.Location!.OriginalString.Split('/')[^1];

        // The import runs in the background; follow it as the page does, with a generous bound so a slow machine is not a failure.
        for (var attempt = 0; attempt < 600; attempt++)
        {
            var status = await steward.GetFromJsonAsync<UploadStatusResponse>(new Uri($"{Upload}/{id}", UriKind.Relative));
            if (status!.Stage is UploadStages.Done or UploadStages.Failed)
            {
                return status;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"upload {id} did not finish within a minute");
    }
}
