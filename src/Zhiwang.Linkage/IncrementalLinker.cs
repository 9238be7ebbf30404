using Zhiwang.Linkage.Clustering;
using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Scoring;

namespace Zhiwang.Linkage;

/// <summary>
/// A record the new one was compared with, the cluster it is in, and why it scored what it did. The explanation is
/// built when first read, not by every <see cref="IncrementalLinker.Link"/>: most callers only want the cluster.
/// </summary>
public sealed record LinkedCandidate(string RecordId, string ClusterId, double MatchWeight, double MatchProbability)
{
    private readonly Func<PairExplanation>? _explain;
    private PairExplanation? _explanation;

    public LinkedCandidate(string RecordId, string ClusterId, double MatchWeight, double MatchProbability, PairExplanation Explanation)
        : this(RecordId, ClusterId, MatchWeight, MatchProbability)
    {
        _explanation = Explanation;
    }

    internal LinkedCandidate(string recordId, string clusterId, double matchWeight, Func<PairExplanation> explain)
        : this(recordId, clusterId, matchWeight, MatchWeights.ToProbability(matchWeight))
    {
        _explain = explain;
    }

    /// <summary>The pair's waterfall (built on first read; read it before the linker's next write when another thread writes).</summary>
    public PairExplanation Explanation => _explanation ??= _explain!();

    public void Deconstruct(out string RecordId, out string ClusterId, out double MatchWeight, out double MatchProbability, out PairExplanation Explanation)
    {
        (RecordId, ClusterId, MatchWeight, MatchProbability, Explanation) = (this.RecordId, this.ClusterId, this.MatchWeight, this.MatchProbability, this.Explanation);
    }
}

/// <summary>Where a new record went: the cluster it joined (or its own new one) and its scored candidates, strongest first.</summary>
public sealed record IncrementalLinkResult(string RecordId, string ClusterId, bool NewCluster, IReadOnlyList<LinkedCandidate> Candidates);

/// <summary>
/// Links one record at a time against records already linked, without re-running the batch: candidates come from the
/// blocking rules' indexes, are scored with the trained model, and the record joins the cluster of its strongest
/// link the clustering rules allow (as the batch's agglomeration would for a record on its own), else a new cluster.
/// A new record joins at most one cluster; merging existing clusters is left to the next batch run.
/// Not thread-safe: one writer at a time.
/// </summary>
/// <remarks>
/// Memory per loaded record, beyond the table and its prepared form (shared with the batch run when it is the same
/// table): a cluster code and the record behind its id, 4 bytes each, and the blocking index (4 bytes a rule). A
/// cluster code is a record index when the cluster is named by a record's id (always, for clusters from
/// <see cref="Linker.Cluster"/>), else -2 minus its place among the other names; -1 is a record not linked.
/// Members per cluster are kept only when the settings allow one record per source.
/// </remarks>
public sealed class IncrementalLinker
{
    private const int NotLinked = -1;
    private readonly PairScorer _scorer;
    private readonly RecordTable _records;
    private readonly int _idColumn;
    private readonly GrowableList<int> _clusterOf;
    private readonly GrowableList<int> _recordOfId;
    private readonly ValuePool _otherClusterNames = new();
    private readonly Dictionary<int, List<int>>? _members;

    /// <summary>Starts from <paramref name="records"/> (which the linker then owns and appends to) and their clusters.</summary>
    public IncrementalLinker(LinkageModel model, RecordTable records, Clusters clusters)
        : this(model, records)
    {
        if (clusters.Records != records.Count)
        {
            throw new ArgumentException($"expected clusters of {records.Count} records, got {clusters.Records}", nameof(clusters));
        }

        for (var i = 0; i < records.Count; i++)
        {
            Track(i, clusters.Representative(i));
        }
    }

    /// <summary>Starts from records and the cluster id of each, in table order (e.g. as stored by a host).</summary>
    public IncrementalLinker(LinkageModel model, RecordTable records, IReadOnlyList<string> clusterIds)
        : this(model, records)
    {
        if (clusterIds.Count != records.Count)
        {
            throw new ArgumentException($"expected {records.Count} cluster ids, one per record, got {clusterIds.Count}", nameof(clusterIds));
        }

        var ids = records.Pool(_idColumn);
        var firstWithId = new int[ids.Count];
        Array.Fill(firstWithId, -1);
        for (var i = records.Count - 1; i >= 0; i--)
        {
            if (records.Code(i, _idColumn) is var code and >= 0)
            {
                firstWithId[code] = i;
            }
        }

        for (var i = 0; i < records.Count; i++)
        {
            // A cluster named by a record's id (the batch's naming) costs nothing beyond the record's index.
            var idCode = ids.Find(clusterIds[i].AsSpan().Trim());
            var named = idCode >= 0 ? firstWithId[idCode] : -1;
            Track(i, named >= 0 ? named : -2 - _otherClusterNames.Intern(clusterIds[i]));
        }
    }

    private IncrementalLinker(LinkageModel model, RecordTable records)
    {
        _records = records;
        _scorer = new PairScorer(model, records);
        _scorer.Prepared.Keys.BuildIndex();
        _idColumn = records.ColumnIndex(model.Settings.UniqueIdColumn);
        _members = model.Settings.Clustering.OneRecordPerSource ? [] : null;
        _recordOfId = new GrowableList<int>(records.Pool(_idColumn).Count, NotLinked);
        _clusterOf = new GrowableList<int>(records.Count, NotLinked);
    }

    public LinkageModel Model => _scorer.Model;

    /// <summary>Records currently linked (added minus removed).</summary>
    public int Count { get; private set; }

    public string? ClusterOf(string recordId)
    {
        var record = RecordOf(recordId);
        return record < 0 ? null : ClusterName(_clusterOf[record]);
    }

    /// <summary>Adds a record (values in the table's column order) and links it.</summary>
    public IncrementalLinkResult Link(string source, IReadOnlyList<string?> values)
    {
        var (index, id) = Append(source, values);
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
            if (other != index && _clusterOf[other] != NotLinked && seen.Add(other) && prepared.Allowed(other, index))
            {
                candidates.Add((other, _scorer.MatchWeight(other, index)));
            }
        }

        candidates.Sort((a, b) => b.Weight != a.Weight ? b.Weight.CompareTo(a.Weight) : a.Record.CompareTo(b.Record));
        var joined = NotLinked;
        var threshold = Model.ThresholdMatchWeight;
        var sourceCode = _records.SourceCode(index);
        foreach (var (other, weight) in candidates)
        {
            if (weight < threshold)
            {
                break;
            }

            var cluster = _clusterOf[other];
            if (_members is not null && _members[cluster].Exists(m => _records.SourceCode(m) == sourceCode))
            {
                continue;
            }

            joined = cluster;
            break;
        }

        var floor = MatchWeights.FromProbability(Math.Max(Model.Settings.EdgeFloorProbability, 1e-300));
        var scorer = _scorer;
        var scored = candidates.Where(c => c.Weight >= floor)
            .Select(c => new LinkedCandidate(Id(c.Record), ClusterName(_clusterOf[c.Record]), c.Weight, () => scorer.Explain(c.Record, index)))
            .ToArray();
        Track(index, joined == NotLinked ? index : joined);
        return new IncrementalLinkResult(id, joined == NotLinked ? id : ClusterName(joined), joined == NotLinked, scored);
    }

    /// <summary>
    /// Adds a record whose cluster the host already knows (linked by a key, say) without scoring it: later records find
    /// it as a candidate and join <paramref name="clusterId"/> through it, as they would a record of the first table.
    /// </summary>
    public void Add(string source, IReadOnlyList<string?> values, string clusterId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        var (index, _) = Append(source, values);
        var named = RecordOf(clusterId);
        Track(index, named >= 0 ? named : -2 - _otherClusterNames.Intern(clusterId));
    }

    /// <summary>Appends a record to the table and the blocking index, not yet in any cluster; refuses an id already linked.</summary>
    private (int Index, string Id) Append(string source, IReadOnlyList<string?> values)
    {
        var index = _records.Add(source, values);
        _clusterOf.Add(NotLinked);
        var idCode = _records.Code(index, _idColumn);
        if (idCode < 0)
        {
            throw new LinkageException($"the record has no value in its unique id column '{Model.Settings.UniqueIdColumn}'");
        }

        while (_recordOfId.Count <= idCode)
        {
            _recordOfId.Add(NotLinked);
        }

        var id = _records.Pool(_idColumn)[idCode];
        if (_recordOfId[idCode] >= 0)
        {
            // The table keeps the row, but it is never linked or found.
            throw new LinkageException($"record '{id}' is already linked; remove it first");
        }

        _scorer.Refresh();
        return (index, id);
    }

    /// <summary>Removes a record from its cluster and from candidate search; false when it is not linked.</summary>
    public bool Remove(string recordId)
    {
        var record = RecordOf(recordId);
        if (record < 0)
        {
            return false;
        }

        var cluster = _clusterOf[record];
        if (_members is not null)
        {
            var members = _members[cluster];
            members.Remove(record);
            if (members.Count == 0)
            {
                _members.Remove(cluster);
            }
        }

        _recordOfId[_records.Code(record, _idColumn)] = NotLinked;
        _clusterOf[record] = NotLinked;
        Count--;
        return true;
    }

    private int RecordOf(string recordId)
    {
        var code = _records.Pool(_idColumn).Find(recordId.AsSpan().Trim());
        return code < 0 || code >= _recordOfId.Count ? -1 : _recordOfId[code];
    }

    private string ClusterName(int cluster) => cluster >= 0 ? Id(cluster) : _otherClusterNames[-2 - cluster];

    private string Id(int record) => _records.Value(record, _idColumn) ?? "";

    private void Track(int index, int cluster)
    {
        _clusterOf[index] = cluster;
        var idCode = _records.Code(index, _idColumn);
        if (idCode >= 0)
        {
            Count += _recordOfId[idCode] < 0 ? 1 : 0;
            _recordOfId[idCode] = index;
        }

        if (_members is not null)
        {
            if (!_members.TryGetValue(cluster, out var members))
            {
                _members[cluster] = members = [];
            }

            members.Add(index);
        }
    }
}
