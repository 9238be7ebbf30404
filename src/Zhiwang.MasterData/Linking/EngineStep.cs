using System.Reflection;
using Zhiwang.Linkage;
using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Scoring;
using Zhiwang.Linkage.Settings;
using Zhiwang.MasterData.Hub;

namespace Zhiwang.MasterData.Linking;

/// <summary>What the linkage engine decided for a mention without a usable key: the golden record, the pair's match weight and its waterfall.</summary>
public sealed record EngineMatch(string GoldenId, double MatchWeight, PairExplanation Explanation);

/// <summary>
/// The hub's seam to <see cref="Zhiwang.Linkage"/> for one kind of golden record. Every mention the hub links
/// (and every golden record stored by earlier imports) is a record of the engine's table, its cluster the golden
/// id; when the keyless mentions of an import are due, a model is trained on that table without labels (keyed
/// mentions are most of it) or, for a small import, the model stored by the last large one is reused; then
/// each keyless mention is linked by <see cref="IncrementalLinker"/> to the cluster of its strongest link above
/// the engine's threshold (posterior match probability 0.5), else it starts a golden record of its own.
/// </summary>
internal sealed class EngineStep
{
    /// <summary>Fewer records than this say too little for EM: the stored model is used instead.</summary>
    public const int MinimumToTrain = 1_000;

    /// <summary>Training sees at most about this many records, whole golden records sampled (<see cref="TrainingSample"/>).</summary>
    public const int MaxTrainingRecords = 50_000;

    private readonly string _kind;
    private readonly LinkageSettings _settings;
    private readonly IReadOnlyList<string> _columns;
    private readonly RecordTable _records;
    private readonly List<string> _clusterOf = [];
    // The golden record of each cluster the engine started for a keyless mention, by the serial of the record that
    // started it (its id ends in ~serial, UniqueId): an int rather than the id as a new string per such mention.
    private readonly Dictionary<int, string> _goldenOfRecord = [];
    // What each (golden record, values) pair hashes to: 8 bytes a record instead of the joined text.
    private readonly HashSet<ulong> _seen = [];

    // Mentions already in the started linker's index in this import (a keyless one added by Find, a keyed one added
    // before its row's keyless mentions were linked): the row's links are written afterwards and must not add them again.
    // Held by a 64-bit hash of the mention's name (IndexKey) rather than a name string per mention: a collision would
    // leave one linked mention out of the index (not a candidate for this import's later keyless mentions), odds about
    // n² / 2^65 for n mentions in one import (one in 15,000 at 50 million).
    private readonly HashSet<ulong> _inIndex = [];
    private int _imported;
    private const string RecordSerialSeparator = "~";
    private IncrementalLinker? _linker;
    private int? _lastNew;
    private int _serial;

    public EngineStep(string kind, LinkageSettings settings, IReadOnlyList<string> columns)
    {
        var missing = settings.Columns.Except(columns, StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"The {kind} linkage settings name columns the hub does not fill: {string.Join(", ", missing)}.", nameof(settings));
        }

        _kind = kind;
        _settings = settings;
        _columns = columns;
        _records = new RecordTable(columns);
    }

    /// <summary>A person mention's columns, the unique id first (<see cref="HubLinker"/> fills them).</summary>
    public static IReadOnlyList<string> PersonColumns { get; } = ["rec_id", "name", "birth_date", "sex", "place", "phone", "employer", "related"];

    /// <summary>A legal entity mention's columns, the unique id first.</summary>
    public static IReadOnlyList<string> EntityColumns { get; } = ["rec_id", "name", "core", "place", "representative", "representative_id", "person"];

    public static LinkageSettings PersonSettings { get; } = Embedded("persons.json");

    public static LinkageSettings EntitySettings { get; } = Embedded("legal-entities.json");

    public string Kind => _kind;

    /// <summary>The model in use once <see cref="Start"/> has run: trained on this import, or the stored one.</summary>
    public LinkageModel? Model { get; private set; }

    /// <summary>True when <see cref="Model"/> was trained by this import (and should be stored for later ones).</summary>
    public bool Trained { get; private set; }

    public bool Started => _linker is not null;

    /// <summary>
    /// A linked mention (or a stored golden record) becomes a record of cluster <paramref name="goldenId"/>;
    /// <paramref name="values"/> in the settings' column order after the id. After <see cref="Start"/> the record joins
    /// the linker's index at once (a long-lived hub links mentions for months after the model started), unless it is
    /// already there: added by <see cref="Find"/>, or earlier in the same import (<see cref="EndImport"/> forgets those).
    /// </summary>
    public void Add(string recordId, string goldenId, IReadOnlyList<string?> values, bool fromImport = true)
    {
        if (values.All(string.IsNullOrEmpty) || !_seen.Add(Fingerprint(goldenId, values)))
        {
            // A second mention of a golden record with the same values (a child's every vaccination, a repeated row)
            // adds nothing for linking and would only weigh exact agreement twice in training.
            return;
        }

        if (_linker is not null)
        {
            if (_inIndex.Add(IndexKey.Of(recordId)))
            {
                _linker.Add(_kind, [UniqueId(recordId), .. values], goldenId);
            }

            return;
        }

        _records.Add(_kind, [UniqueId(recordId), .. values]);
        _clusterOf.Add(goldenId);
        _imported += fromImport ? 1 : 0;
    }

    /// <summary>The import is complete: the records it added stay in the index, the names that kept them from being added twice go.</summary>
    public void EndImport()
    {
        _inIndex.Clear();
        if (_linker is not null)
        {
            _seen.Clear();
        }

        _imported = 0;
    }

    /// <summary>Trains on the table when it is large enough, else takes <paramref name="stored"/>; false when neither is to be had.</summary>
    public bool Start(LinkageModel? stored)
    {
        if (_linker is not null)
        {
            return true;
        }

        // Train on this import's own mentions when there are enough of them (keyed mentions of one person are what
        // teaches m); a few records submitted one at a time beside millions of stored golden records would teach it
        // nothing, so they take the stored model.
        if (_imported >= MinimumToTrain || (stored is null && _records.Count >= MinimumToTrain))
        {
            var sample = TrainingSample();
            Model = Linker.Train(WithKeyedRules(_settings, sample), sample);
            Trained = true;
        }
        else if (stored is not null && !stored.Settings.Columns.Except(_columns, StringComparer.Ordinal).Any())
        {
            Model = stored;
        }
        else
        {
            return false;
        }

        _linker = new IncrementalLinker(Model, _records, _clusterOf);
        _seen.Clear();
        PriorShift = ClusterPriorWeight(_clusterOf) - Model.PriorWeight;

        // The linker holds every record's cluster from here on.
        _clusterOf.Clear();
        _clusterOf.TrimExcess();
        return true;
    }

    /// <summary>
    /// The golden records of one share of the clusters, with all their mentions: m and u need no more than
    /// <see cref="MaxTrainingRecords"/> records, and candidate pairs (the cost of training) shrink with the square of
    /// the share. The prior that sampling changes is not used for decisions (<see cref="PriorShift"/>).
    /// </summary>
    private RecordTable TrainingSample()
    {
        var share = (_records.Count + MaxTrainingRecords - 1) / MaxTrainingRecords;
        if (share <= 1)
        {
            return _records;
        }

        var sample = new RecordTable(_columns);
        var values = new string?[_columns.Count];
        for (var i = 0; i < _records.Count; i++)
        {
            if (StableHash(_clusterOf[i]) % (uint)share == 0)
            {
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = _records.Value(i, c);
                }

                sample.Add(_kind, values);
            }
        }

        return sample;
    }

    /// <summary>
    /// The settings without the blocking rules no record of <paramref name="table"/> has every column of (a small
    /// import may have no row that names, say, a related person): the engine's trainer cannot partition an empty rule.
    /// </summary>
    private static LinkageSettings WithKeyedRules(LinkageSettings settings, RecordTable table)
    {
        var keyless = Enumerable.Range(0, settings.BlockingRules.Count)
            .Where(r => !Enumerable.Range(0, table.Count).Any(i => settings.BlockingRules[r].Columns.All(c => !string.IsNullOrEmpty(table.Value(i, c.Column)))))
            .ToHashSet();
        if (keyless.Count == 0 || keyless.Count == settings.BlockingRules.Count)
        {
            return settings;
        }

        var json = System.Text.Json.Nodes.JsonNode.Parse(
            settings.Json.GetRawText(), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        var rules = json["blocking_rules"]!.AsArray();
        foreach (var r in keyless.OrderDescending())
        {
            rules.RemoveAt(r);
        }

        return LinkageSettings.Parse(json.ToJsonString(), "hub linkage settings (rules with keys)");
    }

    /// <summary>
    /// 64-bit FNV-1a over the golden id and the values, each ended by a separator. Two different pairs collide with
    /// odds below one in ten million at a million records; the cost of one is a repeated mention left out of the table.
    /// </summary>
    private static ulong Fingerprint(string goldenId, IReadOnlyList<string?> values)
    {
        var hash = 14695981039346656037ul;
        void Add(ReadOnlySpan<char> text)
        {
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211ul;
            }

            hash = (hash ^ 0x1f) * 1099511628211ul;
        }

        Add(goldenId);
        foreach (var value in values)
        {
            Add(value ?? "\u0000");
        }

        return hash;
    }

    /// <summary>FNV-1a: the same sample on every run and platform (string.GetHashCode is randomised per process).</summary>
    private static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    /// <summary>
    /// Bits added to a pair's match weight to turn the engine's pairwise prior (λ: two random records match) into the
    /// prior the hub's question needs: that a new mention is this one golden record rather than any other or none.
    /// </summary>
    public double PriorShift { get; private set; }

    /// <summary>
    /// log2 of the prior odds that a new mention belongs to one given golden record: the share of linked mentions
    /// that have another mention of the same record (label-free: the keys said so), over the number of records.
    /// </summary>
    private static double ClusterPriorWeight(IReadOnlyList<string> clusterOf)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var cluster in clusterOf)
        {
            sizes[cluster] = sizes.GetValueOrDefault(cluster) + 1;
        }

        var withOther = sizes.Values.Where(size => size > 1).Sum();
        var share = Math.Clamp(withOther / (double)Math.Max(1, clusterOf.Count), 0.5, 0.99);
        return Math.Log2(share / (1 - share)) - Math.Log2(Math.Max(1, sizes.Count));
    }

    /// <summary>
    /// Links a keyless mention: the golden record of the cluster it joined, with the weight and waterfall of the link
    /// that decided it; null when it joined none. Call <see cref="Settle"/> with where the hub put it in the end.
    /// </summary>
    public EngineMatch? Find(string recordId, IReadOnlyList<string?> values)
    {
        _lastNew = null;
        if (_linker is null)
        {
            return null;
        }

        _inIndex.Add(IndexKey.Of(recordId));
        var result = _linker.Link(_kind, [UniqueId(recordId), .. values]);
        if (result.NewCluster)
        {
            _lastNew = SerialOf(result.ClusterId);
        }

        // Which golden record, if any: each record's strongest link, re-priored for this question, against the
        // others and against none; the Bayes decision (posterior ≥ 0.5) needs no labels.
        var best = result.Candidates
            .Select(c => (Candidate: c, Golden: GoldenOf(c.ClusterId)))
            .Where(c => c.Golden is not null)
            .GroupBy(c => c.Golden!, StringComparer.Ordinal)
            .Select(g => g.MaxBy(c => c.Candidate.MatchWeight))
            .OrderByDescending(c => c.Candidate.MatchWeight)
            .ToList();
        if (best.Count == 0)
        {
            return null;
        }

        var odds = best.Select(c => Math.Pow(2, c.Candidate.MatchWeight + PriorShift)).ToList();
        var posterior = odds[0] / (1 + odds.Sum());
        if (posterior < 0.5)
        {
            return null;
        }

        var link = best[0].Candidate;
        return new EngineMatch(best[0].Golden!, link.MatchWeight + PriorShift, Reprior(link.Explanation, PriorShift));
    }

    /// <summary>The waterfall with the hub's prior as its first bar, so its steps still sum to the stored weight.</summary>
    private static PairExplanation Reprior(PairExplanation explanation, double shift) => explanation with
    {
        PriorWeight = explanation.PriorWeight + shift,
        Comparisons = explanation.Comparisons.Select(c => c with { RunningTotal = c.RunningTotal + shift }).ToList(),
        MatchWeight = explanation.MatchWeight + shift,
        MatchProbability = 1 / (1 + Math.Pow(2, -(explanation.MatchWeight + shift))),
    };

    /// <summary>Where the hub put the mention last passed to <see cref="Find"/> when the engine left it on its own (a new golden record, or a rule's).</summary>
    public void Settle(string? goldenId)
    {
        if (_lastNew is { } serial && goldenId is not null)
        {
            _goldenOfRecord[serial] = goldenId;
        }

        _lastNew = null;
    }

    /// <summary>
    /// A cluster named by a golden id (a record added with its golden record) is that record; one named by a record's id
    /// (ending in ~serial) is the golden record its keyless mention was settled in, if any.
    /// </summary>
    private string? GoldenOf(string clusterId) =>
        SerialOf(clusterId) is { } serial ? _goldenOfRecord.GetValueOrDefault(serial)
        : clusterId.Contains(RecordSerialSeparator, StringComparison.Ordinal) ? null
        : clusterId;

    /// <summary>The serial <see cref="UniqueId"/> put at the end of a record's id, null for an id without one (a golden id).</summary>
    private static int? SerialOf(string recordId)
    {
        var separator = recordId.LastIndexOf(RecordSerialSeparator, StringComparison.Ordinal);
        return separator >= 0 && int.TryParse(
            recordId.AsSpan(separator + RecordSerialSeparator.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var serial)
            ? serial
            : null;
    }

    /// <summary>The record's name in waterfalls (department/record#role); a serial keeps it unique across versions.</summary>
    private string UniqueId(string recordId) => string.Concat(recordId, RecordSerialSeparator, (++_serial).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static LinkageSettings Embedded(string name)
    {
        var resource = $"Linking/{name}";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The linkage settings {resource} are not embedded in {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream);
        return LinkageSettings.Parse(reader.ReadToEnd(), resource);
    }
}
