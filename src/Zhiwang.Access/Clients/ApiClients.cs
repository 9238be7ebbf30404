using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Zhiwang.Access.Audit;
using Zhiwang.Storage;

namespace Zhiwang.Access.Clients;

/// <summary>A department system that calls the platform's APIs, and what it may ask for.</summary>
public sealed record ApiClient(string KeyId, string Name, IReadOnlyList<string> Grants, bool Revoked);

/// <summary>A client just created, with the one and only copy of its secret; it presents <see cref="ApiKey"/>.</summary>
public sealed record CreatedApiClient(ApiClient Client, string Secret)
{
    /// <summary>What the client sends: <c>Authorization: ApiKey &lt;keyId&gt;.&lt;secret&gt;</c>.</summary>
    public string ApiKey => $"{Client.KeyId}.{Secret}";
}

/// <summary>
/// Department clients: a public key id and a random 32-byte secret, of which only the SHA-256 is stored. The secret is
/// high-entropy, so a fast hash cannot be brute-forced and verifying it on every request stays cheap (unlike passwords).
/// </summary>
public sealed class ApiClients(Database database, AuditLog auditLog, TimeProvider timeProvider)
{
    /// <summary>
    /// How long a key's row, once read, answers for it without asking the database again. A department system sends
    /// hundreds of requests a second; one query per key every few seconds instead of one per request is what lets intake
    /// keep up. A revocation takes effect at once on the server that made it, and within this interval on every other
    /// (another node, or the CLI writing to the database directly).
    /// </summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, KnownKey> _known = new(StringComparer.Ordinal);

    // Key ids revoked through this server, consulted on every check. Evicting the cached row is not enough: a request
    // that read the row just before the revocation could store it again after the eviction. Revocation is final and
    // clients are few, so the set only grows by the rare revocation and a lookup in it costs no lock.
    private readonly ConcurrentDictionary<string, bool> _revokedHere = new(StringComparer.Ordinal);

    /// <summary>
    /// Called with a key id after its row is read and before the row is remembered: lets a test revoke the key exactly in
    /// between. Null outside tests.
    /// </summary>
    internal Func<string, Task>? AfterKeyRowRead { get; set; }

    public async Task<CreatedApiClient> CreateAsync(
        string name, IReadOnlyList<string> grants, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 100)
        {
            throw new ArgumentException("A client name is 1 to 100 characters.", nameof(name));
        }

        if (grants.Count == 0)
        {
            throw new ArgumentException("A client needs at least one grant (e.g. open311, verify:*).", nameof(grants));
        }

        if (grants.FirstOrDefault(g => !Grants.IsWellFormed(g)) is { } bad)
        {
            throw new ArgumentException($"Grant '{bad}' is not well formed: lowercase words joined by ':', optionally ending in ':*'.", nameof(grants));
        }

        var keyId = "zw_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var distinctGrants = grants.Distinct(StringComparer.Ordinal).ToList();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM api_client WHERE name = @name", new { name }, transaction, cancellationToken: cancellationToken));
        if (taken > 0)
        {
            throw new ArgumentException($"A client named '{name}' already exists.", nameof(name));
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_client (key_id, name, secret_sha256, grants, created_at, revoked_at)
            VALUES (@keyId, @name, @secretHash, @grants, @createdAt, NULL)
            """,
            new
            {
                keyId,
                name,
                secretHash = HashSecret(secret),
                grants = string.Join(' ', distinctGrants),
                createdAt = Instant.Format(timeProvider.GetUtcNow()),
            },
            transaction,
            cancellationToken: cancellationToken));
        await auditLog.AppendAsync(
            connection, transaction, new AuditRecord(actor, "client.create", "client:" + keyId, Detail: $"name={name} grants={string.Join(',', distinctGrants)}"), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CreatedApiClient(new ApiClient(keyId, name, distinctGrants, false), secret);
    }

    /// <summary>
    /// Revokes a client: its key is refused from the next request on this server (even one whose read of the key's row
    /// began before the revocation), and within <see cref="RecheckAfter"/> on any other. Returns false for an unknown or
    /// already revoked key id.
    /// </summary>
    public async Task<bool> RevokeAsync(string keyId, string actor, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_client SET revoked_at = @revokedAt WHERE key_id = @keyId AND revoked_at IS NULL",
            new { keyId, revokedAt = Instant.Format(timeProvider.GetUtcNow()) },
            transaction,
            cancellationToken: cancellationToken));
        if (changed > 0)
        {
            await auditLog.AppendAsync(connection, transaction, new AuditRecord(actor, "client.revoke", "client:" + keyId), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        // Also when another server revoked it first: this one may still hold the row it read before.
        _revokedHere[keyId] = true;
        _known.TryRemove(keyId, out _);
        return changed > 0;
    }

    /// <summary>
    /// The client an <c>&lt;keyId&gt;.&lt;secret&gt;</c> key belongs to, or null when the key is malformed, unknown, revoked
    /// or its secret is wrong. The secret's hash is compared in constant time.
    /// </summary>
    public async Task<ApiClient?> AuthenticateAsync(string apiKey, CancellationToken cancellationToken)
    {
        var dot = apiKey.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == apiKey.Length - 1 || apiKey.Length > 200)
        {
            return null;
        }

        var keyId = apiKey[..dot];
        if (_revokedHere.ContainsKey(keyId))
        {
            return null;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey[(dot + 1)..]));
        var now = timeProvider.GetUtcNow();
        if (!_known.TryGetValue(keyId, out var known) || known.ReadAt + RecheckAfter <= now)
        {
            known = await ReadKeyAsync(keyId, now, cancellationToken);
            if (AfterKeyRowRead is { } afterRead)
            {
                await afterRead(keyId);
            }

            if (known is null)
            {
                _known.TryRemove(keyId, out _);
                return null;
            }

            _known[keyId] = known;
        }

        return known.Client is { } client && CryptographicOperations.FixedTimeEquals(presented, known.SecretSha256) ? client : null;
    }

    /// <summary>The key's row as it is now (null when no such key id exists); a revoked key is remembered with no client.</summary>
    private async Task<KnownKey?> ReadKeyAsync(string keyId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ClientRow>(new CommandDefinition(
            "SELECT key_id AS KeyId, name AS Name, secret_sha256 AS SecretSha256, grants AS Grants, revoked_at AS RevokedAt FROM api_client WHERE key_id = @keyId",
            new { keyId },
            cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        var client = row.RevokedAt is null ? new ApiClient(row.KeyId, row.Name, Users.UserAccounts.SplitList(row.Grants), false) : null;
        return new KnownKey(Convert.FromHexString(row.SecretSha256), client, now);
    }

    public async Task<IReadOnlyList<ApiClient>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<ClientRow>(new CommandDefinition(
            "SELECT key_id AS KeyId, name AS Name, secret_sha256 AS SecretSha256, grants AS Grants, revoked_at AS RevokedAt FROM api_client ORDER BY name",
            cancellationToken: cancellationToken));
        return rows.Select(r => new ApiClient(r.KeyId, r.Name, Users.UserAccounts.SplitList(r.Grants), r.RevokedAt is not null)).ToList();
    }

    internal static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A key id's stored secret hash and client (null once revoked), as read at <see cref="ReadAt"/>.</summary>
    private sealed record KnownKey(byte[] SecretSha256, ApiClient? Client, DateTimeOffset ReadAt);

    private sealed record ClientRow(string KeyId, string Name, string SecretSha256, string Grants, string? RevokedAt);
}
