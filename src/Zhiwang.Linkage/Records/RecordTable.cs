namespace Zhiwang.Linkage.Records;

/// <summary>
/// Records held column by column: each field is an int code into its column's pool of distinct values, so a million
/// records of ten columns cost about 40 MB plus the distinct strings, with no object per field. Empty values are
/// missing (code -1). Each record carries the name of the input (source) it came from.
/// </summary>
public sealed class RecordTable
{
    private readonly string[] _columns;
    private readonly Dictionary<string, int> _columnIndex;
    private readonly ValuePool[] _pools;
    private readonly GrowableList<int>[] _codes;
    private readonly GrowableList<short> _sourceCodes = new();
    private readonly List<string> _sources = [];

    public RecordTable(IEnumerable<string> columns)
    {
        _columns = columns.ToArray();
        _columnIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _columns.Length; i++)
        {
            if (!_columnIndex.TryAdd(_columns[i], i))
            {
                throw new ArgumentException($"column '{_columns[i]}' is named twice", nameof(columns));
            }
        }

        _pools = _columns.Select(_ => new ValuePool()).ToArray();
        _codes = _columns.Select(_ => new GrowableList<int>()).ToArray();
    }

    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The names of the inputs, in the order they first appeared.</summary>
    public IReadOnlyList<string> Sources => _sources;

    public int Count => _sourceCodes.Count;

    /// <summary>The index of a column, or -1.</summary>
    public int ColumnIndex(string name) => _columnIndex.TryGetValue(name, out var index) ? index : -1;

    /// <summary>Appends a record of <paramref name="values"/> in column order (trimmed; empty = missing) and returns its index.</summary>
    public int Add(string source, IReadOnlyList<string?> values)
    {
        if (values.Count != _columns.Length)
        {
            throw new ArgumentException($"expected {_columns.Length} values, got {values.Count}", nameof(values));
        }

        var sourceCode = _sources.IndexOf(source);
        if (sourceCode < 0)
        {
            if (_sources.Count == short.MaxValue)
            {
                throw new InvalidOperationException($"more than {short.MaxValue} sources");
            }

            sourceCode = _sources.Count;
            _sources.Add(source);
        }

        for (var c = 0; c < _columns.Length; c++)
        {
            var value = values[c]?.Trim();
            _codes[c].Add(string.IsNullOrEmpty(value) ? -1 : _pools[c].Intern(value));
        }

        _sourceCodes.Add((short)sourceCode);
        return Count - 1;
    }

    public string? Value(int record, int column)
    {
        var code = _codes[column][record];
        return code < 0 ? null : _pools[column][code];
    }

    public string? Value(int record, string column) => Value(record, ColumnIndex(column));

    public string Source(int record) => _sources[_sourceCodes[record]];

    internal int SourceCode(int record) => _sourceCodes[record];

    /// <summary>The code of a record's value in its column's pool, -1 when missing.</summary>
    internal int Code(int record, int column) => _codes[column][record];

    internal ValuePool Pool(int column) => _pools[column];
}

/// <summary>The distinct values of one column; a code is a value's position.</summary>
internal sealed class ValuePool
{
    private readonly Dictionary<string, int> _codes = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];

    public int Count => _values.Count;

    public string this[int code] => _values[code];

    public int Intern(string value)
    {
        if (!_codes.TryGetValue(value, out var code))
        {
            code = _values.Count;
            _codes.Add(value, code);
            _values.Add(value);
        }

        return code;
    }

    public int Find(string value) => _codes.TryGetValue(value, out var code) ? code : -1;
}

/// <summary>A list of unmanaged values in one array that doubles when full, read without bounds beyond the array's.</summary>
internal sealed class GrowableList<T>
    where T : unmanaged
{
    private T[] _items = new T[16];

    public int Count { get; private set; }

    public T this[int index]
    {
        get => _items[index];
        set => _items[index] = value;
    }

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            System.Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }
}
