using System.Text;

namespace Zhiwang.Linkage.Records;

/// <summary>
/// Records held column by column: each field is a code into its column's pool of distinct values, stored in the
/// narrowest integer width the pool allows (a byte for sex, two for birth dates, four for ids), and each pool holds
/// its values in one character arena: a million records of ten columns cost tens of MB plus the distinct characters,
/// with no object per field or per value. Empty values are missing (code -1). Each record carries the name of the
/// input (source) it came from.
/// </summary>
public sealed class RecordTable
{
    private readonly string[] _columns;
    private readonly Dictionary<string, int> _columnIndex;
    private readonly ValuePool[] _pools;
    private readonly ColumnCodes[] _codes;
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
        _codes = _columns.Select(_ => new ColumnCodes()).ToArray();
    }

    public IReadOnlyList<string> Columns => _columns;

    /// <summary>The names of the inputs, in the order they first appeared.</summary>
    public IReadOnlyList<string> Sources => _sources;

    public int Count => _sourceCodes.Count;

    /// <summary>The settings compiled against this table by the last train, predict or linker (see PreparedTable.For).</summary>
    internal PreparedTable? Prepared { get; set; }

    internal Lock PreparedLock { get; } = new();

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
            var value = values[c].AsSpan().Trim();
            _codes[c].Add(value.IsEmpty ? -1 : _pools[c].Intern(value));
        }

        _sourceCodes.Add((short)sourceCode);
        return Count - 1;
    }

    /// <summary>A field as a new string (values are pooled as characters, not strings), or null when missing.</summary>
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

    /// <summary>Gives back the slack of the growing arrays (up to half of each) once loading is done; appending still works.</summary>
    internal void TrimExcess()
    {
        foreach (var pool in _pools)
        {
            pool.TrimExcess();
        }

        foreach (var codes in _codes)
        {
            codes.TrimExcess();
        }

        _sourceCodes.TrimExcess();
    }
}

/// <summary>
/// The distinct values of one column; a code is a value's position. The characters of all values lie in one arena
/// (a value is a start offset into it) and the lookup is an open-addressing table of codes, so a value costs its
/// characters plus about 12 bytes, against a string object and a dictionary entry (some 60 bytes) before. While every
/// value is Latin-1 (ids, ID numbers, phones, dates) the arena holds a byte per character; the first wider value
/// (a Han name, an address) turns it into UTF-16 for good.
/// </summary>
internal sealed class ValuePool
{
    private byte[]? _narrow = new byte[64];
    private char[]? _wide;
    private int _length;
    private int[] _starts = new int[17];
    private int[] _slots = new int[16];

    public int Count { get; private set; }

    /// <summary>A value's length in characters.</summary>
    public int Length(int code) => _starts[code + 1] - _starts[code];

    /// <summary>Whether the arena still holds one byte per character.</summary>
    public bool IsNarrow => _narrow is not null;

    /// <summary>The value as a new string: for explanations, output and once-per-value work, not per pair.</summary>
    public string this[int code]
    {
        get
        {
            var (start, length) = (_starts[code], _starts[code + 1] - _starts[code]);
            return _narrow is { } narrow ? Encoding.Latin1.GetString(narrow, start, length) : new string(_wide!, start, length);
        }
    }

    /// <summary>
    /// The value's characters: the arena itself when it is UTF-16, else widened into <paramref name="buffer"/> (or a
    /// new array when the buffer is too short). Read it before the next <see cref="Intern(ReadOnlySpan{char})"/>.
    /// </summary>
    public ReadOnlySpan<char> Chars(int code, Span<char> buffer)
    {
        var (start, length) = (_starts[code], _starts[code + 1] - _starts[code]);
        if (_narrow is null)
        {
            return _wide.AsSpan(start, length);
        }

        var target = length <= buffer.Length ? buffer[..length] : new char[length];
        Encoding.Latin1.GetChars(_narrow.AsSpan(start, length), target);
        return target;
    }

    public int Intern(ReadOnlySpan<char> value)
    {
        var slot = Slot(value, out var found);
        if (found >= 0)
        {
            return found;
        }

        if (_narrow is not null && value.ContainsAnyExceptInRange((char)0, (char)0xFF))
        {
            Widen();
        }

        if (_length + value.Length > (_narrow?.Length ?? _wide!.Length))
        {
            var size = Math.Max(Growth.Next(_narrow?.Length ?? _wide!.Length), _length + value.Length);
            if (_narrow is not null)
            {
                System.Array.Resize(ref _narrow, size);
            }
            else
            {
                System.Array.Resize(ref _wide, size);
            }
        }

        if (Count + 2 > _starts.Length)
        {
            System.Array.Resize(ref _starts, Growth.Next(_starts.Length));
        }

        if (_narrow is not null)
        {
            Encoding.Latin1.GetBytes(value, _narrow.AsSpan(_length));
        }
        else
        {
            value.CopyTo(_wide.AsSpan(_length));
        }

        _length += value.Length;
        var added = Count++;
        _starts[Count] = _length;
        _slots[slot] = added + 1;
        // Up to three quarters full: linear probing stays short, and the table costs 5 to 11 bytes a value.
        if (Count * 4 > _slots.Length * 3)
        {
            Rehash(_slots.Length * 2);
        }

        return added;
    }

    public int Intern(string value) => Intern(value.AsSpan());

    public int Find(ReadOnlySpan<char> value)
    {
        Slot(value, out var found);
        return found;
    }

    public void TrimExcess()
    {
        if (_narrow is not null)
        {
            System.Array.Resize(ref _narrow, Math.Max(1, _length));
        }
        else
        {
            System.Array.Resize(ref _wide, Math.Max(1, _length));
        }

        System.Array.Resize(ref _starts, Count + 2);
    }

    /// <summary>
    /// FNV-1a over the characters, then a multiplicative finaliser: deterministic across processes (the string
    /// hash is not) and the same for a value held as bytes or as UTF-16; equality is always checked on the characters.
    /// </summary>
    internal static int Hash(ReadOnlySpan<char> value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return Finish(hash);
    }

    private static int Hash(ReadOnlySpan<byte> value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return Finish(hash);
    }

    private static int Finish(uint hash)
    {
        hash ^= hash >> 15;
        hash *= 0x2C1B3C6Du;
        hash ^= hash >> 12;
        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>The slot holding <paramref name="value"/> (<paramref name="found"/> its code) or the empty slot where it would go (found -1).</summary>
    private int Slot(ReadOnlySpan<char> value, out int found)
    {
        var mask = _slots.Length - 1;
        var slot = Hash(value) & mask;
        while (_slots[slot] != 0)
        {
            var code = _slots[slot] - 1;
            if (Equal(code, value))
            {
                found = code;
                return slot;
            }

            slot = (slot + 1) & mask;
        }

        found = -1;
        return slot;
    }

    private bool Equal(int code, ReadOnlySpan<char> value)
    {
        var (start, length) = (_starts[code], _starts[code + 1] - _starts[code]);
        if (length != value.Length)
        {
            return false;
        }

        if (_narrow is null)
        {
            return _wide.AsSpan(start, length).SequenceEqual(value);
        }

        var stored = _narrow.AsSpan(start, length);
        for (var i = 0; i < stored.Length; i++)
        {
            if (stored[i] != value[i])
            {
                return false;
            }
        }

        return true;
    }

    private void Widen()
    {
        _wide = new char[_narrow!.Length];
        Encoding.Latin1.GetChars(_narrow.AsSpan(0, _length), _wide);
        _narrow = null;
    }

    private void Rehash(int size)
    {
        var slots = new int[size];
        var mask = size - 1;
        for (var code = 0; code < Count; code++)
        {
            var (start, length) = (_starts[code], _starts[code + 1] - _starts[code]);
            var hash = _narrow is not null ? Hash(_narrow.AsSpan(start, length)) : Hash(_wide.AsSpan(start, length));
            var slot = hash & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = code + 1;
        }

        _slots = slots;
    }
}

/// <summary>
/// One column's codes, one per record, in the narrowest width that holds the pool: none at all while every record
/// has a value of its own in order (a unique id column: the code is the record's index), then bytes while the pool
/// has under 255 values, then 16-bit, then 32-bit (each widening replaces the old array). Stored as code + 1 so
/// missing is 0.
/// </summary>
internal sealed class ColumnCodes
{
    private bool _identity = true;
    private byte[]? _bytes;
    private ushort[]? _shorts;
    private int[]? _ints;

    public int Count { get; private set; }

    public int this[int record]
    {
        get
        {
            if (_identity)
            {
                // Bounds as an array's would be: a record past the end is an error, not a code.
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)record, (uint)Count, nameof(record));
                return record;
            }

            return (_bytes is { } b ? b[record] : _shorts is { } s ? s[record] : _ints![record]) - 1;
        }
    }

    public void Add(int code)
    {
        if (_identity)
        {
            if (code == Count)
            {
                Count++;
                return;
            }

            Materialise();
        }

        var stored = code + 1;
        if (_bytes is not null && stored > byte.MaxValue)
        {
            _shorts = new ushort[Math.Max(16, _bytes.Length)];
            for (var i = 0; i < Count; i++)
            {
                _shorts[i] = _bytes[i];
            }

            _bytes = null;
        }

        if (_shorts is not null && stored > ushort.MaxValue)
        {
            _ints = new int[Math.Max(16, _shorts.Length)];
            for (var i = 0; i < Count; i++)
            {
                _ints[i] = _shorts[i];
            }

            _shorts = null;
        }

        if (_bytes is not null)
        {
            Append(ref _bytes, (byte)stored);
        }
        else if (_shorts is not null)
        {
            Append(ref _shorts, (ushort)stored);
        }
        else
        {
            Append(ref _ints!, stored);
        }
    }

    public void TrimExcess()
    {
        if (_bytes is not null)
        {
            System.Array.Resize(ref _bytes, Math.Max(1, Count));
        }
        else if (_shorts is not null)
        {
            System.Array.Resize(ref _shorts, Math.Max(1, Count));
        }
        else if (_ints is not null)
        {
            System.Array.Resize(ref _ints, Math.Max(1, Count));
        }
    }

    /// <summary>Leaves the identity form: codes 0..Count-1 written out in the width they need.</summary>
    private void Materialise()
    {
        _identity = false;
        var capacity = Math.Max(16, Count + 1);
        if (Count + 1 <= byte.MaxValue)
        {
            _bytes = new byte[capacity];
            for (var i = 0; i < Count; i++)
            {
                _bytes[i] = (byte)(i + 1);
            }
        }
        else if (Count + 1 <= ushort.MaxValue)
        {
            _shorts = new ushort[capacity];
            for (var i = 0; i < Count; i++)
            {
                _shorts[i] = (ushort)(i + 1);
            }
        }
        else
        {
            _ints = new int[capacity];
            for (var i = 0; i < Count; i++)
            {
                _ints[i] = i + 1;
            }
        }
    }

    private void Append<T>(ref T[] items, T item)
    {
        if (Count == items.Length)
        {
            System.Array.Resize(ref items, Growth.Next(items.Length));
        }

        items[Count++] = item;
    }
}

/// <summary>A list of unmanaged values in one array that doubles when full, read without bounds beyond the array's.</summary>
internal sealed class GrowableList<T>
    where T : unmanaged
{
    private T[] _items = new T[16];

    public GrowableList()
    {
    }

    /// <summary>A list of <paramref name="count"/> copies of <paramref name="fill"/>.</summary>
    public GrowableList(int count, T fill)
    {
        _items = new T[Math.Max(16, count)];
        _items.AsSpan(0, count).Fill(fill);
        Count = count;
    }

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
            System.Array.Resize(ref _items, Growth.Next(_items.Length));
        }

        _items[Count++] = item;
    }

    public void TrimExcess() => System.Array.Resize(ref _items, Math.Max(1, Count));
}

/// <summary>
/// How the growing arrays grow: doubling while small, then by a quarter, so a table of millions trimmed after loading
/// does not double (and copy into twice its size) when the incremental linker appends its first record.
/// </summary>
internal static class Growth
{
    public static int Next(int length) => (int)Math.Min(Array.MaxLength, Math.Max(16, length < 1 << 20 ? length * 2L : length + (length / 4L)));
}
