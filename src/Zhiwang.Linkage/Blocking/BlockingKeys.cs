using System.Text;
using Zhiwang.Linkage.Comparisons;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;
using Zhiwang.Linkage.Text;

namespace Zhiwang.Linkage.Blocking;

/// <summary>
/// Each record's key under each blocking rule, as an int code (-1 when a column is missing), and for incremental
/// linking the records holding each key: a hash index per rule.
/// </summary>
internal sealed class BlockingKeys
{
    private readonly RecordTable _table;
    private readonly int[][] _columns;
    private const int NotYet = -2;
    private readonly ValuePool[][] _transformed;
    private readonly GrowableList<int>[][] _transformOfRaw;
    private readonly PairCodes[][] _combined;
    private readonly GrowableList<int>[] _keys;
    private readonly StringBuilder _builder = new();
    private BlockIndex[]? _index;
    private readonly bool[][] _oversized;

    public BlockingKeys(IReadOnlyList<BlockingRule> rules, RecordTable table)
    {
        Rules = rules;
        _table = table;
        _columns = rules.Select(r => r.Columns.Select(c => table.ColumnIndex(c.Column)).ToArray()).ToArray();
        _transformed = rules.Select(r => r.Columns.Select(_ => new ValuePool()).ToArray()).ToArray();
        _transformOfRaw = rules.Select(r => r.Columns.Select(_ => new GrowableList<int>()).ToArray()).ToArray();
        _combined = rules.Select(r => r.Columns.Select(_ => new PairCodes()).ToArray()).ToArray();
        _keys = rules.Select(_ => new GrowableList<int>()).ToArray();
        _oversized = rules.Select(_ => System.Array.Empty<bool>()).ToArray();
    }

    public IReadOnlyList<BlockingRule> Rules { get; }

    public int Key(int rule, int record) => _keys[rule][record];

    /// <summary>Gives back the growing arrays' slack once the table is loaded.</summary>
    public void TrimExcess()
    {
        foreach (var keys in _keys)
        {
            keys.TrimExcess();
        }

        foreach (var pools in _transformed)
        {
            foreach (var pool in pools)
            {
                pool.TrimExcess();
            }
        }

        foreach (var caches in _transformOfRaw)
        {
            foreach (var cache in caches)
            {
                cache.TrimExcess();
            }
        }
    }

    /// <summary>Keys the records added since the last call (and indexes them when the index is built).</summary>
    public void Refresh()
    {
        for (var r = 0; r < Rules.Count; r++)
        {
            for (var record = _keys[r].Count; record < _table.Count; record++)
            {
                var code = KeyCode(r, record);
                _keys[r].Add(code);
                if (_index is not null && code >= 0)
                {
                    ref var added = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_index[r].Added, code, out _);
                    (added ??= []).Add(record);
                }
            }
        }
    }

    /// <summary>
    /// Builds the per-rule index used by incremental linking: the records keyed so far as one sorted array per rule
    /// (offsets by key code, 8 bytes a record, no object per block), records added later in a small map beside it.
    /// </summary>
    public void BuildIndex()
    {
        _index = new BlockIndex[Rules.Count];
        for (var r = 0; r < Rules.Count; r++)
        {
            var offsets = new int[KeyCount(r) + 1];
            var keys = _keys[r];
            for (var record = 0; record < keys.Count; record++)
            {
                if (keys[record] >= 0)
                {
                    offsets[keys[record] + 1]++;
                }
            }

            for (var k = 1; k < offsets.Length; k++)
            {
                offsets[k] += offsets[k - 1];
            }

            var members = new int[offsets[^1]];
            var next = offsets[..^1];
            for (var record = 0; record < keys.Count; record++)
            {
                if (keys[record] >= 0)
                {
                    members[next[keys[record]]++] = record;
                }
            }

            _index[r] = new BlockIndex(offsets, members, []);
        }
    }

    /// <summary>How many records share a key (after <see cref="BuildIndex"/>).</summary>
    public int MemberCount(int rule, int key) => IndexedMembers(rule, key).Length + (AddedMembers(rule, key)?.Count ?? 0);

    /// <summary>The records sharing a key that were there when the index was built.</summary>
    public ReadOnlySpan<int> IndexedMembers(int rule, int key)
    {
        var index = _index![rule];
        return key + 1 < index.Offsets.Length ? index.Members.AsSpan(index.Offsets[key], index.Offsets[key + 1] - index.Offsets[key]) : [];
    }

    /// <summary>The records sharing a key that were added after the index was built, or null.</summary>
    public List<int>? AddedMembers(int rule, int key) => _index![rule].Added.GetValueOrDefault(key);

    /// <summary>
    /// True when an earlier rule than <paramref name="rule"/> already makes the pair a candidate: each pair is compared
    /// once. A block skipped for its size yields nothing, so a later rule still compares its pairs.
    /// </summary>
    public bool CoveredBefore(int rule, int left, int right)
    {
        for (var r = 0; r < rule; r++)
        {
            var key = _keys[r][left];
            if (key >= 0 && key == _keys[r][right] && !IsOversized(r, key))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the block of <paramref name="key"/> was above the cap at the last <see cref="MarkOversized"/>.</summary>
    public bool IsOversized(int rule, int key) => key < _oversized[rule].Length && _oversized[rule][key];

    /// <summary>
    /// Counts each rule's block sizes and marks the blocks above <paramref name="maxBlockSize"/> records, which are
    /// then neither compared nor counted as covering a pair. Returns the blocks marked and their pairs, per rule.
    /// </summary>
    public (int Blocks, long Pairs)[] MarkOversized(int maxBlockSize)
    {
        var result = new (int Blocks, long Pairs)[Rules.Count];
        for (var r = 0; r < Rules.Count; r++)
        {
            var sizes = new int[KeyCount(r)];
            for (var record = 0; record < _keys[r].Count; record++)
            {
                var key = _keys[r][record];
                if (key >= 0)
                {
                    sizes[key]++;
                }
            }

            var oversized = new bool[sizes.Length];
            for (var key = 0; key < sizes.Length; key++)
            {
                if (sizes[key] > maxBlockSize)
                {
                    oversized[key] = true;
                    result[r].Blocks++;
                    result[r].Pairs += (long)sizes[key] * (sizes[key] - 1) / 2;
                }
            }

            _oversized[r] = oversized;
        }

        return result;
    }

    /// <summary>The text of a rule's key code, for warnings.</summary>
    public string BlockLabel(int rule, int key)
    {
        for (var record = 0; record < _keys[rule].Count; record++)
        {
            if (_keys[rule][record] == key)
            {
                return KeyText(rule, record)?.Replace('\u001f', '&') ?? "";
            }
        }

        return "";
    }

    /// <summary>The number of distinct keys of a rule so far: codes are below it.</summary>
    private int KeyCount(int rule)
    {
        var last = Rules[rule].Columns.Count - 1;
        if (last > 0)
        {
            return _combined[rule][last].Count;
        }

        return Rules[rule].Columns[0].Transform == ColumnTransform.None ? _table.Pool(_columns[rule][0]).Count : _transformed[rule][0].Count;
    }

    /// <summary>
    /// A record's key code under a rule: each column's value transformed once per distinct value (a pinyin or a
    /// year costs one call per name or date, not per record), the parts combined pairwise into dense codes.
    /// Equal codes are equal key texts (the parts joined).
    /// </summary>
    private int KeyCode(int rule, int record)
    {
        var columns = Rules[rule].Columns;
        var code = -1;
        for (var i = 0; i < columns.Count; i++)
        {
            var column = _columns[rule][i];
            var raw = _table.Code(record, column);
            if (raw < 0)
            {
                return -1;
            }

            int part;
            if (columns[i].Transform == ColumnTransform.None)
            {
                // The column's pool code is already a dense code of the value: no second pool of the same values.
                part = raw;
            }
            else
            {
                var cache = _transformOfRaw[rule][i];
                while (cache.Count <= raw)
                {
                    cache.Add(NotYet);
                }

                part = cache[raw];
                if (part == NotYet)
                {
                    var value = Transform(_table.Pool(column)[raw], columns[i]);
                    part = cache[raw] = string.IsNullOrEmpty(value) ? -1 : _transformed[rule][i].Intern(value);
                }
            }

            if (part < 0)
            {
                return -1;
            }

            if (i == 0)
            {
                code = part;
                continue;
            }

            code = _combined[rule][i].GetOrAdd(((long)code << 32) | (uint)part);
        }

        return code;
    }

    private string? KeyText(int rule, int record)
    {
        _builder.Clear();
        var columns = Rules[rule].Columns;
        for (var i = 0; i < columns.Count; i++)
        {
            var raw = _table.Value(record, _columns[rule][i]);
            var value = raw is null ? null : Transform(raw, columns[i]);
            if (string.IsNullOrEmpty(value))
            {
                return null;
            }

            if (i > 0)
            {
                _builder.Append('\u001f');
            }

            _builder.Append(value);
        }

        return _builder.ToString();
    }

    internal static string? Transform(string value, BlockingColumn column) => column.Transform switch
    {
        ColumnTransform.None => value,
        ColumnTransform.First => value.Length <= column.Length ? value : value[..column.Length],
        ColumnTransform.Last => value.Length <= column.Length ? value : value[^column.Length..],
        ColumnTransform.Pinyin => ChineseText.ToPinyin(value),
        ColumnTransform.Fold => ChineseText.Fold(value),
        ColumnTransform.Lower => value.ToLowerInvariant(),
        ColumnTransform.Year => PreparedComparison.ParseDate(value).Ymd is var ymd and > 0 ? (ymd / 10000).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
        ColumnTransform.Digits => new string(value.Where(char.IsAsciiDigit).ToArray()),
        _ => value,
    };
}

/// <summary>One rule's index: members grouped by key code (CSR) plus the records added since.</summary>
internal sealed record BlockIndex(int[] Offsets, int[] Members, Dictionary<int, List<int>> Added);

/// <summary>
/// Dense codes for pairs of codes packed in a long (a multi-column key's parts), in the order first seen: open
/// addressing over two parallel arrays, 12 bytes a slot at most three quarters full, against a dictionary's 28 bytes
/// an entry and the garbage of its resizes. Keys are compared whole, so equal codes are equal key texts.
/// </summary>
internal sealed class PairCodes
{
    private long[] _keys = new long[16];
    private int[] _codes = new int[16];

    public int Count { get; private set; }

    public int GetOrAdd(long key)
    {
        var mask = _keys.Length - 1;
        var slot = Slot(key, mask);
        while (_codes[slot] != 0)
        {
            if (_keys[slot] == key)
            {
                return _codes[slot] - 1;
            }

            slot = (slot + 1) & mask;
        }

        _keys[slot] = key;
        _codes[slot] = ++Count;
        if (Count * 4 > _keys.Length * 3)
        {
            Grow();
        }

        return Count - 1;
    }

    private static int Slot(long key, int mask) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 33) & mask;

    private void Grow()
    {
        var (keys, codes) = (_keys, _codes);
        (_keys, _codes) = (new long[keys.Length * 2], new int[codes.Length * 2]);
        var mask = _keys.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (codes[i] == 0)
            {
                continue;
            }

            var slot = Slot(keys[i], mask);
            while (_codes[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            _keys[slot] = keys[i];
            _codes[slot] = codes[i];
        }
    }
}
