using Zhiwang.Linkage.Clustering;
using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Scoring;

namespace Zhiwang.Linkage;

/// <summary>A record the new one was compared with, the cluster it is in, and why it scored what it did.</summary>
public sealed record LinkedCandidate(string RecordId, string ClusterId, double MatchWeight, double MatchProbability, PairExplanation Explanation);

/// <summary>Where a new record went: the cluster it joined (or its own new one) and its scored candidates, strongest first.</summary>
public sealed record IncrementalLinkResult(string RecordId, string ClusterId, bool NewCluster, IReadOnlyList<LinkedCandidate> Candidates);

/// <summary>
/// Links one record at a time against records already linked, without re-running the batch: candidates come from the
/// blocking rules' hash indexes, are scored with the trained model, and the record joins the cluster of its strongest
/// link the clustering rules allow (as the batch's agglomeration would for a record on its own), else a new cluster.
/// A new record joins at most one cluster; merging existing clusters is left to the next batch run.
/// Not thread-safe: one writer at a time.
/// </summary>
public sealed class IncrementalLinker
{
    private readonly PairScorer _scorer;
    private readonly RecordTable _records;
    private readonly int _idColumn;
    private readonly List<string?> _clusterOf = [];
    private readonly Dictionary<string, List<int>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _recordIndex = new(StringComparer.Ordinal);

    /// <summary>Starts from <paramref name="records"/> (which the linker then owns and appends to) and their clusters.</summary>
    public IncrementalLinker(LinkageModel model, RecordTable records, Clusters clusters)
        : this(model, records, Enumerable.Range(0, records.Count).Select(clusters.ClusterId).ToArray())
    {
    }

    /// <summary>Starts from records and the cluster id of each, in table order (e.g. as stored by a host).</summary>
    public IncrementalLinker(LinkageModel model, RecordTable records, IReadOnlyList<string> clusterIds)
    {
        if (clusterIds.Count != records.Count)
        {
            throw new ArgumentException($"expected {records.Count} cluster ids, one per record, got {clusterIds.Count}", nameof(clusterIds));
        }

        _records = records;
        _scorer = new PairScorer(model, records);
        _scorer.Prepared.Keys.BuildIndex();
        _idColumn = records.ColumnIndex(model.Settings.UniqueIdColumn);
        for (var i = 0; i < records.Count; i++)
        {
            Track(i, clusterIds[i]);
        }
    }

    public LinkageModel Model => _scorer.Model;

    /// <summary>Records currently linked (added minus removed).</summary>
    public int Count => _recordIndex.Count;

    public string? ClusterOf(string recordId) => _recordIndex.TryGetValue(recordId, out var i) ? _clusterOf[i] : null;

    /// <summary>Adds a record (values in the table's column order) and links it.</summary>
    public IncrementalLinkResult Link(string source, IReadOnlyList<string?> values)
    {
        var index = _records.Add(source, values);
        var id = _records.Value(index, _idColumn) ?? throw new LinkageException($"the record has no value in its unique id column '{Model.Settings.UniqueIdColumn}'");
        if (_recordIndex.ContainsKey(id))
        {
            // The table keeps the row, but it is never linked or found.
            _clusterOf.Add(null);
            throw new LinkageException($"record '{id}' is already linked; remove it first");
        }

        _scorer.Refresh();
        var prepared = _scorer.Prepared;
        var seen = new HashSet<int>();
        var candidates = new List<(int Record, double Weight)>();
        for (var r = 0; r < prepared.Keys.Rules.Count; r++)
        {
            var key = prepared.Keys.Key(r, index);
            if (key < 0)
            {
                continue;
            }

            if (prepared.Keys.MemberCount(r, key) > Model.Settings.MaxBlockSize)
            {
                // As in the batch: a block this large is no evidence, and scoring it all would cost milliseconds.
                continue;
            }

            foreach (var other in prepared.Keys.IndexedMembers(r, key))
            {
                Consider(other);
            }

            foreach (var other in prepared.Keys.AddedMembers(r, key) ?? [])
            {
                Consider(other);
            }
        }

        void Consider(int other)
        {
            if (other != index && _clusterOf[other] is not null && seen.Add(other) && prepared.Allowed(other, index))
            {
                candidates.Add((other, _scorer.MatchWeight(other, index)));
            }
        }

        candidates.Sort((a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.Record.CompareTo(b.Record));
        string? joined = null;
        var threshold = Model.ThresholdMatchWeight;
        var sourceCode = _records.SourceCode(index);
        foreach (var (other, weight) in candidates)
        {
            if (weight < threshold)
            {
                break;
            }

            var cluster = _clusterOf[other]!;
            if (Model.Settings.Clustering.OneRecordPerSource && _members[cluster].Any(m => _records.SourceCode(m) == sourceCode))
            {
                continue;
            }

            joined = cluster;
            break;
        }

        var floor = MatchWeights.FromProbability(Math.Max(Model.Settings.EdgeFloorProbability, 1e-300));
        var scored = candidates.Where(c => c.Weight >= floor)
            .Select(c => new LinkedCandidate(Id(c.Record), _clusterOf[c.Record]!, c.Weight, MatchWeights.ToProbability(c.Weight), _scorer.Explain(c.Record, index)))
            .ToArray();
        Track(index, joined ?? id);
        return new IncrementalLinkResult(id, joined ?? id, joined is null, scored);
    }

    /// <summary>Removes a record from its cluster and from candidate search; false when it is not linked.</summary>
    public bool Remove(string recordId)
    {
        if (!_recordIndex.Remove(recordId, out var index))
        {
            return false;
        }

        var cluster = _clusterOf[index]!;
        var members = _members[cluster];
        members.Remove(index);
        if (members.Count == 0)
        {
            _members.Remove(cluster);
        }

        _clusterOf[index] = null;
        return true;
    }

    private string Id(int record) => _records.Value(record, _idColumn) ?? "";

    private void Track(int index, string cluster)
    {
        while (_clusterOf.Count <= index)
        {
            _clusterOf.Add(null);
        }

        _clusterOf[index] = cluster;
        _recordIndex[Id(index)] = index;
        if (!_members.TryGetValue(cluster, out var members))
        {
            _members[cluster] = members = [];
        }

        members.Add(index);
    }
}
