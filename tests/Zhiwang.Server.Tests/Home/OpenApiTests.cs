using System.Net;
using System.Text.Json;

namespace Zhiwang.Server.Tests.Home;

[Collection(ZhiwangAppCollection.Name)]
public sealed class OpenApiTests(ZhiwangAppFactory factory)
{
    [Fact]
    public async Task The_OpenAPI_document_describes_the_map_API()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        document.RootElement.GetProperty("openapi").GetString().ShouldStartWith("3.");
        document.RootElement.GetProperty("paths").TryGetProperty("/api/map/{code}", out _).ShouldBeTrue();
    }
}
