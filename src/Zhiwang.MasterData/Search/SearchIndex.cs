using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Zhiwang.Linkage.Text;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Search;

/// <summary>
/// Keeps <c>golden_search</c>: one row per golden person, legal entity and house with its key, name, the name's
/// pinyin and initials, its address and grid, and beside it the fragment index over name and address (SQLite: the FTS5
/// table <c>golden_search_fragment</c>; PostgreSQL: pg_trgm GIN indexes on the table itself). The hub calls
/// <see cref="RebuildAsync"/> after an import completes and <see cref="RefreshAsync"/> for single records. Running either
/// again gives the same rows.
/// </summary>
/// <remarks>
/// On SQLite a refresh does not write the fragment index itself: it lists the rows to add and forget in
/// <c>golden_search_fragment_backlog</c>, which <see cref="IndexBacklogAsync"/> indexes a batch at a time (the server does
/// it every second, a refresh itself once the backlog reaches <see cref="BacklogLimit"/>). Every FTS5 write is a new
/// segment, and every few segments a merge inside the writing commit: per single record, that made the slowest 1% of
/// them. Search reads the rows still waiting directly, so a refreshed record is found at once all the same.
/// <para>
/// The fragment table is written here, not by triggers: this class is the only writer of <c>golden_search</c>, and a
/// per-row trigger would make the whole rebuild (which replaces every row, then builds the fragment index in one pass)
/// pay for 200,000 single-row index updates.
/// </para>
/// </remarks>
public sealed class SearchIndex(Database database)
{
    private const string ColumnList = "golden_id, kind, record_key, name, name_pinyin, name_initials, address, grid_code";

    // SQLite caps the parameters of one statement; a refresh of many ids goes in chunks.
    private const int RefreshChunk = 500;

    /// <summary>
    /// SQLite: a refresh that leaves at least this many rows waiting for the fragment index indexes them in its own
    /// transaction, so the backlog (which search reads row by row) stays small even where nothing indexes it in the
    /// background, as in a command-line import.
    /// </summary>
    public const int BacklogLimit = 2_000;

    private const string PersonSql = "SELECT golden_id, id_number, name, address, grid_code FROM golden_person";
    private const string LegalEntitySql = "SELECT golden_id, credit_code, name, address, grid_code FROM golden_legal_entity";
    private const string HouseSql = "SELECT house_code, address, grid_code FROM golden_house";

    /// <summary>Replaces the index with what the golden tables hold now, in one transaction; returns the rows written.</summary>
    /// <remarks>
    /// Readers see the old index until the commit. The secondary indexes are dropped and built again after the load:
    /// building an index from the loaded table is several times faster than updating it row by row.
    /// </remarks>
    public async Task<long> RebuildAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        if (connection is not SqliteConnection)
        {
            // Read and spell before the transaction, which holds the table locked from its first DROP INDEX.
            var rows = await ReadAllAsync(connection, cancellationToken);
            return await ReplaceAsync(connection, rows, cancellationToken);
        }

        // SQLite sorts index keys within its page cache; 2 MB (the default) spills the sort of 200,000 keys to disk.
        // The connection goes back to the pool afterwards, with its own cache size.
        var cacheSize = await connection.ExecuteScalarAsync<long>(new CommandDefinition("PRAGMA cache_size", cancellationToken: cancellationToken));
        await ExecuteAsync(connection, null, "PRAGMA cache_size = -65536", cancellationToken);
        try
        {
            return await ReplaceAsync(connection, null, cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, null, $"PRAGMA cache_size = {cacheSize}", CancellationToken.None);
        }
    }

    /// <summary>Empties the table and fills it again in one transaction, its indexes dropped meanwhile; <paramref name="rows"/> for PostgreSQL.</summary>

    private static async Task<long> ReplaceAsync(DbConnection connection, SearchRow[]? rows, CancellationToken cancellationToken)
    {
        var sqlite = connection is SqliteConnection;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var indexes = (await connection.QueryAsync<(string Name, string Sql)>(new CommandDefinition(
            sqlite
                ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'golden_search' AND sql IS NOT NULL"
                : "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'golden_search' AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            transaction: transaction,
            cancellationToken: cancellationToken))).ToList();
        foreach (var index in indexes)
        {
            await ExecuteAsync(connection, transaction, $"DROP INDEX \"{index.Name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", cancellationToken);
        }

        long written;
        if (sqlite)
        {
            written = await FillAsync((SqliteConnection)connection, transaction, cancellationToken);
        }
        else
        {
            // The indexes are gone, so the table is locked for this transaction anyway; TRUNCATE leaves no dead rows.
            await ExecuteAsync(connection, transaction, "TRUNCATE golden_search", cancellationToken);
            await ExecuteAsync(connection, transaction, "SET LOCAL maintenance_work_mem = '256MB'", cancellationToken);
            await CopyAsync((NpgsqlConnection)connection, rows ?? [], cancellationToken);
            written = rows?.Length ?? 0;
        }

        foreach (var index in indexes)
        {
            await ExecuteAsync(connection, transaction, index.Sql, cancellationToken);
        }

        if (sqlite)
        {
            // One pass over the new rows; on PostgreSQL the trigram indexes were among those built again above. The
            // backlog's rows are in that pass too, and what it had to forget went with the old index.
            await ExecuteAsync(connection, transaction, "INSERT INTO golden_search_fragment (golden_search_fragment) VALUES ('rebuild')", cancellationToken);
            await ExecuteAsync(connection, transaction, "DELETE FROM golden_search_fragment_backlog", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (!sqlite)
        {
            // The planner needs fresh statistics to choose the trigram indexes over a scan.
            await ExecuteAsync(connection, null, "ANALYZE golden_search", cancellationToken);
        }

        return written;
    }

    /// <summary>
    /// SQLite: the rows are copied table to table inside the database, calling back only to spell names. Carrying every
    /// row out through ADO.NET and back in again took three quarters of the rebuild. The callbacks are registered with
    /// SQLitePCL directly: Microsoft.Data.Sqlite's wrapper costs about 2 µs a call, more than the spelling itself.
    /// </summary>
    private static async Task<long> FillAsync(SqliteConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // Names repeat (half the persons share their name with someone): each is spelled once.
        var spelled = new Dictionary<(string Kind, string Name), SearchRow>();
        SearchRow Spelling(string kind, string name)
        {
            if (!spelled.TryGetValue((kind, name), out var row))
            {
                spelled[(kind, name)] = row = Row("", kind, null, name, null, null);
            }

            return row;
        }

        string[] functions = ["search_person_pinyin", "search_person_initials", "search_entity_pinyin", "search_entity_initials"];
        Register(connection, functions[0], name => Spelling(SearchKinds.Person, name).Pinyin);
        Register(connection, functions[1], name => Spelling(SearchKinds.Person, name).Initials);
        Register(connection, functions[2], name => Spelling(SearchKinds.LegalEntity, name).Pinyin);
        Register(connection, functions[3], name => Spelling(SearchKinds.LegalEntity, name).Initials);
        try
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM golden_search", cancellationToken);
            long written = 0;
            foreach (var sql in new[]
            {
                $"INSERT INTO golden_search ({ColumnList}) SELECT house_code, 'house', house_code, NULL, NULL, NULL, address, grid_code FROM golden_house",
                $"""
                INSERT INTO golden_search ({ColumnList})
                SELECT golden_id, 'legal_entity', credit_code, name, search_entity_pinyin(name), search_entity_initials(name), address, grid_code
                FROM golden_legal_entity
                """,
                $"""
                INSERT INTO golden_search ({ColumnList})
                SELECT golden_id, 'person', id_number, name, search_person_pinyin(name), search_person_initials(name), address, grid_code
                FROM golden_person
                """,
            })
            {
                written += await ExecuteAsync(connection, transaction, sql, cancellationToken);
            }

            return written;
        }
        finally
        {
            // The connection goes back to the pool: it keeps no callbacks holding this rebuild's names.
            foreach (var function in functions)
            {
                Register(connection, function, null);
            }
        }
    }

    /// <summary>A deterministic SQL function name → text (null → null) on this connection; null unregisters it.</summary>
    /// <remarks>One argument: each further argument costs as much again as the call.</remarks>
    private static void Register(SqliteConnection connection, string name, Func<string, string?>? spell)
    {
        SQLitePCL.delegate_function_scalar? function = spell is null ? null : (context, _, values) =>
        {
            if (SQLitePCL.raw.sqlite3_value_text(values[0]).utf8_to_string() is { } text && spell(text) is { } result)
            {
                SQLitePCL.raw.sqlite3_result_text(context, result);
            }
            else
            {
                SQLitePCL.raw.sqlite3_result_null(context);
            }
        };
        var code = SQLitePCL.raw.sqlite3_create_function(
            connection.Handle, name, 1, SQLitePCL.raw.SQLITE_UTF8 | SQLitePCL.raw.SQLITE_DETERMINISTIC, null, function);
        if (code != SQLitePCL.raw.SQLITE_OK)
        {
            throw new InvalidOperationException($"SQLite refused the function {name}: {SQLitePCL.raw.sqlite3_errstr(code).utf8_to_string()}.");
        }
    }

    /// <summary>
    /// Brings the index rows of <paramref name="goldenIds"/> (persons P…, legal entities E…, houses by house code or
    /// H + house code) in line with the golden tables as they stand in <paramref name="transaction"/>: a changed row is
    /// updated in the columns that changed, an id no longer in the golden tables leaves the index, and a row that is
    /// already right is not written at all (most single records change nothing a search sees). A few indexed statements
    /// per 500 ids, no scan.
    /// </summary>
    public static async Task RefreshAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyCollection<string> goldenIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(goldenIds);
        var sqlite = connection is SqliteConnection;

        // Dapper spells a list out as parameters for SQLite; Npgsql takes it as one array.
        var inIds = sqlite ? "IN @ids" : "= ANY(@ids)";
        var ids = goldenIds.Select(SearchId).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var chunk in ids.Chunk(RefreshChunk))
        {
            var (stored, rows) = await ReadAsync(connection, transaction, inIds, chunk, cancellationToken);

            var gone = stored.Keys.Except(rows.Select(r => r.GoldenId), StringComparer.Ordinal).ToArray();
            var changed = rows.Where(r => stored.TryGetValue(r.GoldenId, out var was) && was != r).ToList();
            var added = rows.Where(r => !stored.ContainsKey(r.GoldenId)).ToArray();
            if (sqlite)
            {
                // Only a row whose name or address changed, or that is gone, changes what the fragment index should hold.
                var refragmented = changed.Where(r => stored[r.GoldenId] is var was && (was.Name != r.Name || was.Address != r.Address))
                    .Select(r => r.GoldenId).ToArray();
                await ForgetFragmentsAsync(connection, transaction, gone, refragmented, cancellationToken);
            }

            if (gone.Length > 0)
            {
                await ExecuteAsync(connection, transaction, $"DELETE FROM golden_search WHERE golden_id {inIds}", cancellationToken, new { ids = gone });
            }

            foreach (var row in changed)
            {
                await UpdateAsync(connection, transaction, stored[row.GoldenId], row, cancellationToken);
            }

            if (added.Length > 0)
            {
                await ExecuteAsync(connection, transaction,
                    $"INSERT INTO golden_search ({ColumnList}) VALUES (@GoldenId, @Kind, @Key, @Name, @Pinyin, @Initials, @Address, @GridCode)",
                    cancellationToken, added);
                if (sqlite)
                {
                    await ExecuteAsync(connection, transaction,
                        "INSERT INTO golden_search_fragment_backlog (search_id, action) SELECT search_id, 'add' FROM golden_search WHERE golden_id IN @ids",
                        cancellationToken, new { ids = added.Select(r => r.GoldenId).ToArray() });
                }
            }
        }

        if (sqlite && await BacklogAsync(connection, transaction, cancellationToken) >= BacklogLimit)
        {
            await IndexBacklogAsync(connection, transaction, cancellationToken);
        }
    }

    /// <summary>
    /// The index rows stored for <paramref name="ids"/>, by golden id, and the rows the golden tables make for them now:
    /// four queries in one round trip (on PostgreSQL each is otherwise a round trip of its own).
    /// </summary>
    private static async Task<(Dictionary<string, SearchRow> Stored, List<SearchRow> Rows)> ReadAsync(
        DbConnection connection, DbTransaction transaction, string inIds, string[] ids, CancellationToken cancellationToken)
    {
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            SELECT golden_id AS GoldenId, kind AS Kind, record_key AS Key, name AS Name, name_pinyin AS Pinyin,
                   name_initials AS Initials, address AS Address, grid_code AS GridCode
            FROM golden_search WHERE golden_id {inIds};
            {PersonSql} WHERE golden_id {inIds};
            {LegalEntitySql} WHERE golden_id {inIds};
            {HouseSql} WHERE house_code {inIds};
            """,
            new { ids },
            transaction,
            cancellationToken: cancellationToken));
        var stored = (await results.ReadAsync<SearchRow>()).ToDictionary(r => r.GoldenId, StringComparer.Ordinal);
        var rows = new List<SearchRow>();
        foreach (var p in await results.ReadAsync<(string Id, string? Key, string? Name, string? Address, string? Grid)>())
        {
            rows.Add(Row(p.Id, SearchKinds.Person, p.Key, p.Name, p.Address, p.Grid));
        }

        foreach (var e in await results.ReadAsync<(string Id, string? Key, string? Name, string? Address, string? Grid)>())
        {
            rows.Add(Row(e.Id, SearchKinds.LegalEntity, e.Key, e.Name, e.Address, e.Grid));
        }

        foreach (var h in await results.ReadAsync<(string Code, string? Address, string? Grid)>())
        {
            rows.Add(Row(h.Code, SearchKinds.House, h.Code, null, h.Address, h.Grid));
        }

        return (stored, rows);
    }

    /// <summary>
    /// SQLite: before rows are deleted (<paramref name="gone"/>) or their name or address rewritten
    /// (<paramref name="refragmented"/>), the backlog keeps the values the fragment index holds for them, since it forgets
    /// a row only when told those. A row still waiting to be added was never indexed: a gone one simply stops waiting, a
    /// rewritten one waits on, to be indexed with its new values.
    /// </summary>
    private static async Task ForgetFragmentsAsync(
        DbConnection connection, DbTransaction transaction, string[] gone, string[] refragmented, CancellationToken cancellationToken)
    {
        if (gone.Length + refragmented.Length == 0)
        {
            return;
        }

        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO golden_search_fragment_backlog (search_id, action, name, address)
            SELECT s.search_id, 'forget', s.name, s.address FROM golden_search s
            WHERE s.golden_id IN @ids
              AND NOT EXISTS (SELECT 1 FROM golden_search_fragment_backlog b WHERE b.search_id = s.search_id AND b.action = 'add')
            """,
            cancellationToken, new { ids = gone.Concat(refragmented).ToArray() });
        if (gone.Length > 0)
        {
            await ExecuteAsync(connection, transaction,
                "DELETE FROM golden_search_fragment_backlog WHERE action = 'add' AND search_id IN (SELECT search_id FROM golden_search WHERE golden_id IN @ids)",
                cancellationToken, new { ids = gone });
        }

        if (refragmented.Length > 0)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT OR IGNORE INTO golden_search_fragment_backlog (search_id, action) SELECT search_id, 'add' FROM golden_search WHERE golden_id IN @ids",
                cancellationToken, new { ids = refragmented });
        }
    }

    /// <summary>
    /// Rewrites only the columns of <paramref name="row"/> that differ from <paramref name="was"/>: an index over
    /// columns left out of the SET is not touched (SQLite decides by the SET list, not by the values).
    /// </summary>
    private static Task<int> UpdateAsync(DbConnection connection, DbTransaction transaction, SearchRow was, SearchRow row, CancellationToken cancellationToken)
    {
        var set = new List<string>();
        void Compare(string? before, string? after, string column, string parameter)
        {
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                set.Add($"{column} = @{parameter}");
            }
        }

        Compare(was.Kind, row.Kind, "kind", nameof(SearchRow.Kind));
        Compare(was.Key, row.Key, "record_key", nameof(SearchRow.Key));
        Compare(was.Name, row.Name, "name", nameof(SearchRow.Name));
        Compare(was.Pinyin, row.Pinyin, "name_pinyin", nameof(SearchRow.Pinyin));
        Compare(was.Initials, row.Initials, "name_initials", nameof(SearchRow.Initials));
        Compare(was.Address, row.Address, "address", nameof(SearchRow.Address));
        Compare(was.GridCode, row.GridCode, "grid_code", nameof(SearchRow.GridCode));
        return ExecuteAsync(connection, transaction, $"UPDATE golden_search SET {string.Join(", ", set)} WHERE golden_id = @GoldenId", cancellationToken, row);
    }

    /// <summary>How many rows wait for the fragment index (SQLite; always 0 on PostgreSQL).</summary>
    public static async Task<long> BacklogAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection is SqliteConnection
            ? await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM golden_search_fragment_backlog", transaction: transaction, cancellationToken: cancellationToken))
            : 0;
    }

    /// <summary>
    /// SQLite: writes the backlog into the fragment index in <paramref name="transaction"/>, the rows to forget before the
    /// rows to add (a new row may have taken a deleted row's search id), and empties it; returns how many rows it held.
    /// One FTS5 segment for the lot, where a refresh of its own would have written one per record. Nothing on PostgreSQL.
    /// </summary>
    public static async Task<int> IndexBacklogAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is not SqliteConnection)
        {
            return 0;
        }

        // Counted first: SQLite empties a table by a DELETE without WHERE in one step and then reports no rows changed.
        var waiting = await BacklogAsync(connection, transaction, cancellationToken);
        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO golden_search_fragment (golden_search_fragment, rowid, name, address)
            SELECT 'delete', search_id, name, address FROM golden_search_fragment_backlog WHERE action = 'forget'
            """,
            cancellationToken);
        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO golden_search_fragment (rowid, name, address)
            SELECT s.search_id, s.name, s.address FROM golden_search_fragment_backlog b JOIN golden_search s ON s.search_id = b.search_id
            WHERE b.action = 'add'
            """,
            cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM golden_search_fragment_backlog", cancellationToken);
        return (int)waiting;
    }

    /// <summary>
    /// Every golden record as an index row, in golden id order (so the primary key grows at its end). Spelling names in
    /// pinyin is most of the work: the persons are spelled on another core while the legal entities and houses are read.
    /// </summary>
    private static async Task<SearchRow[]> ReadAllAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var persons = (await connection.QueryAsync<(string Id, string? Key, string? Name, string? Address, string? Grid)>(new CommandDefinition(
            PersonSql, cancellationToken: cancellationToken))).AsList();
        var spellPersons = Task.Run(() => Spell(persons, SearchKinds.Person, cancellationToken), cancellationToken);

        var entities = (await connection.QueryAsync<(string Id, string? Key, string? Name, string? Address, string? Grid)>(new CommandDefinition(
            LegalEntitySql, cancellationToken: cancellationToken))).AsList();
        var houses = (await connection.QueryAsync<(string Code, string? Address, string? Grid)>(new CommandDefinition(
            HouseSql, cancellationToken: cancellationToken))).AsList();
        var entityRows = Spell(entities, SearchKinds.LegalEntity, cancellationToken);

        var rows = new SearchRow[persons.Count + entities.Count + houses.Count];
        var at = 0;
        foreach (var h in houses)
        {
            rows[at++] = Row(h.Code, SearchKinds.House, h.Code, null, h.Address, h.Grid);
        }

        entityRows.CopyTo(rows, at);
        at += entityRows.Length;
        (await spellPersons).CopyTo(rows, at);

        // Usually already in order (house codes, then E…, then P…, each read in key order): the sort then costs one pass.
        if (!IsOrdered(rows))
        {
            Array.Sort(rows, (a, b) => string.CompareOrdinal(a.GoldenId, b.GoldenId));
        }

        return rows;
    }

    private static SearchRow[] Spell(List<(string Id, string? Key, string? Name, string? Address, string? Grid)> records, string kind, CancellationToken cancellationToken)
    {
        var rows = new SearchRow[records.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            if (i % 10_000 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var r = records[i];
            rows[i] = Row(r.Id, kind, r.Key, r.Name, r.Address, r.Grid);
        }

        return rows;
    }

    private static bool IsOrdered(SearchRow[] rows)
    {
        for (var i = 1; i < rows.Length; i++)
        {
            if (string.CompareOrdinal(rows[i - 1].GoldenId, rows[i].GoldenId) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static async Task CopyAsync(NpgsqlConnection connection, SearchRow[] rows, CancellationToken cancellationToken)
    {
        // Straight into the emptied table, inside the rebuild's transaction: no staging table, no conflicts possible.
        await using var writer = await connection.BeginBinaryImportAsync($"COPY golden_search ({ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(row.GoldenId, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.Kind, NpgsqlDbType.Text, cancellationToken);
            await WriteAsync(writer, row.Key, cancellationToken);
            await WriteAsync(writer, row.Name, cancellationToken);
            await WriteAsync(writer, row.Pinyin, cancellationToken);
            await WriteAsync(writer, row.Initials, cancellationToken);
            await WriteAsync(writer, row.Address, cancellationToken);
            await WriteAsync(writer, row.GridCode, cancellationToken);
        }

        await writer.CompleteAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken) =>
        value is null ? writer.WriteNullAsync(cancellationToken) : writer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    private static Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, object? parameters = null) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, commandTimeout: 0, cancellationToken: cancellationToken));

    /// <summary>The id a record has in the index: a house's H-prefixed golden id (the hub's form) becomes its house code.</summary>
    private static string SearchId(string goldenId) =>
        goldenId is { Length: HouseCodeLength + 1 } && goldenId[0] == 'H' ? goldenId[1..] : goldenId;

    private const int HouseCodeLength = 18;

    private static SearchRow Row(string id, string kind, string? key, string? name, string? address, string? grid)
    {
        // A legal entity's name is read character by character; a person's surname may have its own reading (单 Shan).
        var personName = kind == SearchKinds.Person;
        var pinyin = string.IsNullOrWhiteSpace(name) ? null : personName ? ChineseText.NamePinyin(name) : ChineseText.ToPinyin(name);
        var initials = string.IsNullOrWhiteSpace(name) ? null : personName ? ChineseText.NamePinyinInitials(name) : ChineseText.PinyinInitials(name);
        return new SearchRow(id, kind, key, name, NullIfEmpty(pinyin), NullIfEmpty(initials), address, grid);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private sealed record SearchRow(string GoldenId, string Kind, string? Key, string? Name, string? Pinyin, string? Initials, string? Address, string? GridCode);
}

/// <summary>The kinds of golden record, as stored in <c>golden_search.kind</c> and <c>record_mention.kind</c>.</summary>
public static class SearchKinds
{
    public const string Person = "person";
    public const string LegalEntity = "legal_entity";
    public const string House = "house";
}
