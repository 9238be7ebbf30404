using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access.Clients;

namespace Zhiwang.Server.Tests.Events;

/// <summary>
/// The real host with an empty city (no demo) on SQLite in a temporary directory, or on a given database, with a
/// helper for department clients and their keys.
/// </summary>
public sealed class EventsAppFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("zhiwang-events-tests-");
    private readonly string? _connectionString;

    public EventsAppFactory()
    {
    }

    /// <summary>A host on the database <paramref name="connectionString"/> names (PostgreSQL, say).</summary>
    internal EventsAppFactory(string connectionString) => _connectionString = connectionString;

    /// <summary>A new department client holding <paramref name="grants"/>; returns what it sends after "ApiKey ".</summary>
    public async Task<string> ClientKeyAsync(params string[] grants)
    {
        var clients = Services.GetRequiredService<ApiClients>();
        var created = await clients.CreateAsync("client-" + Guid.NewGuid().ToString("N")[..8], grants, "test", CancellationToken.None);
        return created.ApiKey;
    }

    /// <summary>An HTTP client that presents <paramref name="apiKey"/> in the Authorization header.</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(ApiKeyAuthenticationHandler.SchemeName, apiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Zhiwang:DataDirectory", _dataDirectory.FullName);
        if (_connectionString is not null)
        {
            builder.UseSetting("ConnectionStrings:Zhiwang", _connectionString);
        }

        builder.UseSetting("Zhiwang:Demo:Enabled", "false");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open leaves the directory to the OS's temp cleaner.
        }
    }
}

/// <summary>One host shared by the Events HTTP tests.</summary>
[CollectionDefinition(Name)]
public sealed class EventsAppCollection : ICollectionFixture<EventsAppFactory>
{
    public const string Name = "Events app";
}
