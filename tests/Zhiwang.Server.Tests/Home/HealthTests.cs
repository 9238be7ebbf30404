using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Zhiwang.Server.Health;

namespace Zhiwang.Server.Tests.Home;

[Collection(ZhiwangAppCollection.Name)]
public sealed class HealthTests(ZhiwangAppFactory factory)
{
    [Fact]
    public async Task Health_is_200_when_the_database_answers()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        body.RootElement.GetProperty("status").GetString().ShouldBe("Healthy");
        body.RootElement.GetProperty("checks").GetProperty("database").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Health_is_503_when_the_database_does_not_answer()
    {
        using var client = WithPing(services => services.AddSingleton<DatabasePing>(_ => _ => Task.FromResult(false))).CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Health_does_not_pretend_when_no_database_check_is_registered()
    {
        using var client = WithPing(_ => { }).CreateClient();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldContain("No database check is registered");
    }

    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> WithPing(Action<IServiceCollection> register) =>
        factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<DatabasePing>();
            register(services);
        }));
}
