using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zhiwang.Access.Clients;
using Zhiwang.Access.Users;
using Zhiwang.Storage;
using Zhiwang.Testing;

namespace Zhiwang.Access.Tests.Account;

/// <summary>
/// A minimal web host with exactly what a server adds for Access (AddAccess, UseAuthentication, UseAuthorization,
/// UseAntiforgery, MapAccessApi) plus one page and one grant-protected API, on a test server.
/// </summary>
public sealed partial class AccessHost : IAsyncDisposable
{
    private readonly TestDatabase _test;
    private readonly WebApplication _app;

    private readonly StringWriter _console;
    private readonly CapturedLog _log;

    private AccessHost(TestDatabase test, WebApplication app, StringWriter console, CapturedLog log)
    {
        _test = test;
        _app = app;
        _console = console;
        _log = log;
    }

    /// <summary>What the host printed on standard output (the first administrator's password goes there).</summary>
    public string ConsoleText => _console.ToString();

    /// <summary>Every log message the host wrote, one a line.</summary>
    public string LogText => _log.Text;

    public IServiceProvider Services => _app.Services;

    public UserAccounts Users => _app.Services.GetRequiredService<UserAccounts>();

    public ApiClients Clients => _app.Services.GetRequiredService<ApiClients>();

    public static async Task<AccessHost> StartAsync(DatabaseProvider provider)
    {
        var test = await TestDatabase.CreateAsync(provider);
        try
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseTestServer();
            var console = new StringWriter();
            var log = new CapturedLog();
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(log);
            builder.Services.AddSingleton(test.Database);
            builder.Services.AddSingleton(new FirstRunConsole(console));
            builder.Services.AddAccess();

            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.UseAntiforgery();
            app.MapAccessApi();
            app.MapGet("/dashboard", () => TypedResults.Content("<p>dashboard</p>", "text/html")).RequireAuthorization();
            app.MapGet("/api/open311/ping", () => TypedResults.Ok("pong")).RequireGrant(Grants.Open311);
            app.MapGet("/api/verify/person", () => TypedResults.Ok("verified")).RequireGrant("verify:person");
            // As the server does before it starts: the module's tables first, then its start-up work.
            await test.Database.MigrateAsync([typeof(AccessSetup).Assembly], TimeProvider.System, CancellationToken.None);
            await app.StartAsync();
            return new AccessHost(test, app, console, log);
        }
        catch
        {
            // A host that fails to start must not leave its PostgreSQL database behind.
            await test.DisposeAsync();
            throw;
        }
    }

    public Browser NewBrowser() => new(_app.GetTestClient());

    public HttpClient NewClient() => _app.GetTestClient();

    public IReadOnlyList<Microsoft.AspNetCore.Routing.RouteEndpoint> Endpoints =>
        _app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().ToList();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _test.DisposeAsync();
    }

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>An HTTP client that keeps cookies, as a browser would, and does not follow redirects.</summary>
    public sealed class Browser(HttpClient client) : IDisposable
    {
        private readonly CookieContainer _cookies = new();

        public async Task<HttpResponseMessage> GetAsync(string path, string accept = "text/html")
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.ParseAdd(accept);
            return await SendAsync(request);
        }

        public async Task<HttpResponseMessage> SignInAsync(string name, string password, string returnUrl = "/dashboard")
        {
            using var page = await GetAsync("/login");
            var html = await page.Content.ReadAsStringAsync();
            var token = TokenField().Match(html);
            token.Success.ShouldBeTrue("the login page carries an antiforgery token");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["name"] = name,
                    ["password"] = password,
                    ["returnUrl"] = returnUrl,
                    [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
                }),
            };
            return await SendAsync(request);
        }

        /// <summary>The antiforgery field for whoever is signed in now, as the login page hands it out.</summary>
        public async Task<Dictionary<string, string>> AntiforgeryFieldsAsync()
        {
            using var page = await GetAsync("/login");
            var token = TokenField().Match(await page.Content.ReadAsStringAsync());
            token.Success.ShouldBeTrue("the login page carries an antiforgery token");
            return new() { [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value) };
        }

        public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
            return await SendAsync(request);
        }

        public void Dispose() => client.Dispose();

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            var uri = new Uri(client.BaseAddress!, request.RequestUri!);
            var header = _cookies.GetCookieHeader(uri);
            if (header.Length > 0)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await client.SendAsync(request);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    _cookies.SetCookies(uri, setCookie);
                }
            }

            return response;
        }
    }
}

/// <summary>Keeps every message logged, to check what reaches log files.</summary>
internal sealed class CapturedLog : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public string Text => string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel}: {formatter(state, exception)}");
    }
}
