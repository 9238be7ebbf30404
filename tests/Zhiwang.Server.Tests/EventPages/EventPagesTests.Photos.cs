using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Zhiwang.Access;
using Zhiwang.Events.Photos;
using Zhiwang.Server.Tests.Uploads;
using static Zhiwang.Server.Tests.Events.EventsAppFactory;

namespace Zhiwang.Server.Tests.EventPages;

/// <summary>The event page's photo form: the API's rule and checks, the outcome said on the page after the redirect.</summary>
public sealed partial class EventPagesTests
{
    /// <summary>A 1×1 PNG, as a phone would send a (much larger) one.</summary>
    internal static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task A_photo_sent_from_the_page_form_is_stored_and_shown_among_the_photos()
    {
        var (eventId, handler) = await DispatchedEventAsync();

        var html = await handler.GetStringAsync(new Uri($"/events/{eventId}", UriKind.Relative));
        using var posted = await PostPhotoAsync(handler, eventId, TinyPng, "site.png");
        var page = await handler.GetStringAsync(posted.Headers.Location);
        var photo = await handler.GetByteArrayAsync(new Uri($"/api/events/{eventId}/photos/1", UriKind.Relative));

        html.ShouldContain($"action=\"/events/{eventId}/photos\" enctype=\"multipart/form-data\"");
        html.ShouldContain("accept=\"image/*\" capture=\"environment\"");
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.ShouldContain("已完成：添加照片。");
        page.ShouldContain($"<img src=\"/api/events/{eventId}/photos/1\"");
        page.ShouldContain("data-action=\"photo\"", customMessage: "the timeline has the photo's line");
        photo.ShouldBe(TinyPng);
    }

    [Fact]
    public async Task A_photo_too_large_or_not_an_image_is_refused_on_the_page_in_its_language_and_nothing_is_stored()
    {
        var (eventId, handler) = await DispatchedEventAsync();
        var tooLarge = new byte[EventPhotos.MaxBytes + 1];
        TinyPng.CopyTo(tooLarge, 0);

        using var large = await PostPhotoAsync(handler, eventId, tooLarge, "big.png");
        var largePage = await handler.GetStringAsync(large.Headers.Location);
        using var text = await PostPhotoAsync(handler, eventId, "不是图片"u8.ToArray(), "photo.png");
        var textPage = await handler.GetStringAsync(text.Headers.Location);
        (await handler.GetAsync(new Uri($"/events/{eventId}?lang=en", UriKind.Relative))).Dispose();
        using var english = await PostPhotoAsync(handler, eventId, "not an image"u8.ToArray(), "photo.jpg");
        var englishPage = WebUtility.HtmlDecode(await handler.GetStringAsync(english.Headers.Location));

        largePage.ShouldContain($"未能执行“添加照片”：照片有 {tooLarge.Length} 字节；每张照片最多 5 MB。");
        textPage.ShouldContain("未能执行“添加照片”：照片不是 JPEG、PNG 或 WebP 图片（按文件内容判断，而非文件名）。");
        englishPage.ShouldContain("'Photo added' was not done: The photo is not a JPEG, PNG or WebP image (judged by its content, not its name).");
        (await PhotoCountAsync(handler, eventId)).ShouldBe(0);
    }

    [Fact]
    public async Task A_user_who_may_not_see_the_event_cannot_add_a_photo_to_it()
    {
        var receipt = await app.ReportAsync();
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        var (elsewhere, _) = await app.SignedInAsync(Roles.DataSteward, "440303");

        // A genuine token from a page of their own: the form is theirs, the event (another district's) is not.
        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(elsewhere, "/masterdata/uploads");
        using var posted = await elsewhere.PostAsync(new Uri($"/events/{eventId}/photos", UriKind.Relative), PhotoForm(TinyPng, "site.png", token));
        using var page = await elsewhere.GetAsync(posted.Headers.Location);

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PhotoCountAsync(handler, eventId)).ShouldBe(0);
    }

    [Fact]
    public async Task A_photo_form_without_its_antiforgery_token_is_refused()
    {
        var (eventId, handler) = await DispatchedEventAsync();

        using var posted = await handler.PostAsync(new Uri($"/events/{eventId}/photos", UriKind.Relative), PhotoForm(TinyPng, "site.png", token: null));

        posted.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await PhotoCountAsync(handler, eventId)).ShouldBe(0);
    }

    private async Task<(long EventId, HttpClient Handler)> DispatchedEventAsync()
    {
        var receipt = await app.ReportAsync();
        var (handler, _) = await app.SignedInAsync(Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        return (receipt.GetProperty("eventId").GetInt64(), handler);
    }

    private static async Task<HttpResponseMessage> PostPhotoAsync(HttpClient client, long eventId, byte[] content, string fileName)
    {
        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(client, $"/events/{eventId}");
        var response = await client.PostAsync(new Uri($"/events/{eventId}/photos", UriKind.Relative), PhotoForm(content, fileName, token));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response;
    }

    private static MultipartFormDataContent PhotoForm(byte[] content, string fileName, (string Name, string Value)? token) =>
        UploadTests.Form(token, fileName, content, "photo", "image/png");

    private static async Task<int> PhotoCountAsync(HttpClient client, long eventId) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}")).GetProperty("photos").GetArrayLength();
}
