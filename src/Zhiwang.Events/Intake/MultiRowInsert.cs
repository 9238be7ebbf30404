using System.Text;
using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.Events.Intake;

/// <summary>
/// One statement inserting many rows, every value a parameter: a batch of events costs a handful of round trips instead
/// of several per event. On PostgreSQL the rows go as one array per column (<c>INSERT … SELECT FROM unnest(…)</c>), so
/// the statement's text is the same for any number of rows and the server parses a few parameters, not thousands. On
/// SQLite they go as <c>VALUES (…), (…)</c> (it allows 32,766 parameters per statement).
/// A column whose values may all be null and is not text names its type after a colon: <c>possible_duplicate_of:bigint</c>.
/// </summary>
internal sealed class MultiRowInsert
{
    private readonly DatabaseProvider _provider;
    private readonly string _table;
    private readonly string[] _columns;
    private readonly string?[] _declaredTypes;
    private readonly List<object?[]> _rows = [];

    public MultiRowInsert(DatabaseProvider provider, string table, params string[] columns)
    {
        _provider = provider;
        _table = table;
        _columns = columns.Select(c => c.Split(':')[0]).ToArray();
        _declaredTypes = columns.Select(c => c.Contains(':', StringComparison.Ordinal) ? c.Split(':')[1] : null).ToArray();
    }

    public int Rows => _rows.Count;

    public string Table => _table;

    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The column names, comma-separated, for an INSERT's column list.</summary>
    public string ColumnList => string.Join(", ", _columns);

    public void Add(params object?[] values)
    {
        if (values.Length != _columns.Length)
        {
            throw new ArgumentException($"{_table} takes {_columns.Length} values per row, not {values.Length}.", nameof(values));
        }

        _rows.Add(values);
    }

    /// <summary>The statement and its parameters, with <paramref name="tail"/> (ON CONFLICT, RETURNING) after the rows.</summary>
    public CommandDefinition Command(System.Data.Common.DbTransaction transaction, string tail = "") =>
        _provider == DatabaseProvider.PostgreSql ? Unnest(transaction, tail) : Values(transaction, tail);

    private CommandDefinition Values(System.Data.Common.DbTransaction transaction, string tail)
    {
        var parameters = new DynamicParameters();
        var values = new StringBuilder();
        for (var r = 0; r < _rows.Count; r++)
        {
            values.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < _columns.Length; c++)
            {
                var name = $"{_columns[c]}_{r}";
                values.Append(c == 0 ? "@" : ", @").Append(name);
                parameters.Add(name, _rows[r][c]);
            }

            values.Append(')');
        }

        return new CommandDefinition($"INSERT INTO {_table} ({ColumnList}) VALUES {values} {tail}", parameters, transaction);
    }

    private CommandDefinition Unnest(System.Data.Common.DbTransaction transaction, string tail)
    {
        var parameters = new DynamicParameters();
        return new CommandDefinition(
            $"INSERT INTO {_table} ({ColumnList}) SELECT * FROM {Rowset(parameters, "a", "r")} {tail}", parameters, transaction);
    }

    /// <summary>
    /// PostgreSQL only: the rows as a row source, <c>unnest(@a0::text[], …) AS alias(column, …)</c>, with one array per
    /// column added to <paramref name="parameters"/> under <paramref name="prefix"/>. For a statement that joins the rows
    /// to something else before inserting them.
    /// </summary>
    public string Rowset(DynamicParameters parameters, string prefix, string alias)
    {
        var arrays = new List<string>(_columns.Length);
        for (var c = 0; c < _columns.Length; c++)
        {
            var sample = _rows.Select(row => row[c]).FirstOrDefault(v => v is not null);
            var type = _declaredTypes[c] ?? sample switch
            {
                long or int => "bigint",
                double => "double precision",
                _ => "text",
            };
            object array = type switch
            {
                "bigint" => _rows.Select(row => row[c] is null ? (long?)null : Convert.ToInt64(row[c], System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                "double precision" => _rows.Select(row => (double?)row[c]).ToArray(),
                _ => _rows.Select(row => (string?)row[c]).ToArray(),
            };
            parameters.Add($"{prefix}{c}", array);
            arrays.Add($"@{prefix}{c}::{type}[]");
        }

        return $"unnest({string.Join(", ", arrays)}) AS {alias}({ColumnList})";
    }
}
