using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Zhiwang.Storage;

/// <summary>
/// Loading many rows at once: binary COPY into a staging table then one INSERT … ON CONFLICT DO NOTHING
/// on PostgreSQL; one transaction of a prepared INSERT … ON CONFLICT DO NOTHING on SQLite.
/// Either way a load is all-or-nothing, and loading the same rows again adds nothing.
/// </summary>
public sealed partial class Database
{
    private const int ProgressInterval = 50_000;

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();

    /// <summary>
    /// Inserts <paramref name="rows"/> (values in <paramref name="columns"/> order, CLR types matching the
    /// column types: string, long, int, double, bool, DateOnly, DateTimeOffset) into <paramref name="table"/>.
    /// Returns how many rows were new.
    /// </summary>
    public async Task<long> BulkLoadAsync(
        string table,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        CancellationToken cancellationToken,
        IProgress<long>? progress = null)
    {
        CheckIdentifiers(table, columns);
        await using var connection = await OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var inserted = Provider == DatabaseProvider.PostgreSql
            ? await CopyAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, rows, progress, cancellationToken)
            : await InsertPreparedAsync((SqliteConnection)connection, (SqliteTransaction)transaction, table, columns, rows, progress, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return inserted;
    }

    /// <summary>
    /// The same inside the caller's transaction, which commits it with the caller's other writes: a few records
    /// stored, linked and their golden records rewritten in one commit. A handful of rows on PostgreSQL is one
    /// multi-row INSERT rather than a COPY through a staging table.
    /// </summary>
    public async Task<long> BulkLoadAsync(
        DbConnection connection,
        DbTransaction transaction,
        string table,
        IReadOnlyList<string> columns,
        IReadOnlyCollection<object?[]> rows,
        CancellationToken cancellationToken)
    {
        CheckIdentifiers(table, columns);
        if (rows.Count == 0)
        {
            return 0;
        }

        return Provider == DatabaseProvider.PostgreSql
            ? rows.Count <= SmallLoad
                ? await InsertValuesAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, rows, cancellationToken)
                : await CopyAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, rows, null, cancellationToken)
            : await InsertPreparedAsync((SqliteConnection)connection, (SqliteTransaction)transaction, table, columns, rows, null, cancellationToken);
    }

    /// <summary>A row must carry one value per column; <paramref name="number"/> is its 1-based place in the load.</summary>
    private static void CheckRow(string table, IReadOnlyList<string> columns, object?[] row, long number)
    {
        if (row.Length != columns.Count)
        {
            throw new ArgumentException($"Row {number} for {table} has {row.Length} values, expected {columns.Count}.", "rows");
        }
    }

    /// <summary>Up to this many rows go to PostgreSQL as one INSERT with parameters (a COPY costs three round trips).</summary>
    private const int SmallLoad = 200;

    /// <summary>Identifiers cannot be parameters; only plain snake_case names reach the SQL text.</summary>
    private static void CheckIdentifiers(string table, IReadOnlyList<string> columns)
    {
        foreach (var name in columns.Prepend(table))
        {
            if (!Identifier().IsMatch(name))
            {
                throw new ArgumentException($"'{name}' is not a plain snake_case identifier.", nameof(columns));
            }
        }
    }

    private static async Task<long> InsertValuesAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string table,
        IReadOnlyList<string> columns,
        IReadOnlyCollection<object?[]> rows,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        var tuples = new System.Text.StringBuilder();
        var row = 0;
        foreach (var values in rows)
        {
            CheckRow(table, columns, values, row + 1);
            tuples.Append(row == 0 ? "(" : ", (");
            for (var c = 0; c < values.Length; c++)
            {
                var parameter = $"p{row}_{c}";
                tuples.Append(c == 0 ? "@" : ", @").Append(parameter);
                command.Parameters.Add(new NpgsqlParameter(parameter, values[c] ?? DBNull.Value));
            }

            tuples.Append(')');
            row++;
        }

        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {tuples} ON CONFLICT DO NOTHING";
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<long> CopyAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string table,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var columnList = string.Join(", ", columns);
        var staging = "bulk_" + table;
        await connection.ExecuteAsync(new CommandDefinition(
            $"CREATE TEMP TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP",
            transaction: transaction,
            cancellationToken: cancellationToken));

        long copied = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY {staging} ({columnList}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in rows)
            {
                CheckRow(table, columns, row, copied + 1);
                await writer.StartRowAsync(cancellationToken);
                foreach (var value in row)
                {
                    if (value is null)
                    {
                        await writer.WriteNullAsync(cancellationToken);
                    }
                    else
                    {
                        await writer.WriteAsync(value, cancellationToken);
                    }
                }

                if (++copied % ProgressInterval == 0)
                {
                    progress?.Report(copied);
                }
            }

            await writer.CompleteAsync(cancellationToken);
        }

        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {table} ({columnList}) SELECT {columnList} FROM {staging} ON CONFLICT DO NOTHING",
            transaction: transaction,
            commandTimeout: 0,
            cancellationToken: cancellationToken));

        // Dropped now, not at commit: the same transaction may load this table again.
        await connection.ExecuteAsync(new CommandDefinition($"DROP TABLE {staging}", transaction: transaction, cancellationToken: cancellationToken));
        ReportFinal(progress, copied);
        return inserted;
    }

    private static async Task<long> InsertPreparedAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string table,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))}) ON CONFLICT DO NOTHING";
        var parameters = new SqliteParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            parameters[i] = command.Parameters.Add("$p" + i, SqliteType.Text);
        }

        command.Prepare();
        long seen = 0;
        long inserted = 0;
        foreach (var row in rows)
        {
            CheckRow(table, columns, row, seen + 1);
            for (var i = 0; i < row.Length; i++)
            {
                var (type, value) = ToSqlite(row[i]);
                parameters[i].SqliteType = type;
                parameters[i].Value = value;
            }

            inserted += await command.ExecuteNonQueryAsync(cancellationToken);
            if (++seen % ProgressInterval == 0)
            {
                progress?.Report(seen);
            }
        }

        ReportFinal(progress, seen);
        return inserted;
    }

    /// <summary>The last count, unless a periodic report has just said it.</summary>
    private static void ReportFinal(IProgress<long>? progress, long rows)
    {
        if (rows % ProgressInterval != 0 || rows == 0)
        {
            progress?.Report(rows);
        }
    }

    /// <summary>SQLite storage classes for the CLR types bulk loads carry; dates as ISO-8601 text.</summary>
    private static (SqliteType Type, object Value) ToSqlite(object? value) => value switch
    {
        null => (SqliteType.Text, DBNull.Value),
        string s => (SqliteType.Text, s),
        long or int or short or bool => (SqliteType.Integer, value),
        double or float or decimal => (SqliteType.Real, value),
        DateOnly d => (SqliteType.Text, d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
        DateTimeOffset t => (SqliteType.Text, t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)),
        byte[] b => (SqliteType.Blob, b),
        _ => throw new ArgumentException($"Bulk load does not carry values of type {value.GetType().Name}."),
    };
}
