using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Zhiwang.Access;
using Zhiwang.Access.Audit;
using Zhiwang.Access.Users;
using Zhiwang.Storage;

namespace Zhiwang.Bench.Events;

/// <summary>
/// Open dispatcher queue pages during a load, as the browser's script keeps them: each signs in as a city-wide dispatcher,
/// listens to <c>/events/live</c>, and on every <c>changed</c> message fetches its queue's JSON (200 events), which is what
/// the page asks for to see whether its list changed. Counts the messages and fetches, so the watcher's cost and the
/// pages' own show beside intake's latency.
/// </summary>
public sealed partial class QueueListeners : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly List<HttpClient> _clients = [];
    private readonly System.Diagnostics.Stopwatch _open = System.Diagnostics.Stopwatch.StartNew();
    private long _messages;
    private long _fetches;
    private long _failures;

    private QueueListeners()
    {
    }

    public static async Task<QueueListeners> StartAsync(Database database, Uri server, int count, string run, CancellationToken cancellationToken)
    {
        var listeners = new QueueListeners();
        var users = new UserAccounts(database, new AuditLog(database, TimeProvider.System), TimeProvider.System);
        for (var i = 0; i < count; i++)
        {
            var user = await users.CreateAsync($"bench.dispatcher.{run}.{i}", [Roles.Dispatcher], "440300", "bench", cancellationToken);
            var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
            {
                BaseAddress = server,
                Timeout = Timeout.InfiniteTimeSpan,
            };
            listeners._clients.Add(client);
            await SignInAsync(client, user.User.Name, user.Password, cancellationToken);
            listeners._running.Add(listeners.ListenAsync(client));
        }

        return listeners;
    }

    /// <summary>What the pages received and fetched since they opened (before the warm-up).</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"{_clients.Count} dispatcher queue pages open for {_open.Elapsed.TotalSeconds:F0} s: {Interlocked.Read(ref _messages):N0} 'changed' messages ({Interlocked.Read(ref _messages) / _open.Elapsed.TotalSeconds / Math.Max(1, _clients.Count):F2} a second per page), {Interlocked.Read(ref _fetches):N0} queue fetches, {Interlocked.Read(ref _failures):N0} failures");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        _stop.Dispose();
    }

    private static async Task SignInAsync(HttpClient client, string name, string password, CancellationToken cancellationToken)
    {
        var html = await client.GetStringAsync(new Uri("/login", UriKind.Relative), cancellationToken);
        var token = TokenField().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException("the login page carries no antiforgery field");
        }

        using var login = await client.PostAsync(new Uri("/account/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = name,
            ["password"] = password,
            ["returnUrl"] = "/events",
            [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value),
        }), cancellationToken);
        if (login.StatusCode != HttpStatusCode.Redirect || login.Headers.Location?.OriginalString.Contains("error", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"bench dispatcher {name} could not sign in: {(int)login.StatusCode} {login.Headers.Location}");
        }
    }

    private async Task ListenAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/events/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line != "event: changed")
                {
                    continue;
                }

                Interlocked.Increment(ref _messages);
                using var queue = await client.GetAsync(new Uri("/api/events/queues/dispatcher?limit=200", UriKind.Relative), _stop.Token);
                Interlocked.Increment(ref queue.IsSuccessStatusCode ? ref _fetches : ref _failures);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref _failures);
        }
    }

    [GeneratedRegex("name=\"(?<name>__RequestVerificationToken[^\"]*)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex TokenField();
}
