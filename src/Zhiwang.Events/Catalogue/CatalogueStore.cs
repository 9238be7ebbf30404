using System.Collections.Concurrent;
using System.Data.Common;
using Dapper;
using Zhiwang.Access.Audit;
using Zhiwang.Storage;

namespace Zhiwang.Events.Catalogue;

/// <summary>One saved version of the catalogue, as listed to an administrator.</summary>
public sealed record CatalogueVersion(int Version, string CreatedBy, DateTimeOffset CreatedAt, string? Note, int Classes);

/// <summary>
/// The catalogue's versions in the database. The newest is the one new events are filed under; every version stays,
/// because an event keeps the version it was filed under. Versions are read once and cached: they never change.
/// </summary>
public sealed class CatalogueStore(Database database, AuditLog auditLog, TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<int, EventCatalogue> _versions = new();
    private volatile EventCatalogue? _current;

    /// <summary>The catalogue new events are filed under; <see cref="LoadAsync"/> must have run.</summary>
    public EventCatalogue Current => _current ?? throw new InvalidOperationException("The event catalogue has not been loaded.");

    /// <summary>Loads the newest version, saving the built-in catalogue as version 1 on an empty database.</summary>
    public async Task<EventCatalogue> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var newest = await connection.QueryFirstOrDefaultAsync<(int Version, string Body)?>(new CommandDefinition(
            "SELECT version, body FROM event_catalogue ORDER BY version DESC LIMIT 1", cancellationToken: cancellationToken));
        if (newest is null)
        {
            // Two servers starting together both try; the primary key lets one win and the other read its row.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO event_catalogue (version, body, created_by, created_at, note)
                VALUES (1, @body, 'system', @at, 'the built-in catalogue') ON CONFLICT (version) DO NOTHING
                """,
                new { body = EventCatalogue.DefaultJson, at = Instant.Format(timeProvider.GetUtcNow()) },
                cancellationToken: cancellationToken));
            newest = (1, EventCatalogue.DefaultJson);
        }

        var catalogue = Remember(EventCatalogue.Parse(newest.Value.Body, newest.Value.Version));
        _current = catalogue;
        return catalogue;
    }

    /// <summary>The catalogue an event was filed under.</summary>
    public async Task<EventCatalogue> VersionAsync(int version, CancellationToken cancellationToken)
    {
        if (_versions.TryGetValue(version, out var known))
        {
            return known;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        return await ReadVersionAsync(connection, null, version, cancellationToken);
    }

    /// <summary>
    /// The same, read on the caller's connection when not yet known. A caller that holds a connection must not wait for a
    /// second one from the pool: enough such callers at once would hold every connection and wait for ever.
    /// </summary>
    public async Task<EventCatalogue> VersionAsync(DbConnection connection, DbTransaction? transaction, int version, CancellationToken cancellationToken) =>
        _versions.TryGetValue(version, out var known) ? known : await ReadVersionAsync(connection, transaction, version, cancellationToken);

    private async Task<EventCatalogue> ReadVersionAsync(DbConnection connection, DbTransaction? transaction, int version, CancellationToken cancellationToken)
    {
        var body = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT body FROM event_catalogue WHERE version = @version", new { version }, transaction, cancellationToken: cancellationToken))
            ?? throw new InvalidOperationException($"Catalogue version {version} is not stored.");
        return Remember(EventCatalogue.Parse(body, version));
    }

    /// <summary>
    /// Saves <paramref name="json"/> as the next version after checking it whole; events already filed keep theirs.
    /// </summary>
    /// <exception cref="CatalogueException">The catalogue is not valid; nothing is saved.</exception>
    public async Task<EventCatalogue> SaveAsync(string json, string actor, string? note, CancellationToken cancellationToken)
    {
        EventCatalogue.Parse(json, 1); // checked whole before a transaction opens
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM event_catalogue", transaction: transaction, cancellationToken: cancellationToken));
        var catalogue = EventCatalogue.Parse(json, next);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO event_catalogue (version, body, created_by, created_at, note) VALUES (@next, @body, @actor, @at, @note)",
            new { next, body = catalogue.ToJson(), actor, at = Instant.Format(timeProvider.GetUtcNow()), note },
            transaction,
            cancellationToken: cancellationToken));
        await auditLog.AppendAsync(
            connection, transaction, new AuditRecord(actor, "events.catalogue.save", $"event_catalogue:{next}", Detail: note), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _current = Remember(catalogue);
        return catalogue;
    }

    public async Task<IReadOnlyList<CatalogueVersion>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Version, string Body, string CreatedBy, string CreatedAt, string? Note)>(new CommandDefinition(
            "SELECT version, body, created_by, created_at, note FROM event_catalogue ORDER BY version DESC", cancellationToken: cancellationToken));
        return rows.Select(r => new CatalogueVersion(
            r.Version, r.CreatedBy, Instant.Parse(r.CreatedAt), r.Note, Remember(EventCatalogue.Parse(r.Body, r.Version)).Classes.Count)).ToList();
    }

    /// <summary>
    /// Another server may have saved a newer version; called by the sweep, so every node files new events under the
    /// newest version within one sweep.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var newest = await connection.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT MAX(version) FROM event_catalogue", cancellationToken: cancellationToken));
        if (newest is { } version && version != _current?.Version)
        {
            _current = await VersionAsync(connection, null, version, cancellationToken);
        }
    }

    private EventCatalogue Remember(EventCatalogue catalogue) => _versions.GetOrAdd(catalogue.Version, catalogue);
}
