using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;

namespace Zhiwang.Storage;

/// <summary>
/// Loading many rows at once: binary COPY straight into the table on PostgreSQL (through a staging table and one
/// INSERT … ON CONFLICT DO NOTHING where a row is already stored); one transaction of a prepared
/// INSERT … ON CONFLICT DO NOTHING on SQLite.
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
            ? await CopyDirectAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, rows, progress, cancellationToken)
            : await InsertPreparedAsync((SqliteConnection)connection, table, columns, rows, progress, cancellationToken);
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
                : await CopyDirectAsync((NpgsqlConnection)connection, (NpgsqlTransaction)transaction, table, columns, rows, null, cancellationToken)
            : await InsertPreparedAsync((SqliteConnection)connection, table, columns, rows, null, cancellationToken);
    }

    /// <summary>
    /// PostgreSQL: COPY straight into the table, which is the usual case (the hub never sends a row it knows is stored,
    /// a registry is loaded into empty tables) and spares copying every row through a staging table. Rows go in
    /// slices of <see cref="DirectSlice"/>, each behind a savepoint: a row already there breaks that slice's COPY, and
    /// the slice goes again through the staging table, which skips the rows already stored.
    /// </summary>
    private static async Task<long> CopyDirectAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string table,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        const string savepoint = "bulk_direct";
        long seen = 0;
        long inserted = 0;
        foreach (var slice in rows.Chunk(DirectSlice))
        {
            await transaction.SaveAsync(savepoint, cancellationToken);
            try
            {
                inserted += await CopyRowsAsync(connection, table, table, columns, slice, seen, cancellationToken);
                await transaction.ReleaseAsync(savepoint, cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                await transaction.RollbackAsync(savepoint, cancellationToken);
                inserted += await CopyAsync(connection, transaction, table, columns, slice, seen, cancellationToken);
            }

            seen += slice.Length;
            progress?.Report(seen);
        }

        return inserted;
    }

    /// <summary>Rows per COPY straight into a table: what is held in memory to go again through staging.</summary>
    private const int DirectSlice = ProgressInterval;

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

    /// <summary>COPY into a staging table, then one <c>INSERT … ON CONFLICT DO NOTHING</c>: rows already stored are skipped.</summary>
    private static async Task<long> CopyAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        string table,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        long rowsBefore,
        CancellationToken cancellationToken)
    {
        var columnList = string.Join(", ", columns);
        var staging = "bulk_" + table;
        await connection.ExecuteAsync(new CommandDefinition(
            $"CREATE TEMP TABLE {staging} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP",
            transaction: transaction,
            cancellationToken: cancellationToken));

        await CopyRowsAsync(connection, table, staging, columns, rows, rowsBefore, cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {table} ({columnList}) SELECT {columnList} FROM {staging} ON CONFLICT DO NOTHING",
            transaction: transaction,
            commandTimeout: 0,
            cancellationToken: cancellationToken));

        // Dropped now, not at commit: the same transaction may load this table again.
        await connection.ExecuteAsync(new CommandDefinition($"DROP TABLE {staging}", transaction: transaction, cancellationToken: cancellationToken));
        return inserted;
    }

    /// <summary>
    /// Binary COPY of the rows into <paramref name="target"/>; <paramref name="table"/> and the row's place in the whole
    /// load (after <paramref name="rowsBefore"/>) name a malformed row.
    /// </summary>
    private static async Task<long> CopyRowsAsync(
        NpgsqlConnection connection,
        string table,
        string target,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        long rowsBefore,
        CancellationToken cancellationToken)
    {
        long copied = 0;
        await using (var writer = await connection.BeginBinaryImportAsync(
            $"COPY {target} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var row in rows)
            {
                CheckRow(table, columns, row, rowsBefore + copied + 1);
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

                copied++;
            }

            await writer.CompleteAsync(cancellationToken);
        }

        return copied;
    }

    /// <summary>One prepared INSERT stepped per row, inside the transaction open on the connection (the caller's).</summary>
    /// <remarks>
    /// The statement is bound and stepped through SQLite's own API rather than <see cref="SqliteCommand"/>: per row
    /// the command looked each parameter up by name, boxed its value and set up a reader, a third of the cost of an
    /// import's writes. Text is bound as UTF-8 from one reused buffer (SQLite copies it at bind time).
    /// </remarks>
    private static Task<long> InsertPreparedAsync(
        SqliteConnection connection,
        string table,
        IReadOnlyList<string> columns,
        IEnumerable<object?[]> rows,
        IProgress<long>? progress,
        CancellationToken cancellationToken)
    {
        var db = connection.Handle!;
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "?" + (i + 1)))}) ON CONFLICT DO NOTHING";
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        using (statement)
        {
            var binder = new RawBinder(statement, db);
            long seen = 0;
            long inserted = 0;
            foreach (var row in rows)
            {
                CheckRow(table, columns, row, seen + 1);
                for (var i = 0; i < row.Length; i++)
                {
                    binder.Bind(i + 1, row[i]);
                }

                var rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, db);
                }

                inserted += raw.sqlite3_changes(db);
                raw.sqlite3_reset(statement);
                if (++seen % ProgressInterval == 0)
                {
                    progress?.Report(seen);
                }

                if (seen % 4_096 == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }

            ReportFinal(progress, seen);
            return Task.FromResult(inserted);
        }
    }

    /// <summary>Binds the CLR values bulk loads carry to a raw SQLite statement; dates as ISO-8601 text.</summary>
    private sealed class RawBinder(sqlite3_stmt statement, sqlite3 db)
    {
        private byte[] _utf8 = new byte[1024];
        private DateTimeOffset _lastTime;
        private byte[]? _lastTimeText;

        public void Bind(int index, object? value)
        {
            var rc = value switch
            {
                null => raw.sqlite3_bind_null(statement, index),
                string s => BindText(index, s),
                long l => raw.sqlite3_bind_int64(statement, index, l),
                int i => raw.sqlite3_bind_int64(statement, index, i),
                short h => raw.sqlite3_bind_int64(statement, index, h),
                bool b => raw.sqlite3_bind_int64(statement, index, b ? 1 : 0),
                double d => raw.sqlite3_bind_double(statement, index, d),
                float f => raw.sqlite3_bind_double(statement, index, f),
                decimal m => raw.sqlite3_bind_double(statement, index, (double)m),
                DateOnly d => BindText(index, d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
                DateTimeOffset t => BindTime(index, t),
                byte[] b => raw.sqlite3_bind_blob(statement, index, b),
                _ => throw new ArgumentException($"Bulk load does not carry values of type {value.GetType().Name}."),
            };
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        private int BindText(int index, string text)
        {
            var most = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_utf8.Length < most)
            {
                _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
            }

            var length = System.Text.Encoding.UTF8.GetBytes(text, _utf8);
            return raw.sqlite3_bind_text(statement, index, _utf8.AsSpan(0, length));
        }

        /// <summary>A batch stamps thousands of rows with one time: it is written out once.</summary>
        private int BindTime(int index, DateTimeOffset time)
        {
            if (_lastTimeText is null || time != _lastTime)
            {
                _lastTime = time;
                _lastTimeText = System.Text.Encoding.UTF8.GetBytes(Instant.Format(time));
            }

            return raw.sqlite3_bind_text(statement, index, _lastTimeText);
        }
    }

    /// <summary>The last count, unless a periodic report has just said it.</summary>
    private static void ReportFinal(IProgress<long>? progress, long rows)
    {
        if (rows % ProgressInterval != 0 || rows == 0)
        {
            progress?.Report(rows);
        }
    }
}
