using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Zhiwang.Access.Clients;
using Zhiwang.Access.Users;

namespace Zhiwang.Server.Tests.Uploads;

/// <summary>
/// The real host with an empty city (no demo), small limits so oversize requests are cheap to send, and helpers
/// for a department client's key and a signed-in user.
/// </summary>
public sealed partial class SubmissionsAppFactory : WebApplicationFactory<Program>
{
    public const long MaxBodyBytes = 64 * 1024;
    public const int MaxRecords = 20;
    public const long MaxUploadBytes = 256 * 1024;

    private readonly DirectoryInfo _dataDirectory;
    private readonly string? _connectionString;
    private readonly bool _ownsDirectory;

    public SubmissionsAppFactory()
    {
        _dataDirectory = Directory.CreateTempSubdirectory("zhiwang-submission-tests-");
        _ownsDirectory = true;
    }

    /// <summary>A host on a given database and data directory, which outlive it: the same server started again.</summary>
    internal SubmissionsAppFactory(string connectionString, DirectoryInfo dataDirectory)
    {
        _connectionString = connectionString;
        _dataDirectory = dataDirectory;
    }

    /// <summary>A new department client holding <paramref name="grants"/>; returns what it sends after "ApiKey ".</summary>
    public async Task<string> ClientKeyAsync(params string[] grants)
    {
        var clients = Services.GetRequiredService<ApiClients>();
        var created = await clients.CreateAsync("client-" + Guid.NewGuid().ToString("N")[..8], grants, "test", CancellationToken.None);
        return created.ApiKey;
    }

    /// <summary>A client signed in as a new user with <paramref name="role"/>, cookies kept, redirects not followed.</summary>
    public async Task<HttpClient> SignedInAsync(string role)
    {
        var users = Services.GetRequiredService<UserAccounts>();
        var user = await users.CreateAsync(role.Replace('_', '.') + "." + Guid.NewGuid().ToString("N")[..8], [role], "440300", "test", CancellationToken.None);
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = await AntiforgeryFieldAsync(client, "/login");
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
        return client;
    }

    /// <summary>The antiforgery field a page's form carries.</summary>
    public static async Task<(string Name, string Value)> AntiforgeryFieldAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(new Uri(page, UriKind.Relative));
        var match = TokenField().Match(html);
        match.Success.ShouldBeTrue($"{page} carries an antiforgery token");
        return (match.Groups["name"].Value, WebUtility.HtmlDecode(match.Groups["value"].Value));
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Zhiwang:DataDirectory", _dataDirectory.FullName);
        if (_connectionString is not null)
        {
            builder.UseSetting("ConnectionStrings:Zhiwang", _connectionString);
        }

        builder.UseSetting("Zhiwang:Demo:Enabled", "false");
        builder.UseSetting("Zhiwang:Submissions:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Zhiwang:Submissions:MaxRecords", MaxRecords.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Zhiwang:Uploads:MaxBytes", MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open leaves the directory to the OS's temp cleaner.
        }
    }

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}

/// <summary>One host shared by the submission API and upload tests.</summary>
[CollectionDefinition(Name)]
public sealed class SubmissionsAppCollection : ICollectionFixture<SubmissionsAppFactory>
{
    public const string Name = "Submissions app";
}
