using System.CommandLine;
using Zhiwang.Storage;

namespace Zhiwang.Cli.Commands;

/// <summary><c>zhiwang db migrate</c>: brings every module's tables up to date.</summary>
public static class DbCommand
{
    public static Command Create(DatabaseOptions database)
    {
        var migrate = new Command("migrate", "Apply every module's schema migrations that are not yet applied, and list them.");
        migrate.SetAction((parseResult, cancellationToken) => database.RunAsync(parseResult, cancellationToken, async (db, output) =>
        {
            await output.WriteLineAsync($"Migrating {db.Description}");
            var applied = await db.MigrateAsync(ModuleCatalog.Modules(), TimeProvider.System, cancellationToken);
            foreach (var migration in applied)
            {
                await output.WriteLineAsync($"  applied {migration.Module} {migration.Version:D4}_{migration.Name}");
            }

            await output.WriteLineAsync(applied.Count == 0 ? "Up to date: nothing to apply." : $"{applied.Count} migration(s) applied.");
            return 0;
        }));

        var db = new Command("db", "The database: schema migrations.");
        db.Subcommands.Add(migrate);
        return db;
    }
}
