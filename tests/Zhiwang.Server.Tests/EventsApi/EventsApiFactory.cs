using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access.Users;
using Zhiwang.Server.Tests.Uploads;

namespace Zhiwang.Server.Tests.EventsApi;

/// <summary>The real host on an empty SQLite city (no demo), with helpers to sign in as a user of any role, scope and department.</summary>
public sealed class EventsApiFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("zhiwang-events-api-tests-");

    /// <summary>A client signed in as a new user; returns it and the user's name.</summary>
    public async Task<(HttpClient Client, string Name)> SignedInAsync(string role, string scope = "440300", string? department = null)
    {
        var users = Services.GetRequiredService<UserAccounts>();
        var user = await users.CreateAsync(role.Replace('_', '.') + "." + Guid.NewGuid().ToString("N")[..8], [role], scope, department, "test", CancellationToken.None);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await SubmissionsAppFactory.AntiforgeryFieldAsync(client, "/login");
        using var login = await client.PostAsync(
            new Uri("/account/login", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["name"] = user.User.Name,
                ["password"] = user.Password,
                ["returnUrl"] = "/",
                [token.Name] = token.Value,
            }));
        login.StatusCode.ShouldBe(HttpStatusCode.Redirect, "the test user signs in");
        return (client, user.User.Name);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Zhiwang:DataDirectory", _dataDirectory.FullName);
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

[CollectionDefinition(Name)]
public sealed class EventsApiCollection : ICollectionFixture<EventsApiFactory>
{
    public const string Name = "Events API app";
}
