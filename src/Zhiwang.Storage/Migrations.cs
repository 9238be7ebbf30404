using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;

namespace Zhiwang.Storage;

/// <summary>One numbered schema change of one module, for one provider.</summary>
public sealed record Migration(string Module, int Version, string Name, string Sql);

/// <summary>
/// Migrations are SQL files embedded in each module's assembly as <c>Sql/{provider}/NNNN_name.sql</c>.
/// They are applied in the order the modules are given, then by number, each in its own transaction,
/// and recorded in <c>schema_migration</c>, so running them again changes nothing.
/// </summary>
public static partial class Migrations
{
    [GeneratedRegex(@"^Sql/(?<provider>sqlite|postgresql)/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    public static IReadOnlyList<Migration> Of(Assembly module, DatabaseProvider provider)
    {
        var moduleName = ModuleName(module);
        var migrations = new List<Migration>();
        foreach (var resource in module.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success || match.Groups["provider"].Value != provider.FolderName())
            {
                continue;
            }

            using var stream = module.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(
                moduleName,
                int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Module {moduleName} has two {provider.FolderName()} migrations numbered {migrations[i].Version:D4}.");
            }
        }

        return migrations;
    }

    /// <summary>"Zhiwang.MasterData" → "masterdata": the key migrations are recorded under.</summary>
    public static string ModuleName(Assembly module)
    {
        var name = module.GetName().Name ?? throw new InvalidOperationException("An assembly without a name cannot carry migrations.");
        return (name.StartsWith("Zhiwang.", StringComparison.Ordinal) ? name["Zhiwang.".Length..] : name).ToLowerInvariant();
    }
}

public sealed partial class Database
{
    private const long MigrationLockKey = 0x5A_4857_414E_47; // "ZHWANG": one migrator at a time on PostgreSQL

    /// <summary>Applies every migration of <paramref name="modules"/> not yet recorded; returns those applied now.</summary>
    public Task<IReadOnlyList<Migration>> MigrateAsync(
        IEnumerable<Assembly> modules, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        MigrateAsync(modules.SelectMany(module => Migrations.Of(module, Provider)), timeProvider, cancellationToken);

    /// <summary>
    /// Applies each of <paramref name="migrations"/> (already for this provider, in the order given) that is not yet
    /// recorded, each in its own transaction; returns those applied now. A failing migration rolls back and stops the
    /// run with a <see cref="DatabaseException"/> naming it.
    /// </summary>
    public async Task<IReadOnlyList<Migration>> MigrateAsync(
        IEnumerable<Migration> migrations, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken);
        try
        {
            if (Provider == DatabaseProvider.PostgreSql)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "SELECT pg_advisory_lock(@key)", new { key = MigrationLockKey }, cancellationToken: cancellationToken));
            }

            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    CREATE TABLE IF NOT EXISTS schema_migration (
                        module TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        name TEXT NOT NULL,
                        applied_at TEXT NOT NULL,
                        PRIMARY KEY (module, version)
                    )
                    """,
                    cancellationToken: cancellationToken));

                var applied = new List<Migration>();
                foreach (var migration in migrations)
                {
                    if (await ApplyAsync(connection, migration, timeProvider, cancellationToken))
                    {
                        applied.Add(migration);
                    }
                }

                return applied;
            }
            finally
            {
                await UnlockMigrationsAsync(connection);
            }
        }
        catch (DbException e)
        {
            // E.g. a role that may not create tables: still one line for the operator, naming the database.
            throw new DatabaseException($"Cannot migrate the database ({Description}): {OneLine(e)}", e);
        }
    }

    private async Task UnlockMigrationsAsync(DbConnection connection)
    {
        if (Provider != DatabaseProvider.PostgreSql)
        {
            return;
        }

        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_unlock(@key)", new { key = MigrationLockKey }, cancellationToken: CancellationToken.None));
        }
        catch (DbException)
        {
            // The connection broke: the server releases a session's advisory locks when it ends, and the
            // error that matters is the one already on its way out.
        }
    }

    private static async Task<bool> ApplyAsync(
        DbConnection connection, Migration migration, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var already = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM schema_migration WHERE module = @Module AND version = @Version",
            new { migration.Module, migration.Version },
            transaction,
            cancellationToken: cancellationToken));
        if (already > 0)
        {
            return false;
        }

        try
        {
            // No time limit: a migration that builds an index takes as long as the table is large (minutes for
            // millions of rows), and stopping it half-way only rolls it back to be started again.
            await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, commandTimeout: 0, cancellationToken: cancellationToken));
        }
        catch (DbException e)
        {
            throw new DatabaseException(
                $"Migration {migration.Module} {migration.Version:D4}_{migration.Name} failed: {OneLine(e)}", e);
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO schema_migration (module, version, name, applied_at) VALUES (@Module, @Version, @Name, @AppliedAt)",
            new
            {
                migration.Module,
                migration.Version,
                migration.Name,
                AppliedAt = timeProvider.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
