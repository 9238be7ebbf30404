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
    private readonly ValuePool[] _pools;
    private readonly GrowableList<int>[] _keys;
    private readonly StringBuilder _builder = new();
    private List<List<int>>[]? _index;

    public BlockingKeys(IReadOnlyList<BlockingRule> rules, RecordTable table)
    {
        Rules = rules;
        _table = table;
        _columns = rules.Select(r => r.Columns.Select(c => table.ColumnIndex(c.Column)).ToArray()).ToArray();
        _pools = rules.Select(_ => new ValuePool()).ToArray();
        _keys = rules.Select(_ => new GrowableList<int>()).ToArray();
    }

    public IReadOnlyList<BlockingRule> Rules { get; }

    public int Key(int rule, int record) => _keys[rule][record];

    /// <summary>Keys the records added since the last call (and indexes them when the index is built).</summary>
    public void Refresh()
    {
        for (var r = 0; r < Rules.Count; r++)
        {
            for (var record = _keys[r].Count; record < _table.Count; record++)
            {
                var key = KeyText(r, record);
                var code = key is null ? -1 : _pools[r].Intern(key);
                _keys[r].Add(code);
                if (_index is not null && code >= 0)
                {
                    Members(r, code).Add(record);
                }
            }
        }
    }

    /// <summary>Builds the per-rule hash index used by incremental linking.</summary>
    public void BuildIndex()
    {
        _index = Rules.Select(_ => new List<List<int>>()).ToArray();
        for (var r = 0; r < Rules.Count; r++)
        {
            for (var record = 0; record < _keys[r].Count; record++)
            {
                if (_keys[r][record] >= 0)
                {
                    Members(r, _keys[r][record]).Add(record);
                }
            }
        }
    }

    /// <summary>The records sharing a key (incremental linking; after <see cref="BuildIndex"/>).</summary>
    public List<int> Members(int rule, int key)
    {
        var lists = _index![rule];
        while (lists.Count <= key)
        {
            lists.Add([]);
        }

        return lists[key];
    }

    /// <summary>True when an earlier rule than <paramref name="rule"/> already makes the pair a candidate: each pair is compared once.</summary>
    public bool CoveredBefore(int rule, int left, int right)
    {
        for (var r = 0; r < rule; r++)
        {
            var key = _keys[r][left];
            if (key >= 0 && key == _keys[r][right])
            {
                return true;
            }
        }

        return false;
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
