using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Zhiwang.Access.Audit;
using Zhiwang.Storage;

namespace Zhiwang.Access.Users;

/// <summary>A person who signs in: their roles say what they may do, their scope (a division code) where.</summary>
public sealed record User(string Name, IReadOnlyList<string> Roles, string Scope);

/// <summary>A user just created, with the one and only copy of their generated password.</summary>
public sealed record CreatedUser(User User, string Password);

public enum SignInOutcome
{
    Succeeded,
    Failed,
    LockedOut,
}

/// <summary>The outcome of a password sign-in; <see cref="User"/> is set only when it succeeded.</summary>
public sealed record SignInResult(SignInOutcome Outcome, User? User, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Users, their passwords (ASP.NET Core Identity's PBKDF2 hasher) and lockout: five failed sign-ins in a row lock the
/// account for fifteen minutes. Every sign-in, failed sign-in and creation is written to the audit log.
/// </summary>
public sealed class UserAccounts(Database database, AuditLog auditLog, TimeProvider timeProvider)
{
    public const int MaxFailedSignIns = 5;

    public static readonly TimeSpan LockoutPeriod = TimeSpan.FromMinutes(15);

    /// <summary>The name of the user created on first run.</summary>
    public const string FirstAdministrator = "admin";

    private const string SelectUserSql = """
        SELECT id AS Id, name AS Name, password_hash AS PasswordHash, roles AS Roles, scope AS Scope,
               failed_logins AS FailedLogins, locked_until AS LockedUntil
        FROM app_user WHERE name = @name
        """;

    private static readonly PasswordHasher<User> Hasher = new();

    // Hashed once so an unknown name costs the same time as a wrong password and does not reveal which names exist.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(new User("", [], ""), GeneratePassword()));

    /// <summary>Creates a user with a generated password, returned once and stored only as a hash.</summary>
    /// <exception cref="ArgumentException">The name, a role or the scope is not valid, or the name is taken.</exception>
    public async Task<CreatedUser> CreateAsync(
        string name, IReadOnlyList<string> roles, string scope, string actor, CancellationToken cancellationToken)
    {
        var user = Validate(name, roles, scope);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var created = await CreateAsync(connection, transaction, user, actor, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    /// <summary>
    /// First run: when there are no users at all, creates <c>admin</c> (administrator, scope 440300) with a random
    /// password and returns it; the caller shows it once. Returns null when users already exist. There is no default password.
    /// </summary>
    public async Task<CreatedUser?> EnsureAdministratorAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (database.Provider == DatabaseProvider.PostgreSql)
        {
            // Two servers starting together must not both create the first administrator.
            await connection.ExecuteAsync(new CommandDefinition(
                "LOCK TABLE app_user IN SHARE ROW EXCLUSIVE MODE", transaction: transaction, cancellationToken: cancellationToken));
        }

        var count = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM app_user", transaction: transaction, cancellationToken: cancellationToken));
        if (count > 0)
        {
            return null;
        }

        var created = await CreateAsync(
            connection, transaction, new User(FirstAdministrator, [Roles.Administrator], Scopes.City), "system", cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return created;
    }

    public async Task<SignInResult> SignInAsync(string name, string password, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row stays locked until commit so concurrent failures all count (SQLite's writer lock does the same).
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            database.Provider == DatabaseProvider.PostgreSql ? SelectUserSql + " FOR UPDATE" : SelectUserSql,
            new { name },
            transaction,
            cancellationToken: cancellationToken));
        var now = timeProvider.GetUtcNow();
        SignInResult result;
        if (row is null)
        {
            Hasher.VerifyHashedPassword(new User(name, [], ""), DecoyHash.Value, password);
            result = new SignInResult(SignInOutcome.Failed, null);
            await auditLog.AppendAsync(connection, transaction, new AuditRecord(name, "login.failed", "user:" + name, Detail: "unknown user"), cancellationToken);
        }
        else if (row.LockedUntil is { } lockedText && Instant.Parse(lockedText) > now)
        {
            result = new SignInResult(SignInOutcome.LockedOut, null, Instant.Parse(lockedText));
            await auditLog.AppendAsync(connection, transaction, new AuditRecord(name, "login.locked", "user:" + name, Detail: "account locked until " + lockedText), cancellationToken);
        }
        else
        {
            var user = row.ToUser();
            var verdict = Hasher.VerifyHashedPassword(user, row.PasswordHash, password);
            if (verdict == PasswordVerificationResult.Failed)
            {
                var failures = row.FailedLogins + 1;
                var locks = failures >= MaxFailedSignIns;
                var lockedUntil = locks ? now + LockoutPeriod : (DateTimeOffset?)null;
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE app_user SET failed_logins = @failedLogins, locked_until = @lockedUntil WHERE id = @Id",
                    new { failedLogins = locks ? 0 : failures, lockedUntil = lockedUntil is { } t ? Instant.Format(t) : null, row.Id },
                    transaction,
                    cancellationToken: cancellationToken));
                result = locks
                    ? new SignInResult(SignInOutcome.LockedOut, null, lockedUntil)
                    : new SignInResult(SignInOutcome.Failed, null);
                var detail = locks ? $"wrong password; locked for {LockoutPeriod.TotalMinutes:0} minutes" : $"wrong password ({failures} in a row)";
                await auditLog.AppendAsync(connection, transaction, new AuditRecord(name, "login.failed", "user:" + name, Detail: detail), cancellationToken);
            }
            else
            {
                var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded;
                await connection.ExecuteAsync(new CommandDefinition(
                    rehash
                        ? "UPDATE app_user SET failed_logins = 0, locked_until = NULL, password_hash = @hash WHERE id = @Id"
                        : "UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = @Id",
                    new { row.Id, hash = rehash ? Hasher.HashPassword(user, password) : null },
                    transaction,
                    cancellationToken: cancellationToken));
                result = new SignInResult(SignInOutcome.Succeeded, user);
                await auditLog.AppendAsync(connection, transaction, new AuditRecord(name, "login", "user:" + name), cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<User?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            SelectUserSql, new { name }, cancellationToken: cancellationToken));
        return row?.ToUser();
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Name, string Roles, string Scope, string? LockedUntil, string CreatedAt)>(new CommandDefinition(
            "SELECT name, roles, scope, locked_until, created_at FROM app_user ORDER BY name",
            cancellationToken: cancellationToken));
        var now = timeProvider.GetUtcNow();
        return rows.Select(r => new UserSummary(
                r.Name,
                SplitList(r.Roles),
                r.Scope,
                r.LockedUntil is { } locked && Instant.Parse(locked) > now,
                Instant.Parse(r.CreatedAt)))
            .ToList();
    }

    /// <summary>20 characters from an alphabet without look-alikes: about 100 bits.</summary>
    internal static string GeneratePassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 20);

    internal static IReadOnlyList<string> SplitList(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private async Task<CreatedUser> CreateAsync(
        DbConnection connection, DbTransaction transaction, User user, string actor, CancellationToken cancellationToken)
    {
        var taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM app_user WHERE name = @Name", new { user.Name }, transaction, cancellationToken: cancellationToken));
        if (taken > 0)
        {
            throw new ArgumentException($"A user named '{user.Name}' already exists.", nameof(user));
        }

        var password = GeneratePassword();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO app_user (name, password_hash, roles, scope, failed_logins, locked_until, created_at)
            VALUES (@Name, @passwordHash, @roles, @Scope, 0, NULL, @createdAt)
            """,
            new
            {
                user.Name,
                passwordHash = Hasher.HashPassword(user, password),
                roles = string.Join(' ', user.Roles),
                user.Scope,
                createdAt = Instant.Format(timeProvider.GetUtcNow()),
            },
            transaction,
            cancellationToken: cancellationToken));
        await auditLog.AppendAsync(
            connection,
            transaction,
            new AuditRecord(actor, "user.create", "user:" + user.Name, Detail: $"roles={string.Join(',', user.Roles)} scope={user.Scope}"),
            cancellationToken);
        return new CreatedUser(user, password);
    }

    private static User Validate(string name, IReadOnlyList<string> roles, string scope)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException("A user name is 1 to 64 characters without spaces.", nameof(name));
        }

        if (roles.Count == 0)
        {
            throw new ArgumentException($"A user needs at least one role: {string.Join(", ", Roles.All)}.", nameof(roles));
        }

        if (roles.FirstOrDefault(r => !Roles.IsKnown(r)) is { } unknown)
        {
            throw new ArgumentException($"Unknown role '{unknown}'; the roles are {string.Join(", ", Roles.All)}.", nameof(roles));
        }

        if (!Scopes.Exists(scope))
        {
            throw new ArgumentException($"Scope '{scope}' is not a division of Shenzhen (440300, or a district, street, community or grid code).", nameof(scope));
        }

        return new User(name, roles.Distinct(StringComparer.Ordinal).ToList(), scope);
    }

    private sealed record UserRow(long Id, string Name, string PasswordHash, string Roles, string Scope, long FailedLogins, string? LockedUntil)
    {
        public User ToUser() => new(Name, SplitList(Roles), Scope);
    }
}

/// <summary>A user as an administrator sees them in the list: never a password hash.</summary>
public sealed record UserSummary(string Name, IReadOnlyList<string> Roles, string Scope, bool LockedOut, DateTimeOffset CreatedAt);
