using System.CommandLine;
using Zhiwang.Access;
using Zhiwang.Storage;

namespace Zhiwang.Cli.Commands;

/// <summary>
/// The global <c>--db</c> and <c>--data-dir</c> options, and running a command against the database they name so that
/// an unusable database ends the command with its one-line reason on stderr and exit code 2, never a stack trace.
/// </summary>
public sealed class DatabaseOptions
{
    public const string EnvironmentVariable = "ConnectionStrings__Zhiwang";

    /// <summary>The server's setting for its data directory; the CLI follows it so both open the same database.</summary>
    public const string DataDirectoryVariable = "Zhiwang__DataDirectory";

    public const int DatabaseUnusable = 2;

    public const int Failed = 1;

    public Option<string?> ConnectionString { get; } = new("--db")
    {
        Description = $"Database connection string: PostgreSQL (Host=…;Database=…;Username=…;Password=… or postgres://user:pass@host/db) or Data Source=file.db for SQLite. Default: ${EnvironmentVariable}, else the SQLite file under --data-dir.",
        Recursive = true,
        HelpName = "connection string",
    };

    public Option<string> DataDirectory { get; } = new("--data-dir")
    {
        Description = $"Folder for the embedded SQLite database (zhiwang.db) when no connection string is given. Default: ${DataDirectoryVariable}, else data/ (where `dotnet run --project src/Zhiwang.Server` keeps it when run from the repository root).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } directory ? directory : "data",
        HelpName = "folder",
    };

    public Database Open(ParseResult parseResult)
    {
        var connectionString = parseResult.GetValue(ConnectionString);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = Environment.GetEnvironmentVariable(EnvironmentVariable);
        }

        return Database.FromConnectionString(connectionString, parseResult.GetValue(DataDirectory) ?? "data");
    }

    /// <summary>Runs <paramref name="work"/> on the database with the Access tables up to date.</summary>
    public async Task<int> RunWithAccessAsync(
        ParseResult parseResult, CancellationToken cancellationToken, Func<Database, TextWriter, Task<int>> work) =>
        await RunAsync(parseResult, cancellationToken, async (database, output) =>
        {
            await database.MigrateAsync([typeof(AccessSetup).Assembly], TimeProvider.System, cancellationToken);
            return await work(database, output);
        });

    public async Task<int> RunAsync(
        ParseResult parseResult, CancellationToken cancellationToken, Func<Database, TextWriter, Task<int>> work)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        try
        {
            var database = Open(parseResult);
            return await work(database, output);
        }
        catch (DatabaseException e)
        {
            await error.WriteLineAsync(e.Message.ReplaceLineEndings(" "));
            return DatabaseUnusable;
        }
        catch (ArgumentException e)
        {
            var message = e.ParamName is { } parameter ? e.Message.Replace($" (Parameter '{parameter}')", "", StringComparison.Ordinal) : e.Message;
            await error.WriteLineAsync(message.ReplaceLineEndings(" "));
            return Failed;
        }
    }

    /// <summary>Who did it, for the audit log: the operating-system user running the CLI.</summary>
    public static string Actor => "cli:" + Environment.UserName;
}
