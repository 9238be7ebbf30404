using System.Diagnostics;
using Zhiwang.Linkage.Clustering;
using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Scoring;
using Zhiwang.Linkage.Settings;
using Zhiwang.Linkage.Training;

namespace Zhiwang.Linkage;

/// <summary>The scored candidate pairs kept as edges (probability at or above the settings' floor) and how many were compared.</summary>
public sealed record Prediction(IReadOnlyList<ScoredPair> Pairs, long CandidatePairs)
{
    /// <summary>Pairs not compared because their block was above the blocking size cap (and no other rule yielded them).</summary>
    public long SkippedPairs { get; init; }

    /// <summary>Blocks above the size cap, over all rules.</summary>
    public int SkippedBlocks { get; init; }
}

/// <summary>A whole batch run: the model, the kept pairs, the clusters and how long it took.</summary>
public sealed record LinkageResult(LinkageModel Model, Prediction Prediction, Clusters Clusters, TimeSpan Elapsed);

/// <summary>
/// The linkage engine's entry points: <see cref="Train"/> a model, <see cref="Predict"/> (score the candidate pairs),
/// <see cref="Explain"/> a pair, <see cref="Cluster"/> the links; <see cref="Run"/> does all four.
/// For one record at a time against linked records, see <see cref="IncrementalLinker"/>.
/// </summary>
public static class Linker
{
    /// <summary>Estimates u from random pairs, m by EM over the candidate pairs, and the prior (docs/LINKAGE.md).</summary>
    public static LinkageModel Train(LinkageSettings settings, RecordTable records, LinkageOptions? options = null) =>
        Trainer.Train(settings, records, options ?? new LinkageOptions());

    /// <summary>Scores every candidate pair once (the union over the blocking rules) and keeps those above the edge floor.</summary>
    public static Prediction Predict(LinkageModel model, RecordTable records, LinkageOptions? options = null)
    {
        options ??= new LinkageOptions();
        var scorer = new PairScorer(model, records);
        var prepared = scorer.Prepared;
        var floor = MatchWeights.FromProbability(Math.Max(model.Settings.EdgeFloorProbability, 1e-300));
        var (skippedBlocks, skippedPairs) = prepared.SkipOversizedBlocks(options);
        var buffers = new List<EdgeBuffer>();
        var lockObject = new object();
        long candidates = 0;
        var scratch = new PairScratch();
        var rules = model.Settings.BlockingRules.Count;
        for (var r = 0; r < rules; r++)
        {
            options.Progress?.Report(new LinkageProgress($"scoring: rule {r + 1}/{rules} ({model.Settings.BlockingRules[r]})", r, rules));
            candidates += prepared.ForEachPair(
                r,
                onlyNew: true,
                options,
                () => new EdgeBuffer(),
                (left, right, _, local) =>
                {
                    var weight = scorer.MatchWeight(left, right);
                    if (weight >= floor)
                    {
                        local.Add(new ScoredPair(left, right, weight));
                    }
                },
                local =>
                {
                    lock (lockObject)
                    {
                        buffers.Add(local);
                    }
                },
                scratch);
        }

        // One exactly sized array, filled chunk by chunk: at city scale a doubling list per thread and a doubling
        // list of all were several times the edges themselves at the peak.
        var kept = new ScoredPair[buffers.Sum(b => (long)b.Count)];
        var filled = 0;
        foreach (var buffer in buffers)
        {
            filled = buffer.MoveTo(kept, filled);
        }

        buffers.Clear();

        // Threads finish in any order: sorted, the same input gives the same output.
        Array.Sort(kept, static (a, b) => a.Left != b.Left ? a.Left.CompareTo(b.Left) : a.Right.CompareTo(b.Right));
        options.Progress?.Report(new LinkageProgress("scoring: done", rules, rules));
        return new Prediction(kept, candidates) { SkippedBlocks = skippedBlocks, SkippedPairs = skippedPairs };
    }

    /// <summary>Edges one worker kept, in fixed-size chunks (no doubling, no copy until the final array).</summary>
    private sealed class EdgeBuffer
    {
        private const int ChunkSize = 1 << 14;
        private readonly List<ScoredPair[]> _chunks = [];
        private int _fill = ChunkSize;

        public long Count => _chunks.Count == 0 ? 0 : ((long)(_chunks.Count - 1) * ChunkSize) + _fill;

        public void Add(ScoredPair pair)
        {
            if (_fill == ChunkSize)
            {
                _chunks.Add(new ScoredPair[ChunkSize]);
                _fill = 0;
            }

            _chunks[^1][_fill++] = pair;
        }

        /// <summary>Copies the edges into <paramref name="target"/> from <paramref name="start"/>, letting each chunk go; returns the next free index.</summary>
        public int MoveTo(ScoredPair[] target, int start)
        {
            for (var c = 0; c < _chunks.Count; c++)
            {
                var length = c == _chunks.Count - 1 ? _fill : ChunkSize;
                _chunks[c].AsSpan(0, length).CopyTo(target.AsSpan(start));
                start += length;
                _chunks[c] = [];
            }

            _chunks.Clear();
            return start;
        }
    }

    public static PairExplanation Explain(LinkageModel model, RecordTable records, int left, int right) =>
        new PairScorer(model, records).Explain(left, right);

    /// <summary>Clusters the pairs at or above the threshold: the caller's, else the settings', else probability 0.5.</summary>
    public static Clusters Cluster(LinkageModel model, RecordTable records, IReadOnlyList<ScoredPair> pairs, double? thresholdMatchWeight = null, LinkageOptions? options = null)
    {
        options?.Progress?.Report(new LinkageProgress("clustering", 0, 1));
        var idColumn = records.ColumnIndex(model.Settings.UniqueIdColumn);
        var clustering = model.Settings.Clustering;
        var representative = Clusterer.Cluster(
            records.Count,
            pairs,
            thresholdMatchWeight ?? model.ThresholdMatchWeight,
            clustering.MinLinkShare,
            clustering.OneRecordPerSource ? records.SourceCode : null);
        options?.Progress?.Report(new LinkageProgress("clustering", 1, 1));
        return new Clusters(representative, r => records.Value(r, idColumn) ?? "");
    }

    /// <summary>Train, predict and cluster in one go.</summary>
    public static LinkageResult Run(LinkageSettings settings, RecordTable records, LinkageOptions? options = null, double? thresholdMatchWeight = null)
    {
        var stopwatch = Stopwatch.StartNew();
        var model = Train(settings, records, options);
        var prediction = Predict(model, records, options);
        var clusters = Cluster(model, records, prediction.Pairs, thresholdMatchWeight, options);
        return new LinkageResult(model, prediction, clusters, stopwatch.Elapsed);
    }
}
