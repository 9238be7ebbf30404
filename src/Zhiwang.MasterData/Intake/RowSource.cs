using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Zhiwang.MasterData.Intake;

/// <summary>
/// The rows of one department file, whatever its format: a header (the columns) and, row after row, either
/// the values aligned with the columns or the reason the row cannot be read.
/// </summary>
internal abstract class RowSource : IDisposable
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _columns = [];

    protected RowSource(string file)
    {
        File = file;
    }

    /// <summary>The file as row errors name it (a workbook adds the sheet: civil_affairs.xlsx[救助对象2]).</summary>
    public string File { get; protected set; }

    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The current row's number as in the file: its line (header = 1) or its sheet row.</summary>
    public long Row { get; protected set; }

    /// <summary>The current row's values by column index; a fresh array each row, so it can be kept.</summary>
    public string?[] Values { get; protected set; } = [];

    /// <summary>Why the current row cannot be read, or null.</summary>
    public string? Error { get; protected set; }

    /// <summary>The column the error is in, when it is in one.</summary>
    public string? ErrorField { get; protected set; }

    /// <summary>Bytes of the file read so far, for progress.</summary>
    public abstract long Position { get; }

    /// <summary>The file's length in bytes, when known.</summary>
    public abstract long? Length { get; }

    /// <summary>The index of a column, or -1 when the file has none of that name.</summary>
    public virtual int IndexOf(string column) => _index.GetValueOrDefault(column, -1);

    /// <summary>
    /// Whether the current row's value in <paramref name="column"/> is a number that lost digits before it reached us
    /// (a workbook cell holding an 18-digit ID number as a number: Excel keeps 15). Text formats never do.
    /// </summary>
    public virtual bool LostDigits(int column) => false;

    /// <summary>Moves to the next row; false at the end of the file.</summary>
    public abstract bool Read();

    /// <summary>The current row's values by column name, as received.</summary>
    public virtual IReadOnlyDictionary<string, string?> Raw() => new RowValues(_index, Values);

    public abstract void Dispose();

    protected void SetColumns(IEnumerable<string> columns)
    {
        _columns.Clear();
        _index.Clear();
        foreach (var column in columns)
        {
            AddColumn(column);
        }
    }

    protected int AddColumn(string column)
    {
        if (!_index.TryAdd(column, _columns.Count))
        {
            return _index[column];
        }

        _columns.Add(column);
        return _columns.Count - 1;
    }

    protected void Fail(string reason, string? field = null)
    {
        Error ??= reason;
        ErrorField ??= field;
    }

    protected void ClearRow()
    {
        Error = null;
        ErrorField = null;
    }

    /// <summary>A row's values by column name over the shared column index: one small object a row, not a dictionary.</summary>
    private sealed class RowValues(Dictionary<string, int> index, string?[] values) : IReadOnlyDictionary<string, string?>
    {
        public string? this[string key] => values[index[key]];

        public IEnumerable<string> Keys => index.Keys;

        public IEnumerable<string?> Values => index.Values.Select(i => i < values.Length ? values[i] : null);

        public int Count => index.Count;

        public bool ContainsKey(string key) => index.ContainsKey(key);

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out string? value)
        {
            if (index.TryGetValue(key, out var i) && i < values.Length)
            {
                value = values[i];
                return true;
            }

            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, string?>> GetEnumerator() =>
            index.Select(pair => new KeyValuePair<string, string?>(pair.Key, pair.Value < values.Length ? values[pair.Value] : null)).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
