using System.Text;
using Dapper;

namespace Zhiwang.Events.Intake;

/// <summary>
/// One <c>INSERT … VALUES (…), (…), …</c> for many rows, every value a parameter: a batch of events costs a handful of
/// round trips instead of several per event. Both providers take it (SQLite allows 32,766 parameters per statement).
/// </summary>
internal sealed class MultiRowInsert(string table, params string[] columns)
{
    private readonly StringBuilder _values = new();
    private int _rows;

    public DynamicParameters Parameters { get; } = new();

    public int Rows => _rows;

    public void Add(params object?[] values)
    {
        if (values.Length != columns.Length)
        {
            throw new ArgumentException($"{table} takes {columns.Length} values per row, not {values.Length}.", nameof(values));
        }

        _values.Append(_rows == 0 ? "(" : ", (");
        for (var c = 0; c < columns.Length; c++)
        {
            var name = $"{columns[c]}_{_rows}";
            _values.Append(c == 0 ? "@" : ", @").Append(name);
            Parameters.Add(name, values[c]);
        }

        _values.Append(')');
        _rows++;
    }

    /// <summary>The statement, with <paramref name="tail"/> (ON CONFLICT, RETURNING) after the values.</summary>
    public string Sql(string tail = "") => $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {_values} {tail}";
}
