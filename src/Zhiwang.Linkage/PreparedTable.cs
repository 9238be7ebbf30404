using System.Collections.Concurrent;
using Zhiwang.Linkage.Blocking;
using Zhiwang.Linkage.Comparisons;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Linkage;

/// <summary>Settings compiled against a record table: prepared comparisons and blocking keys, and the candidate-pair stream.</summary>
internal sealed class PreparedTable
{
    private readonly int _idColumn;

    public PreparedTable(LinkageSettings settings, RecordTable table)
    {
        foreach (var column in settings.Columns)
        {
            if (table.ColumnIndex(column) < 0)
            {
                throw new LinkageException($"column '{column}' named in the settings is not among the record columns ({string.Join(", ", table.Columns)})");
            }
        }

        Settings = settings;
        Table = table;
        _idColumn = table.ColumnIndex(settings.UniqueIdColumn);
        Comparisons = settings.Comparisons.Select(c => new PreparedComparison(c, table)).ToArray();
        Keys = new BlockingKeys(settings.BlockingRules, table);
        Refresh();
    }

    public LinkageSettings Settings { get; }

    public RecordTable Table { get; }

    public PreparedComparison[] Comparisons { get; }

    public BlockingKeys Keys { get; }

    public string Id(int record) => Table.Value(record, _idColumn) ?? "";

    public void Refresh()
    {
        foreach (var comparison in Comparisons)
        {
            comparison.Refresh();
        }

        Keys.Refresh();
    }

    /// <summary>Whether the link type lets the two records be a pair at all.</summary>
    public bool Allowed(int left, int right) =>
        Settings.LinkType != LinkType.LinkOnly || Table.SourceCode(left) != Table.SourceCode(right);

    /// <summary>Every pair the link type allows, counted without enumerating: the denominator of the prior.</summary>
    public double AllowedPairCount()
    {
        double n = Table.Count;
        if (Settings.LinkType != LinkType.LinkOnly)
        {
            return n * (n - 1) / 2;
        }

        var perSource = new double[Table.Sources.Count];
        for (var i = 0; i < Table.Count; i++)
        {
            perSource[Table.SourceCode(i)]++;
        }

        return ((n * n) - perSource.Sum(s => s * s)) / 2;
    }

    /// <summary>
    /// Calls <paramref name="body"/> for the candidate pairs of one blocking rule (left &lt; right), on several threads
    /// with a state per worker. With <paramref name="onlyNew"/> a pair an earlier rule already produced is skipped, so
    /// over all rules each candidate is seen once. Blocks are found by sorting the keys: no pair set is ever held.
    /// </summary>
    public long ForEachPair<TLocal>(int rule, bool onlyNew, LinkageOptions options, Func<TLocal> init, Action<int, int, bool, TLocal> body, Action<TLocal> final)
    {
        var count = Table.Count;
        var keys = new List<int>(count);
        var order = new List<int>(count);
        for (var i = 0; i < count; i++)
        {
            var key = Keys.Key(rule, i);
            if (key >= 0)
            {
                keys.Add(key);
                order.Add(i);
            }
        }

        var keyArray = keys.ToArray();
        var orderArray = order.ToArray();
        Array.Sort(keyArray, orderArray);
        var blockEnd = new int[orderArray.Length];
        for (var end = orderArray.Length - 1; end >= 0; end--)
        {
            blockEnd[end] = end + 1 < orderArray.Length && keyArray[end + 1] == keyArray[end] ? blockEnd[end + 1] : end + 1;
        }

        long pairs = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = options.CancellationToken };
        Parallel.ForEach(
            Partitioner.Create(0, orderArray.Length, Math.Max(64, orderArray.Length / 256)),
            parallel,
            init,
            (range, _, local) =>
            {
                long seen = 0;
                for (var p = range.Item1; p < range.Item2; p++)
                {
                    var a = orderArray[p];
                    for (var q = p + 1; q < blockEnd[p]; q++)
                    {
                        var b = orderArray[q];
                        var (left, right) = a < b ? (a, b) : (b, a);
                        if (!Allowed(left, right))
                        {
                            continue;
                        }

                        var isNew = !Keys.CoveredBefore(rule, left, right);
                        if (onlyNew && !isNew)
                        {
                            continue;
                        }

                        body(left, right, isNew, local);
                        seen++;
                    }
                }

                Interlocked.Add(ref pairs, seen);
                return local;
            },
            final);
        return pairs;
    }
}

/// <summary>Records or settings the engine cannot link, with the reason.</summary>
public sealed class LinkageException(string message) : Exception(message);
