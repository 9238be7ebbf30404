using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Zhiwang.Server.Health;

namespace Zhiwang.Server.Tests.Home;

/// <summary>
/// The real host with its data in a temporary directory and a small demo city, so a test run
/// never touches data/ and stays quick.
/// </summary>
public sealed class ZhiwangAppFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("zhiwang-server-tests-");

    public string DataDirectory => _dataDirectory.FullName;

    /// <summary>Serve on a real socket (a free port on loopback), for a browser to reach.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Zhiwang:DataDirectory", DataDirectory);
        builder.UseSetting("Zhiwang:Demo:Persons", "5000");
        builder.UseSetting("Urls", "http://127.0.0.1:0");
        builder.ConfigureTestServices(services =>
        {
            // Storage registers the real database ping; until it does, the tests stand in for it.
            services.TryAddSingleton<DatabasePing>(_ => _ => Task.FromResult(true));
            TestTallies.Register(services, DataDirectory);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open (SQLite on some systems) leaves the directory to the OS's temp cleaner.
        }
    }
}

/// <summary>One host (and one demo city) shared by the HTTP tests of the home page, health, OpenAPI and the map.</summary>
[CollectionDefinition(Name)]
public sealed class ZhiwangAppCollection : ICollectionFixture<ZhiwangAppFactory>
{
    public const string Name = "Zhiwang app";
}
