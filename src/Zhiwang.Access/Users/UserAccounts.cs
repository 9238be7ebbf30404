using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Identity;
using Zhiwang.Access.Audit;
using Zhiwang.Storage;

namespace Zhiwang.Access.Users;

/// <summary>
/// A person who signs in: their roles say what they may do, their scope (a division code) where, and their department
/// (an event handler's, e.g. <c>urban_management</c>) for whom.
/// </summary>
public sealed record User(string Name, IReadOnlyList<string> Roles, string Scope, string? Department = null);

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
        SELECT id AS Id, name AS Name, password_hash AS PasswordHash, roles AS Roles, scope AS Scope, department AS Department,
               failed_logins AS FailedLogins, locked_until AS LockedUntil
        FROM app_user WHERE name = @name
        """;

    private static readonly PasswordHasher<User> Hasher = new();

    // Hashed once so an unknown name costs the same time as a wrong password and does not reveal which names exist.
    private static readonly Lazy<string> DecoyHash = new(() => Hasher.HashPassword(new User("", [], ""), GeneratePassword()));

    /// <summary>Creates a user with a generated password, returned once and stored only as a hash.</summary>
    /// <exception cref="ArgumentException">The name, a role or the scope is not valid, or the name is taken.</exception>
    public Task<CreatedUser> CreateAsync(
        string name, IReadOnlyList<string> roles, string scope, string actor, CancellationToken cancellationToken) =>
        CreateAsync(name, roles, scope, department: null, actor, cancellationToken);

    /// <summary>Creates a user working for <paramref name="department"/> (an event handler needs one).</summary>
    /// <exception cref="ArgumentException">The name, a role, the scope or the department is not valid, or the name is taken.</exception>
    public async Task<CreatedUser> CreateAsync(
        string name, IReadOnlyList<string> roles, string scope, string? department, string actor, CancellationToken cancellationToken)
    {
        var user = Validate(name, roles, scope, department);
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

    /// <summary>
    /// Checks a name and password. The password hash is verified before any write transaction opens, so the
    /// ~100 ms of PBKDF2 never holds the writer or the audit lock; the failure count then moves in one atomic
    /// UPDATE, so concurrent failures all count.
    /// </summary>
    public async Task<SignInResult> SignInAsync(string name, string password, CancellationToken cancellationToken)
    {
        if (!IsValidName(name))
        {
            // No user can have this name: answer as for any failure without touching the database, so the login form
            // cannot write arbitrary text (a megabyte, or a password typed into the wrong field) to the append-only log.
            return new SignInResult(SignInOutcome.Failed, null);
        }

        UserRow? row;
        await using (var reader = await database.OpenConnectionAsync(cancellationToken))
        {
            row = await reader.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
                SelectUserSql, new { name }, cancellationToken: cancellationToken));
        }

        var now = timeProvider.GetUtcNow();
        if (row is null)
        {
            Hasher.VerifyHashedPassword(new User(name, [], ""), DecoyHash.Value, password);
            // A mistyped name may be someone's password: keep only a digest, enough to see one name tried many times.
            var unknown = UnknownUser(name);
            await auditLog.AppendAsync(new AuditRecord(unknown, "login.failed", unknown, Detail: "unknown user"), cancellationToken);
            return new SignInResult(SignInOutcome.Failed, null);
        }

        var user = row.ToUser();
        if (LockedUntil(row.LockedUntil, now) is { } lockedUntil)
        {
            // Costs the same as a real check, so the time taken does not say the account is locked.
            Hasher.VerifyHashedPassword(user, DecoyHash.Value, password);
            return await LockedOutAsync(name, lockedUntil, cancellationToken);
        }

        var verdict = Hasher.VerifyHashedPassword(user, row.PasswordHash, password);
        // Null: concurrent failures locked the account since it was read. The lock is then read and logged once the
        // verdict's connection is back in the pool: a burst of sign-ins each holding one while waiting for a second could
        // hold every connection and wait for ever.
        return await RecordVerdictAsync(name, row, user, password, verdict, now, cancellationToken)
            ?? await LockedOutAsync(name, await CurrentLockAsync(row.Id, now, cancellationToken), cancellationToken);
    }

    /// <summary>Counts a failure or clears the count, on the row as it is now; null when it is locked meanwhile.</summary>
    private async Task<SignInResult?> RecordVerdictAsync(
        string name, UserRow row, User user, string password, PasswordVerificationResult verdict, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var nowText = Instant.Format(now);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        SignInResult result;
        if (verdict == PasswordVerificationResult.Failed)
        {
            // All on the row as it is now, not as read above: a concurrent failure may have counted or locked since.
            var failures = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                """
                UPDATE app_user
                SET failed_logins = CASE WHEN failed_logins + 1 >= @max THEN 0 ELSE failed_logins + 1 END,
                    locked_until = CASE WHEN failed_logins + 1 >= @max THEN @lockedUntil ELSE NULL END
                WHERE id = @Id AND (locked_until IS NULL OR locked_until <= @now)
                RETURNING failed_logins
                """,
                new { max = MaxFailedSignIns, lockedUntil = Instant.Format(now + LockoutPeriod), now = nowText, row.Id },
                transaction,
                cancellationToken: cancellationToken));
            if (failures is null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }

            var locks = failures == 0;
            result = locks
                ? new SignInResult(SignInOutcome.LockedOut, null, now + LockoutPeriod)
                : new SignInResult(SignInOutcome.Failed, null);
            var detail = locks ? $"wrong password; locked for {LockoutPeriod.TotalMinutes:0} minutes" : $"wrong password ({failures} in a row)";
            await auditLog.AppendAsync(connection, transaction, new AuditRecord(name, "login.failed", "user:" + name, Detail: detail), cancellationToken);
        }
        else
        {
            var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded;
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                rehash
                    ? "UPDATE app_user SET failed_logins = 0, locked_until = NULL, password_hash = @hash WHERE id = @Id AND (locked_until IS NULL OR locked_until <= @now)"
                    : "UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = @Id AND (locked_until IS NULL OR locked_until <= @now)",
                new { row.Id, now = nowText, hash = rehash ? Hasher.HashPassword(user, password) : null },
                transaction,
                cancellationToken: cancellationToken));
            if (updated == 0)
            {
                // Locked by concurrent failures since it was read: the lock holds even for the right password.
                await transaction.RollbackAsync(cancellationToken);
                return null;
            }

            result = new SignInResult(SignInOutcome.Succeeded, user);
            await auditLog.AppendAsync(connection, transaction, new AuditRecord(name, "login", "user:" + name), cancellationToken);
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

    /// <summary>1 to 64 characters, none of them white space or a control character.</summary>
    internal static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 64 && !name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    /// <summary>How the audit log names a sign-in attempt for a name no user has: <c>unknown-user:</c> and 16 hex digits of its SHA-256.</summary>
    internal static string UnknownUser(string name) =>
        "unknown-user:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..16];

    internal static bool IsValidDepartment(string department) =>
        department.Length is > 0 and <= 64 && department.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

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
            INSERT INTO app_user (name, password_hash, roles, scope, department, failed_logins, locked_until, created_at)
            VALUES (@Name, @passwordHash, @roles, @Scope, @Department, 0, NULL, @createdAt)
            """,
            new
            {
                user.Name,
                passwordHash = Hasher.HashPassword(user, password),
                roles = string.Join(' ', user.Roles),
                user.Scope,
                user.Department,
                createdAt = Instant.Format(timeProvider.GetUtcNow()),
            },
            transaction,
            cancellationToken: cancellationToken));
        await auditLog.AppendAsync(
            connection,
            transaction,
            new AuditRecord(actor, "user.create", "user:" + user.Name, Detail: $"roles={string.Join(',', user.Roles)} scope={user.Scope}" + (user.Department is null ? "" : $" department={user.Department}")),
            cancellationToken);
        return new CreatedUser(user, password);
    }

    private static User Validate(string name, IReadOnlyList<string> roles, string scope, string? department)
    {
        if (!IsValidName(name))
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

        if (department is not null && !IsValidDepartment(department))
        {
            throw new ArgumentException($"Department '{department}' is not a department code (lower-case letters, digits and underscores, e.g. urban_management).", nameof(department));
        }

        if (department is null && roles.Contains(Roles.EventHandler))
        {
            // A handler acts for one department; without it they could act for none, or (worse) be mistaken for all.
            throw new ArgumentException("An event handler needs a department (e.g. --department urban_management).", nameof(department));
        }

        return new User(name, roles.Distinct(StringComparer.Ordinal).ToList(), scope, department);
    }

    private static DateTimeOffset? LockedUntil(string? lockedText, DateTimeOffset now) =>
        lockedText is not null && Instant.Parse(lockedText) is var until && until > now ? until : null;

    private async Task<SignInResult> LockedOutAsync(string name, DateTimeOffset? lockedUntil, CancellationToken cancellationToken)
    {
        var detail = lockedUntil is { } until ? "account locked until " + Instant.Format(until) : "account locked";
        await auditLog.AppendAsync(new AuditRecord(name, "login.locked", "user:" + name, Detail: detail), cancellationToken);
        return new SignInResult(SignInOutcome.LockedOut, null, lockedUntil);
    }

    private async Task<DateTimeOffset?> CurrentLockAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var lockedText = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT locked_until FROM app_user WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return LockedUntil(lockedText, now);
    }

    private sealed record UserRow(long Id, string Name, string PasswordHash, string Roles, string Scope, string? Department, long FailedLogins, string? LockedUntil)
    {
        public User ToUser() => new(Name, SplitList(Roles), Scope, Department);
    }
}

/// <summary>A user as an administrator sees them in the list: never a password hash.</summary>
public sealed record UserSummary(string Name, IReadOnlyList<string> Roles, string Scope, bool LockedOut, DateTimeOffset CreatedAt);
