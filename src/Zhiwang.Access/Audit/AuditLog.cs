using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.Access.Audit;

/// <summary>What happened, to be appended to the audit log: who, what, to whom or what, and why.</summary>
public sealed record AuditRecord(string Actor, string Action, string? Target = null, string? Purpose = null, string? Detail = null);

/// <summary>One entry of the audit chain as stored.</summary>
public sealed record AuditEntry(
    long Seq, DateTimeOffset At, string Actor, string Action, string? Target, string? Purpose, string? Detail, string PrevHash, string Hash);

/// <summary>The outcome of checking the chain: intact, or the first entry whose link is broken and why.</summary>
public sealed record AuditVerification(bool IsIntact, long Entries, string HeadHash, long? BrokenAt, string? Reason)
{
    public override string ToString() => IsIntact
        ? $"OK: {Entries} audit entries, chain intact, head {HeadHash}"
        : $"BROKEN at seq {BrokenAt}: {Reason}";
}

/// <summary>
/// The append-only, hash-chained record of who did what. Each entry's hash is SHA-256 over the previous
/// entry's hash and a canonical encoding of the entry, so changing, removing or reordering any entry breaks
/// every link after it. Appends are serialised (PostgreSQL: a table lock; SQLite: its single writer) so the
/// chain never forks; triggers refuse UPDATE and DELETE.
/// </summary>
public sealed class AuditLog(Database database, TimeProvider timeProvider)
{
    /// <summary>The previous hash of the first entry.</summary>
    public static readonly string Genesis = new('0', 64);

    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var entry = await AppendAsync(connection, transaction, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    /// <summary>Appends inside the caller's transaction, so the entry commits or rolls back with the change it records.</summary>
    public async Task<AuditEntry> AppendAsync(
        DbConnection connection, DbTransaction transaction, AuditRecord record, CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            // Self-conflicting but lets readers through: one appender at a time across all servers.
            await connection.ExecuteAsync(new CommandDefinition(
                "LOCK TABLE audit_entry IN SHARE ROW EXCLUSIVE MODE", transaction: transaction, cancellationToken: cancellationToken));
        }

        var head = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            "SELECT seq AS Seq, hash AS Hash FROM audit_entry ORDER BY seq DESC LIMIT 1",
            transaction: transaction,
            cancellationToken: cancellationToken));
        var seq = (head?.Seq ?? 0) + 1;
        var prevHash = head?.Hash ?? Genesis;
        var at = Instant.Format(timeProvider.GetUtcNow());
        var hash = ComputeHash(prevHash, seq, at, record.Actor, record.Action, record.Target, record.Purpose, record.Detail);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audit_entry (seq, at, actor, action, target, purpose, detail, prev_hash, hash)
            VALUES (@seq, @at, @Actor, @Action, @Target, @Purpose, @Detail, @prevHash, @hash)
            """,
            new { seq, at, record.Actor, record.Action, record.Target, record.Purpose, record.Detail, prevHash, hash },
            transaction,
            cancellationToken: cancellationToken));
        return new AuditEntry(seq, Instant.Parse(at), record.Actor, record.Action, record.Target, record.Purpose, record.Detail, prevHash, hash);
    }

    /// <summary>The most recent entries, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> LatestAsync(int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<EntryRow>(new CommandDefinition(
            """
            SELECT seq AS Seq, at AS At, actor AS Actor, action AS Action, target AS Target, purpose AS Purpose,
                   detail AS Detail, prev_hash AS PrevHash, hash AS Hash
            FROM audit_entry ORDER BY seq DESC LIMIT @count
            """,
            new { count },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEntry()).ToList();
    }

    /// <summary>
    /// Walks the whole chain from the first entry. Reports the first entry that is missing (a gap in seq), whose
    /// stored previous hash is not its predecessor's hash, or whose hash does not match its contents.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, at, actor, action, target, purpose, detail, prev_hash, hash FROM audit_entry ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        long expected = 1;
        var previousHash = Genesis;
        while (await reader.ReadAsync(cancellationToken))
        {
            var seq = reader.GetInt64(0);
            if (seq != expected)
            {
                var reason = seq > expected
                    ? expected == seq - 1 ? $"entry {expected} is missing" : $"entries {expected} to {seq - 1} are missing"
                    : $"entry {seq} is out of order";
                return new AuditVerification(false, expected - 1, previousHash, expected, reason);
            }

            var prevHash = reader.GetString(7);
            var hash = reader.GetString(8);
            if (!string.Equals(prevHash, previousHash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, seq - 1, previousHash, seq, $"entry {seq} does not link to entry {seq - 1} (previous hash differs)");
            }

            var computed = ComputeHash(
                prevHash, seq, reader.GetString(1), reader.GetString(2), reader.GetString(3),
                NullableString(reader, 4), NullableString(reader, 5), NullableString(reader, 6));
            if (!string.Equals(computed, hash, StringComparison.Ordinal))
            {
                return new AuditVerification(false, seq - 1, previousHash, seq, $"entry {seq} was altered (its hash does not match its contents)");
            }

            previousHash = hash;
            expected++;
        }

        return new AuditVerification(true, expected - 1, previousHash, null, null);
    }

    /// <summary>
    /// SHA-256 over the previous hash (32 bytes) then each field as a 4-byte big-endian UTF-8 length and its bytes
    /// (-1 for null): seq (decimal), at, actor, action, target, purpose, detail. Lengths keep field boundaries
    /// unambiguous, so no two different entries encode alike.
    /// </summary>
    internal static string ComputeHash(
        string prevHash, long seq, string at, string actor, string action, string? target, string? purpose, string? detail)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Convert.FromHexString(prevHash));
        Span<byte> length = stackalloc byte[4];
        foreach (var field in new[] { seq.ToString(CultureInfo.InvariantCulture), at, actor, action, target, purpose, detail })
        {
            if (field is null)
            {
                BinaryPrimitives.WriteInt32BigEndian(length, -1);
                sha.AppendData(length);
                continue;
            }

            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            sha.AppendData(length);
            sha.AppendData(bytes);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private sealed record HeadRow(long Seq, string Hash);

    private sealed record EntryRow(
        long Seq, string At, string Actor, string Action, string? Target, string? Purpose, string? Detail, string PrevHash, string Hash)
    {
        public AuditEntry ToEntry() => new(Seq, Instant.Parse(At), Actor, Action, Target, Purpose, Detail, PrevHash, Hash);
    }
}
