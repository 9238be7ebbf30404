using System.Globalization;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Zhiwang.Access.Audit;
using Zhiwang.Access.Clients;
using Zhiwang.Events.Api;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Deadlines;
using Zhiwang.Events.Dispatch;
using Zhiwang.Events.Handling;
using Zhiwang.Storage;

namespace Zhiwang.Bench.Events;

/// <summary>What the Events benches share: the database, a reporting client, and the checks on what intake stored.</summary>
public static class EventsBench
{
    /// <summary>The PostgreSQL database <paramref name="connectionString"/> names, with every module's tables up to date.</summary>
    public static async Task<Database> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var database = Database.PostgreSql(connectionString);
        await database.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, cancellationToken);
        return database;
    }

    public static async Task<CatalogueStore> CataloguesAsync(Database database, CancellationToken cancellationToken)
    {
        var catalogues = new CatalogueStore(database, new AuditLog(database, TimeProvider.System), TimeProvider.System);
        await catalogues.LoadAsync(cancellationToken);
        return catalogues;
    }

    /// <summary>The server's deadline sweep, run by the bench itself on <paramref name="database"/>.</summary>
    public static DeadlineSweep Sweep(Database database, CatalogueStore catalogues, SweepOptions options)
    {
        var planner = new DispatchPlanner(BusinessCalendar.China);
        var workflow = new EventWorkflow(database, catalogues, planner, TimeProvider.System, Options.Create(new HandlingOptions()));
        return new DeadlineSweep(database, workflow, catalogues, TimeProvider.System, Options.Create(options), NullLogger<DeadlineSweep>.Instance);
    }

    /// <summary>A department client allowed to report events, named for this run; its events carry the name as submitter.</summary>
    public static async Task<CreatedApiClient> ReporterAsync(Database database, string name, CancellationToken cancellationToken)
    {
        var clients = new ApiClients(database, new AuditLog(database, TimeProvider.System), TimeProvider.System);
        return await clients.CreateAsync(name, [EventsSetup.ReportGrant], "bench", cancellationToken);
    }

    /// <summary>How intake names a client as the submitter of its events.</summary>
    public static string Submitter(CreatedApiClient client) => "client:" + client.Client.Name;

    /// <summary>A name unique to this run, e.g. <c>20261124T013000</c>.</summary>
    public static string RunId() => TimeProvider.System.GetUtcNow().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);

    public static HttpClient Http(Uri address, int connections, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            UseCookies = false,
        })
        {
            BaseAddress = address,
            Timeout = timeout,
        };

    /// <summary>
    /// Checks what intake stored for <paramref name="submitter"/> against what it acknowledged: every acknowledged key
    /// stored once under the event id it was acknowledged with, nothing stored that was not acknowledged, and every
    /// event dispatched once by intake (one open lead assignment, one dispatch entry on its timeline, at seq 3).
    /// Prints a PASS or FAIL line per check; returns whether all passed.
    /// </summary>
    public static async Task<bool> CheckStoredAsync(Database database, string submitter, IReadOnlyDictionary<string, long> acknowledged, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<StoredEvent>(new CommandDefinition(
            """
            SELECT e.client_key AS ClientKey, e.event_id AS EventId,
                   (SELECT COUNT(*) FROM event_assignment a WHERE a.event_id = e.event_id AND a.joint = 0 AND a.ended_at IS NULL) AS OpenLead,
                   (SELECT COUNT(*) FROM event_timeline t WHERE t.event_id = e.event_id AND t.action = 'dispatch') AS Dispatches,
                   (SELECT COUNT(*) FROM event_timeline t WHERE t.event_id = e.event_id AND t.action = 'dispatch' AND t.seq = 3) AS IntakeDispatches
            FROM event e WHERE e.submitter = @submitter
            """,
            new { submitter }, commandTimeout: 0, cancellationToken: cancellationToken))).ToList();

        var byKey = rows.GroupBy(r => r.ClientKey ?? "", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var missing = acknowledged.Keys.Count(k => !byKey.ContainsKey(k));
        var otherId = acknowledged.Count(a => byKey.TryGetValue(a.Key, out var stored) && stored.All(s => s.EventId != a.Value));
        var twice = byKey.Values.Count(g => g.Count > 1);
        var unacknowledged = byKey.Keys.Count(k => !acknowledged.ContainsKey(k));
        var badLead = rows.Count(r => r.OpenLead != 1);
        var badDispatch = rows.Count(r => r.Dispatches != 1 || r.IntakeDispatches != 1);

        var checks = new (bool Pass, string Line)[]
        {
            (missing == 0, $"every acknowledged key is stored: {acknowledged.Count - missing:N0} of {acknowledged.Count:N0} ({missing:N0} missing)"),
            (otherId == 0, $"each under the event id it was acknowledged with ({otherId:N0} differ)"),
            (twice == 0, $"each client key stored once ({twice:N0} stored more than once)"),
            (rows.Count == acknowledged.Count && unacknowledged == 0,
                $"events stored = keys acknowledged: {rows.Count:N0} = {acknowledged.Count:N0} ({unacknowledged:N0} stored but never acknowledged)"),
            (badLead == 0, $"each event has exactly one open lead assignment ({badLead:N0} do not)"),
            (badDispatch == 0, $"each event has exactly one 'dispatch' timeline entry, intake's at seq 3 ({badDispatch:N0} do not)"),
        };
        foreach (var (pass, line) in checks)
        {
            Console.WriteLine((pass ? "PASS " : "FAIL ") + line);
        }

        return checks.All(c => c.Pass);
    }

    private sealed record StoredEvent(string? ClientKey, long EventId, long OpenLead, long Dispatches, long IntakeDispatches);
}
