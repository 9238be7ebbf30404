using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Zhiwang.Storage;

/// <summary>
/// The platform's database: which provider, how to open a connection, how to migrate and bulk-load.
/// One instance per process; connections are pooled by the providers.
/// </summary>
public sealed partial class Database
{
    private static readonly Lazy<bool> SqliteInitialised = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private Database(DatabaseProvider provider, string connectionString, string description)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Description = description;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    /// <summary>Where the database is, without secrets: a file path or host:port/database.</summary>
    public string Description { get; }

    /// <summary>SQLite: true while <see cref="SqliteCheckpoints.RunAsync"/> checkpoints beside the writers.</summary>
    public bool CheckpointsInBackground
    {
        get => Volatile.Read(ref _checkpointsInBackground);
        internal set => Volatile.Write(ref _checkpointsInBackground, value);
    }

    private bool _checkpointsInBackground;

    /// <summary>SQLite's own threshold for a commit to checkpoint the write-ahead log (its default), in pages.</summary>
    public const int AutoCheckpointPages = 1_000;

    /// <summary>
    /// The threshold while checkpoints run in the background: a safety net, not the usual path (64 MB of log).
    /// </summary>
    public const int BackgroundAutoCheckpointPages = 16_384;

    /// <summary>
    /// The database named by <paramref name="connectionString"/>, or when it is empty the embedded
    /// SQLite file <c>zhiwang.db</c> under <paramref name="dataDirectory"/> (created on first use).
    /// </summary>
    public static Database FromConnectionString(string? connectionString, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return Sqlite(Path.Combine(dataDirectory, "zhiwang.db"));
        }

        var trimmed = connectionString.Trim();
        if (trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return PostgreSql(FromPostgresUri(trimmed));
        }

        if (trimmed.StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("Filename=", StringComparison.OrdinalIgnoreCase))
        {
            SqliteConnectionStringBuilder sqlite;
            try
            {
                sqlite = new SqliteConnectionStringBuilder(trimmed);
            }
            catch (ArgumentException e)
            {
                throw new DatabaseException($"Bad SQLite connection string: {e.Message}", e);
            }

            return Sqlite(sqlite.DataSource);
        }

        return PostgreSql(trimmed);
    }

    public static Database Sqlite(string path)
    {
        _ = SqliteInitialised.Value;
        var fullPath = Path.GetFullPath(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
        };
        return new Database(DatabaseProvider.Sqlite, builder.ToString(), fullPath);
    }

    public static Database PostgreSql(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            // Npgsql says "Couldn't set hots (Parameter 'hots')"; name the keyword plainly, and the value's fault if there is one.
            var reason = e.ParamName is { Length: > 0 } keyword
                ? e.InnerException is null or KeyNotFoundException
                    ? $"unknown keyword '{keyword}'"
                    : $"bad value for '{keyword}' ({e.InnerException.Message})"
                : e.Message;
            throw new DatabaseException($"Bad PostgreSQL connection string: {reason}".ReplaceLineEndings(" "), e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new DatabaseException("Bad PostgreSQL connection string: it names no Host (expected e.g. Host=localhost;Database=zhiwang;Username=zhiwang;Password=…).");
        }

        // The same few statements run thousands of times a second (intake, queues, sweeps): let Npgsql prepare the
        // frequent ones on each pooled connection, so PostgreSQL parses and plans them once, not on every call. An
        // operator's own setting wins (Max Auto Prepare=0 turns it off).
        if (!Names(connectionString, "Max Auto Prepare"))
        {
            builder.MaxAutoPrepare = AutoPreparedStatements;
        }

        // PostgreSQL compiles a statement to machine code (JIT) when its estimated cost passes a threshold, and does it
        // again at every execution: 100-200 ms added to a statement that runs in a millisecond. Our statements are short
        // and frequent, and an estimate made before the statistics catch up (a new index, a table just filled) is enough
        // to cross the threshold, as intake's duplicate check once did. An operator who sets jit in Options decides.
        if (builder.Options is not { } options || !options.Contains("jit", StringComparison.OrdinalIgnoreCase))
        {
            builder.Options = $"{builder.Options} -c jit=off".Trim();
        }

        // The pool: at most PooledConnections, and keep those once opened. Npgsql's defaults (100, and closing what stayed
        // idle for 5 minutes) let a burst (a restart's catch-up, a slow minute) open dozens of connections that 5 minutes
        // later are closed all at once. Each exiting backend unmaps the shared buffers it touched: 62 exits took both cores
        // of the benchmark machine into the kernel for 1.5 s, and every report waited (docs/BENCHMARKS.md, session 8).
        // More connections than PostgreSQL has cores to run them only queue inside PostgreSQL; here they queue in the pool.
        if (!Names(connectionString, "Maximum Pool Size"))
        {
            builder.MaxPoolSize = Math.Max(PooledConnections, builder.MinPoolSize);
        }

        if (!Names(connectionString, "Minimum Pool Size"))
        {
            builder.MinPoolSize = builder.MaxPoolSize;
        }

        var description = $"PostgreSQL at {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        return new Database(DatabaseProvider.PostgreSql, builder.ConnectionString, description);
    }

    /// <summary>How many statements Npgsql keeps prepared per connection unless the connection string says otherwise.</summary>
    public const int AutoPreparedStatements = 100;

    /// <summary>
    /// How many connections a server keeps to PostgreSQL unless the connection string says otherwise (Maximum Pool Size,
    /// and Minimum Pool Size, which defaults to the maximum so that an opened connection is kept).
    /// </summary>
    public const int PooledConnections = 32;

    /// <summary>True when the connection string sets the keyword itself (in any case and spacing).</summary>
    private static bool Names(string connectionString, string keyword) =>
        new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Any(k => string.Equals(k.Replace(" ", "", StringComparison.Ordinal), keyword.Replace(" ", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase));

    /// <summary>Opens a connection, tuned for the provider. Failures become one-line <see cref="DatabaseException"/>s.</summary>
    public async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(ConnectionString)
            : new NpgsqlConnection(ConnectionString);
        try
        {
            if (Provider == DatabaseProvider.Sqlite)
            {
                var directory = Path.GetDirectoryName(Description);
                if (!string.IsNullOrEmpty(directory))
                {
                    Directory.CreateDirectory(directory);
                }
            }

            await connection.OpenAsync(cancellationToken);
            if (Provider == DatabaseProvider.Sqlite)
            {
                // WAL lets readers run beside the one writer; synchronous=FULL makes every
                // acknowledged commit survive a power cut, not only a process crash. A 64 MB page cache
                // (default 8 MB) keeps the indexes a million-record import inserts into in memory. A pooled connection
                // is told again each time: the checkpoint threshold depends on whether checkpoints run in the background.
                var autoCheckpoint = CheckpointsInBackground ? BackgroundAutoCheckpointPages : AutoCheckpointPages;
                await connection.ExecuteAsync(
                    $"PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint={autoCheckpoint};");
            }

            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or IOException or UnauthorizedAccessException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await connection.DisposeAsync();
            throw new DatabaseException($"Cannot open the database ({Description}): {OneLine(e)}", e);
        }
    }

    /// <summary>True when the database answers a trivial query.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken);
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellationToken)) == 1;
        }
        catch (DatabaseException)
        {
            return false;
        }
    }

    private static string FromPostgresUri(string uri)
    {
        Uri parsed;
        try
        {
            parsed = new Uri(uri);
        }
        catch (UriFormatException e)
        {
            throw new DatabaseException($"Bad PostgreSQL URI: {e.Message}", e);
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.Port > 0 ? parsed.Port : 5432,
            Database = parsed.AbsolutePath.Trim('/'),
        };
        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            var parts = parsed.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        // libpq-style parameters (?sslmode=require&connect_timeout=5); dropping them silently could turn TLS off.
        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var keyValue = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(keyValue[0]);
            var value = keyValue.Length == 2 ? Uri.UnescapeDataString(keyValue[1]) : "";
            var keyword = key.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "connect_timeout" => "Timeout",
                "application_name" => "Application Name",
                "target_session_attrs" => "Target Session Attributes",
                _ => key,
            };
            try
            {
                builder[keyword] = key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? value.Replace("-", "", StringComparison.Ordinal) : value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
            {
                // The value stays out of the message: it may be a password given as a URI parameter.
                throw new DatabaseException($"Bad PostgreSQL URI: cannot use parameter '{key}'", e);
            }
        }

        return builder.ConnectionString;
    }

    internal static string OneLine(Exception e)
    {
        // Providers wrap the real cause (refused connection, unknown host) a level or two down.
        var message = e.InnerException is { } inner && e is NpgsqlException && !e.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{e.Message} ({inner.Message})"
            : e.Message;
        return message.ReplaceLineEndings(" ").Trim();
    }
}
