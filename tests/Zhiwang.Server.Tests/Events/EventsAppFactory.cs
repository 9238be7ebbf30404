using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access.Clients;
using Zhiwang.Access.Users;
using Zhiwang.Events.Catalogue;
using Zhiwang.Geo;
using Zhiwang.Server.Tests.Uploads;

namespace Zhiwang.Server.Tests.Events;

/// <summary>
/// The real host with an empty city (no demo) on SQLite in a temporary directory, or on a given database, for every
/// Events test of the server: it signs in users of any role, scope and department, makes department clients and their
/// keys, reports events through the API as a grid worker does, and can serve on a socket for a browser.
/// </summary>
public sealed class EventsAppFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("zhiwang-events-tests-");
    private readonly string? _connectionString;
    private Uri? _kestrel;

    public EventsAppFactory()
    {
    }

    /// <summary>A host on the database <paramref name="connectionString"/> names (PostgreSQL, say).</summary>
    internal EventsAppFactory(string connectionString) => _connectionString = connectionString;

    /// <summary>A dispute class dispatched by the plain rules to the community.</summary>
    public static EventClass Noise { get; } = EventCatalogue.Default.Classes.First(c =>
        c.Kind == EventKind.Dispute && c.Urgency == Urgency.Normal && c.StartLevel == Level.Community
        && !c.Group.StartsWith("other", StringComparison.Ordinal)
        && !EventCatalogue.Default.Rules.Any(r => r.Class == c.Code || r.Group == c.Group));

    public static Grid Grid { get; } = CityMap.Shenzhen.Grids.First(g => g.DistrictCode == "440305");

    public const string ReporterName = "王五";
    public const string ReporterPhone = "13912345678";

    public async Task<(string Name, string Password)> CreateUserAsync(string role, string scope, string? department = null)
    {
        var users = Services.GetRequiredService<UserAccounts>();
        var user = await users.CreateAsync(role.Replace('_', '.') + "." + Guid.NewGuid().ToString("N")[..8], [role], scope, department, "test", CancellationToken.None);
        return (user.User.Name, user.Password);
    }

    /// <summary>A client signed in as a new user, not following redirects; returns it and the user's name.</summary>
    public async Task<(HttpClient Client, string Name)> SignedInAsync(string role, string scope = "440300", string? department = null)
    {
        var (name, password) = await CreateUserAsync(role, scope, department);
        var client = NewClient();
        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(client, "/login");
        using var login = await client.PostAsync(
            new Uri("/account/login", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = name,
                ["password"] = password,
                ["returnUrl"] = "/",
                [token.Name] = token.Value,
            }));
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the test user signs in");
        return (client, name);
    }

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

    /// <summary>Reports a noise dispute in <see cref="Grid"/> as a grid worker; returns the receipt (event id, department …).</summary>
    public async Task<JsonElement> ReportAsync(string description = "楼上装修噪声扰民")
    {
        var (worker, _) = await SignedInAsync(Zhiwang.Access.Roles.GridWorker, Grid.Code);
        using var response = await worker.PostAsJsonAsync("/api/events", Report(description));
        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The body of a valid report of <see cref="Noise"/> at a point of <see cref="Grid"/>, its required attributes filled in.</summary>
    public static object Report(string description = "楼上装修噪声扰民") => new
    {
        @class = Noise.Code,
        description,
        place = new { lat = Grid.Boundary.InteriorPoint.Y, lon = Grid.Boundary.InteriorPoint.X, address = "南山区某小区" },
        attributes = SampleAttributes.Required(Noise),
        reporter = new { name = ReporterName, phone = ReporterPhone },
    };

    /// <summary>Takes, handles, verifies and closes the event with a rating, through the API, as the people concerned do.</summary>
    public async Task SettleAsync(JsonElement receipt, int satisfaction)
    {
        var eventId = receipt.GetProperty("eventId").GetInt64();
        var (handler, _) = await SignedInAsync(Zhiwang.Access.Roles.EventHandler, Grid.CommunityCode, receipt.GetProperty("department").GetString());
        var (verifier, _) = await SignedInAsync(Zhiwang.Access.Roles.GridWorker, Grid.Code);
        using var resident = NewClient();
        (await handler.PostAsJsonAsync($"/api/events/{eventId}/actions/take", new { })).EnsureSuccessStatusCode();
        (await handler.PostAsJsonAsync($"/api/events/{eventId}/actions/handle", new { result = "已调解" })).EnsureSuccessStatusCode();
        (await verifier.PostAsJsonAsync($"/api/events/{eventId}/actions/verify", new { reason = "现场核实" })).EnsureSuccessStatusCode();
        (await resident.PostAsJsonAsync($"/api/events/track/{receipt.GetProperty("token").GetString()}/close", new { satisfaction })).EnsureSuccessStatusCode();
    }

    /// <summary>Serve on a real socket (a free port on loopback), for a browser to reach.</summary>
    public Uri StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        _kestrel = new Uri(addresses.First(a => a.StartsWith("http://", StringComparison.Ordinal)));
        return _kestrel;
    }

    // Once served on a socket, the test's own clients call it there too, with their own cookie jar.
    private HttpClient NewClient() => _kestrel is null
        ? CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true })
        : new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = _kestrel };

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
