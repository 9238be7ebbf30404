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
        table.TrimExcess();
        Refresh();
        foreach (var comparison in Comparisons)
        {
            comparison.TrimExcess();
        }

        Keys.TrimExcess();
    }

    /// <summary>
    /// The table's prepared form for these settings, made once and kept on the table: train, predict, explain and
    /// the incremental linker share it (preparing a city's table costs about as much as scoring it). Settings that
    /// are the same object, or equal JSON (a model read back from storage), reuse it, caught up with records added since. Not thread-safe against
    /// a writer appending to the table, like the table itself.
    /// </summary>
    public static PreparedTable For(LinkageSettings settings, RecordTable table)
    {
        lock (table.PreparedLock)
        {
            if (table.Prepared is { } prepared && Same(prepared.Settings, settings))
            {
                prepared.Refresh();
                return prepared;
            }

            // Dropped before the new one is built, so two preparations never stand side by side.
            table.Prepared = null;
            var created = new PreparedTable(settings, table);
            table.Prepared = created;
            return created;
        }
    }

    private static bool Same(LinkageSettings a, LinkageSettings b) =>
        ReferenceEquals(a, b) || System.Text.Json.JsonElement.DeepEquals(a.Json, b.Json);

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
    /// Marks each rule's blocks above the settings' <see cref="LinkageSettings.MaxBlockSize"/> so that the pair
    /// stream skips them, with one warning per rule that has any. Returns the blocks and pairs skipped over all rules.
    /// </summary>
    public (int Blocks, long Pairs) SkipOversizedBlocks(LinkageOptions options)
    {
        var skipped = Keys.MarkOversized(Settings.MaxBlockSize);
        var (blocks, pairs) = (0, 0L);
        for (var r = 0; r < skipped.Length; r++)
        {
            if (skipped[r].Blocks > 0)
            {
                options.Warnings?.Report(
                    $"blocking rule {r + 1} ({Settings.BlockingRules[r]}): {skipped[r].Blocks} block(s) above {Settings.MaxBlockSize} records skipped, " +
                    $"{skipped[r].Pairs} pairs not compared under this rule");
                blocks += skipped[r].Blocks;
                pairs += skipped[r].Pairs;
            }
        }

        return (blocks, pairs);
    }

    /// <summary>
    /// Calls <paramref name="body"/> for the candidate pairs of one blocking rule (left &lt; right), on several threads
    /// with a state per worker. With <paramref name="onlyNew"/> a pair an earlier rule already produced is skipped, so
    /// over all rules each candidate is seen once. Blocks are found by sorting the keys: no pair set is ever held.
    /// </summary>
    public long ForEachPair<TLocal>(int rule, bool onlyNew, LinkageOptions options, Func<TLocal> init, Action<int, int, bool, TLocal> body, Action<TLocal> final, PairScratch? scratch = null) =>
        ForEachPair(rule, onlyNew, maxSampled: 0, seed: 0, options, init, body, final, scratch).Pairs;

    /// <summary>
    /// As the other overload, but when the rule has more than <paramref name="maxSampled"/> pairs (0: no cap) the body
    /// sees only a share of them, each pair kept or not by a hash of (<paramref name="seed"/>, rule, left, right):
    /// the same sample whatever the thread count. The counts cover every pair; <see cref="PairCounts.SampleRate"/> says
    /// which share the body saw.
    /// </summary>
    public PairCounts ForEachPair<TLocal>(int rule, bool onlyNew, long maxSampled, int seed, LinkageOptions options, Func<TLocal> init, Action<int, int, bool, TLocal> body, Action<TLocal> final, PairScratch? scratch = null)
    {
        var count = Table.Count;
        var keyed = 0;
        for (var i = 0; i < count; i++)
        {
            var key = Keys.Key(rule, i);
            keyed += key >= 0 && !Keys.IsOversized(rule, key) ? 1 : 0;
        }

        if (keyed == 0)
        {
            // No record has every column of this rule: no pairs (and a partitioner over an empty range would throw).
            return new PairCounts(0, 0, 1.0);
        }

        // At city scale these three arrays are the pair stream's whole memory: reused over the rules (a caller's
        // scratch), not left as large-object garbage per rule.
        scratch ??= new PairScratch();
        var (keyArray, orderArray, blockEnd) = scratch.Take(keyed);
        for (int i = 0, k = 0; i < count; i++)
        {
            var key = Keys.Key(rule, i);
            if (key >= 0 && !Keys.IsOversized(rule, key))
            {
                keyArray[k] = key;
                orderArray[k++] = i;
            }
        }

        keyArray.AsSpan(0, keyed).Sort(orderArray.AsSpan(0, keyed));
        long rulePairs = 0;
        for (var end = keyed - 1; end >= 0; end--)
        {
            blockEnd[end] = end + 1 < keyed && keyArray[end + 1] == keyArray[end] ? blockEnd[end + 1] : end + 1;
            rulePairs += blockEnd[end] - end - 1;
        }

        var rate = maxSampled <= 0 || rulePairs <= maxSampled ? 1.0 : (double)maxSampled / rulePairs;
        var cut = rate >= 1 ? ulong.MaxValue : (ulong)(rate * ulong.MaxValue);
        var salt = (ulong)(uint)seed << 32 | (uint)rule;
        long pairs = 0;
        long newPairs = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = options.CancellationToken };
        Parallel.ForEach(
            Partitioner.Create(0, keyed, Math.Max(64, keyed / 256)),
            parallel,
            init,
            (range, _, local) =>
            {
                long seen = 0;
                long seenNew = 0;
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

                        seen++;
                        seenNew += isNew ? 1 : 0;
                        if (cut == ulong.MaxValue || Mix(salt, left, right) < cut)
                        {
                            body(left, right, isNew, local);
                        }
                    }
                }

                Interlocked.Add(ref pairs, seen);
                Interlocked.Add(ref newPairs, seenNew);
                return local;
            },
            final);
        return new PairCounts(pairs, newPairs, rate);
    }

    /// <summary>SplitMix64's finaliser over the pair offset by the salt: a uniform 64-bit number per pair.</summary>
    private static ulong Mix(ulong salt, int left, int right)
    {
        var z = (((ulong)(uint)left << 32) | (uint)right) + (salt * 0xD1B54A32D192ED03UL);
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>The pair stream's three arrays (keys, records in key order, block ends), kept over the rules of one pass.</summary>
internal sealed class PairScratch
{
    private int[] _keys = [];
    private int[] _order = [];
    private int[] _blockEnd = [];

    /// <summary>Arrays of at least <paramref name="length"/> items (longer ones are reused as they are).</summary>
    public (int[] Keys, int[] Order, int[] BlockEnd) Take(int length)
    {
        if (_keys.Length < length)
        {
            // The old ones go first, so old and new never stand side by side.
            (_keys, _order, _blockEnd) = ([], [], []);
            (_keys, _order, _blockEnd) = (new int[length], new int[length], new int[length]);
        }

        return (_keys, _order, _blockEnd);
    }
}

/// <summary>A rule's pairs visited, those no earlier rule yielded, and the share of them the body saw (1: all).</summary>
internal readonly record struct PairCounts(long Pairs, long NewPairs, double SampleRate);

/// <summary>Records or settings the engine cannot link, with the reason.</summary>
public sealed class LinkageException(string message) : Exception(message);
