using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Hub;

/// <summary>Rows for the golden tables, the conflicts and the verification tasks, in the columns of <see cref="GoldenBuilder"/>.</summary>
internal sealed record GoldenRows(List<object?[]> Persons, List<object?[]> Entities, List<object?[]> Conflicts, List<object?[]> Tasks);

/// <summary>
/// Builds golden persons and legal entities from what their source records say: every attribute by
/// <see cref="SourceOfTruth"/> with its source and reason, a conflict where sources disagree, and a verification
/// task for the grid where settling it needs someone on site. A data steward's decision (<see cref="StewardDecisions"/>)
/// stands over the sources until a newer source value contradicts it.
/// </summary>
/// <remarks>
/// It runs for every golden record an import touches, so each attribute is chosen in one pass over the contributions
/// without LINQ, and the provenance and candidate-value JSON is written with one reused <see cref="Utf8JsonWriter"/>
/// (the same bytes <c>JsonSerializer</c> wrote for the <c>AttributeSource</c> dictionary and the
/// <see cref="CandidateValue"/> list).
/// </remarks>
internal sealed class GoldenBuilder(
    IReadOnlyDictionary<string, string> houseGrid, DateTimeOffset now, long batchId, long lastConflict, long lastTask, StewardDecisions? decisions = null)
{
    public const string Open = "open";
    public const string Disagreement = "disagreement";
    public const string MistypedKey = "mistyped-key";

    public static readonly string[] PersonColumns =
        ["golden_id", "id_number", "name", "sex", "birth_date", "ethnicity", "hukou", "phone", "address", "house_code", "grid_code", "district_code", "provenance"];

    public static readonly string[] EntityColumns =
        ["golden_id", "credit_code", "name", "status", "registered_date", "industry", "legal_representative_name", "legal_representative_id_number", "address", "house_code", "grid_code", "district_code", "provenance"];

    public static readonly string[] ConflictColumns =
        ["conflict_id", "golden_id", "field", "conflict_kind", "candidate_values", "department", "batch_id", "status", "created_at"];

    public static readonly string[] TaskColumns = ["task_id", "conflict_id", "golden_id", "grid_code", "status", "created_at"];

    private static readonly string[] PersonFields =
        [HubFields.IdNumber, HubFields.Name, HubFields.Sex, HubFields.BirthDate, HubFields.Ethnicity, HubFields.Hukou, HubFields.Phone, HubFields.Address, HubFields.HouseCode];

    private static readonly string[] EntityFields =
        [HubFields.CreditCode, HubFields.Name, HubFields.Status, HubFields.RegisteredDate, HubFields.Industry, HubFields.LegalRepresentativeName, HubFields.LegalRepresentativeIdNumber, HubFields.Address, HubFields.HouseCode];

    private static readonly KindPlan PersonPlan = new(MentionKind.Person, PersonFields);
    private static readonly KindPlan EntityPlan = new(MentionKind.LegalEntity, EntityFields);

    // Below this many records a second thread costs more than it saves.
    private const int ParallelFrom = 4_000;

    private readonly Output _output = new(lastConflict, lastTask);
    private readonly StewardDecisions _decisions = decisions ?? StewardDecisions.None;

    public List<object?[]> Persons => _output.Persons;

    public List<object?[]> Entities => _output.Entities;

    public List<object?[]> Conflicts => _output.Conflicts;

    public List<object?[]> Tasks => _output.Tasks;

    public long LastConflict => _output.LastConflict;

    public long LastTask => _output.LastTask;

    public static object?[] MistypedKeyConflict(long conflictId, string goldenId, string field, string mistyped, ParsedRecord record, long batchId, DateTimeOffset now) =>
    [
        conflictId, goldenId, field, MistypedKey,
        HubJson.Write(new[] { new CandidateValue(mistyped, [$"{record.Department}/{record.RecordId}"]) }),
        record.Department, batchId, Open, now,
    ];

    public void Build(string goldenId, IReadOnlyList<Contribution> contributions) => BuildInto(_output, goldenId, contributions);

    /// <summary>
    /// The rows built since the last call, handed over so they can be written while the builder goes on: a city's
    /// golden records are built and written a slice at a time rather than held all at once.
    /// </summary>
    public GoldenRows TakeRows() => _output.Take();

    /// <summary>
    /// Builds every person and legal entity of <paramref name="goldenIds"/> that has contributions (houses and ids without
    /// any are skipped), on up to <paramref name="maxThreads"/> threads over contiguous ranges of the ids. Rows, conflict and
    /// task ids come out exactly as calling <see cref="Build"/> for each id in order would give them.
    /// </summary>
    public void BuildAll(IReadOnlyList<string> goldenIds, IReadOnlyDictionary<string, List<Contribution>> contributions, int maxThreads = 2)
    {
        var work = new List<(string GoldenId, List<Contribution> Contributions)>(goldenIds.Count);
        long total = 0;
        foreach (var goldenId in goldenIds)
        {
            if (GoldenId.KindOf(goldenId) != MentionKind.House && contributions.TryGetValue(goldenId, out var list))
            {
                work.Add((goldenId, list));
                total += list.Count;
            }
        }

        var threads = Math.Min(Math.Max(1, maxThreads), Environment.ProcessorCount);
        if (threads == 1 || work.Count < ParallelFrom)
        {
            foreach (var (goldenId, list) in work)
            {
                BuildInto(_output, goldenId, list);
            }

            return;
        }

        // Contiguous ranges of about equal contributions (a large employer's record costs as much as hundreds of persons).
        var bounds = new int[threads + 1];
        bounds[threads] = work.Count;
        long seen = 0;
        var next = 1;
        for (var i = 0; i < work.Count && next < threads; i++)
        {
            seen += work[i].Contributions.Count;
            if (seen * threads >= total * next)
            {
                bounds[next++] = i + 1;
            }
        }

        while (next < threads)
        {
            bounds[next++] = work.Count;
        }

        var parts = new Output[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
        {
            // Each range numbers its conflicts and tasks from zero; they are shifted into place below.
            var output = new Output(0, 0);
            for (var i = bounds[part]; i < bounds[part + 1]; i++)
            {
                BuildInto(output, work[i].GoldenId, work[i].Contributions);
            }

            parts[part] = output;
        });

        foreach (var part in parts)
        {
            _output.Persons.AddRange(part.Persons);
            _output.Entities.AddRange(part.Entities);
            foreach (var conflict in part.Conflicts)
            {
                conflict[0] = (long)conflict[0]! + _output.LastConflict;
                _output.Conflicts.Add(conflict);
            }

            foreach (var task in part.Tasks)
            {
                task[0] = (long)task[0]! + _output.LastTask;
                task[1] = (long)task[1]! + _output.LastConflict;
                _output.Tasks.Add(task);
            }

            _output.LastConflict += part.LastConflict;
            _output.LastTask += part.LastTask;
        }
    }

    private void BuildInto(Output output, string goldenId, IReadOnlyList<Contribution> contributions)
    {
        var plan = GoldenId.KindOf(goldenId) == MentionKind.Person ? PersonPlan : EntityPlan;
        var row = new object?[plan.Fields.Length + 4];
        row[0] = goldenId;
        var sources = output.Sources;
        sources.Clear();
        List<(AttributePlan Attribute, List<CandidateValue> Values)>? conflicts = null;
        var speaking = output.Speaking;
        var attributes = plan.Attributes;
        var said = output.Said(contributions, plan);
        for (var a = 0; a < attributes.Length; a++)
        {
            var attribute = attributes[a];
            var rule = attribute.Rule;
            var decision = _decisions.Latest(goldenId, rule.Field);
            var accepted = decision is { Decision: StewardDecisions.Accepted } ? decision : null;
            speaking.Clear();
            string? first = null;
            var disagree = false;
            var overruled = false;
            var bestRank = int.MaxValue;
            var best = -1;
            string? lastKey = null;
            var lastKeyValid = false;
            for (var i = 0; i < contributions.Count; i++)
            {
                var contribution = contributions[i];
                if (rule.ExcludedRoles is { } excluded && excluded.Contains(contribution.Role))
                {
                    continue;
                }

                var value = Clean(said[(i * attributes.Length) + a]);
                if (value is null)
                {
                    continue;
                }

                if (attribute.IsValidKey is { } isValid)
                {
                    // A key that failed validation is no candidate for the key, only feedback to its department.
                    // Sources mostly repeat one key: each run of the same value is validated once.
                    if (!string.Equals(value, lastKey, StringComparison.Ordinal))
                    {
                        lastKey = value;
                        lastKeyValid = isValid(value);
                    }

                    if (!lastKeyValid)
                    {
                        continue;
                    }
                }

                speaking.Add((contribution, value));
                first ??= value;
                disagree |= !string.Equals(first, value, StringComparison.Ordinal);
                if (accepted is not null && !overruled && accepted.IsOverruledBy(contribution.Order, value))
                {
                    overruled = true;
                }

                // The first authority that speaks wins, with its most recent value; without one, the most recent value (first of equals).
                var rank = attribute.RankOf(contribution.Department);
                if (rank < bestRank || (rank == bestRank && contribution.Order > speaking[best].Contribution.Order))
                {
                    bestRank = rank;
                    best = speaking.Count - 1;
                }
            }

            if (accepted is not null && !overruled)
            {
                // The steward's word stands over every source value older than the decision or already weighed.
                row[attribute.Column] = accepted.Value;
                sources.Add(new Source(rule.Field, accepted.Value, StewardDecisions.DataSteward, $"conflict/{accepted.ConflictId}", accepted.Reason));
                continue;
            }

            if (speaking.Count == 0)
            {
                continue;
            }

            var (winner, winnerValue) = speaking[best];
            row[attribute.Column] = winnerValue;
            sources.Add(new Source(rule.Field, winnerValue, winner.Department, winner.RecordId, attribute.Reasons[bestRank]));
            if (accepted is not null)
            {
                // A newer source value contradicts the steward: a new disagreement for the queue, with the steward's value in it.
                var values = Candidates(speaking);
                if (!values.Exists(v => v.Value == accepted.Value))
                {
                    values.Add(new CandidateValue(accepted.Value!, [$"{StewardDecisions.DataSteward}/conflict/{accepted.ConflictId}"]));
                }

                (conflicts ??= []).Add((attribute, values));
            }
            else if (rule.ConflictOnDisagreement && disagree && !_decisions.IsBeingVerified(goldenId, rule.Field))
            {
                var values = Candidates(speaking);
                if (!(decision is { Decision: StewardDecisions.Resolved } resolved && AlreadyResolved(resolved, winnerValue, values)))
                {
                    (conflicts ??= []).Add((attribute, values));
                }
            }
        }

        var houseCode = (string?)row[plan.HouseCodeColumn];
        var grid = houseCode is not null ? houseGrid.GetValueOrDefault(houseCode) : null;
        row[^3] = grid;
        row[^2] = grid?[..6];
        row[^1] = output.ProvenanceJson();
        (plan.Kind == MentionKind.Person ? output.Persons : output.Entities).Add(row);
        if (conflicts is null)
        {
            return;
        }

        foreach (var (attribute, values) in conflicts)
        {
            var conflictId = ++output.LastConflict;
            output.Conflicts.Add([conflictId, goldenId, attribute.Rule.Field, Disagreement, output.CandidatesJson(values), null, batchId, Open, now]);
            if (attribute.Rule.NeedsSiteVisit)
            {
                output.Tasks.Add([++output.LastTask, conflictId, goldenId, grid, Open, now]);
            }
        }
    }

    /// <summary>The steward said the golden value is right against these values: raise it again only for a value not weighed, or if the golden value moved.</summary>
    private static bool AlreadyResolved(StewardDecision resolved, string chosen, List<CandidateValue> values) =>
        string.Equals(resolved.Value, chosen, StringComparison.Ordinal)
        && values.TrueForAll(v => resolved.SeenValues.Contains(v.Value, StringComparer.Ordinal));

    /// <summary>The distinct values in order of first appearance, each with (at most 10 of) the records that gave it.</summary>
    private static List<CandidateValue> Candidates(List<(Contribution Contribution, string Value)> speaking)
    {
        var values = new List<CandidateValue>();
        var sources = new List<List<string>>();
        foreach (var (contribution, value) in speaking)
        {
            var index = values.FindIndex(v => string.Equals(v.Value, value, StringComparison.Ordinal));
            if (index < 0)
            {
                var list = new List<string>();
                values.Add(new CandidateValue(value, list));
                sources.Add(list);
                index = values.Count - 1;
            }

            if (sources[index].Count < 10)
            {
                sources[index].Add($"{contribution.Department}/{contribution.RecordId}");
            }
        }

        return values;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>One attribute's entry in provenance: its value, the department and record it came from, and why.</summary>
    private readonly record struct Source(string Field, string? Value, string Department, string RecordId, string Reason);

    /// <summary>How one attribute is chosen and where it goes in the row, worked out once per kind.</summary>
    private sealed class AttributePlan
    {
        public AttributePlan(AttributeRule rule, int column)
        {
            Rule = rule;
            Column = column;
            IsValidKey = rule.Field switch
            {
                HubFields.IdNumber => value => Keys.IdNumber.IsValid(value),
                HubFields.CreditCode => value => Keys.CreditCode.IsValid(value),
                _ => null,
            };
            var authorities = rule.Authorities;
            Reasons = new string[authorities.Count + 1];
            for (var i = 0; i < authorities.Count; i++)
            {
                Reasons[i] = $"authoritative source: {authorities[i]}";
            }

            Reasons[^1] = authorities.Count == 0 ? "most recent" : $"most recent (no value from {string.Join(", ", authorities)})";
        }

        public AttributeRule Rule { get; }

        public int Column { get; }

        public Func<string, bool>? IsValidKey { get; }

        /// <summary>Per rank (authority index, then "anyone"), the reason provenance gives.</summary>
        public string[] Reasons { get; }

        public int RankOf(string department)
        {
            var authorities = Rule.Authorities;
            for (var i = 0; i < authorities.Count; i++)
            {
                if (string.Equals(authorities[i], department, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return authorities.Count;
        }
    }

    private sealed class KindPlan
    {
        public KindPlan(MentionKind kind, string[] fields)
        {
            Kind = kind;
            Fields = fields;
            Attributes = SourceOfTruth.For(kind).Select(rule => new AttributePlan(rule, Array.IndexOf(fields, rule.Field) + 1)).ToArray();
            HouseCodeColumn = Array.IndexOf(fields, HubFields.HouseCode) + 1;
        }

        public MentionKind Kind { get; }

        public string[] Fields { get; }

        public AttributePlan[] Attributes { get; }

        public int HouseCodeColumn { get; }
    }

    /// <summary>The rows one thread builds, its conflict and task numbering, and its reused buffers.</summary>
    private sealed class Output(long lastConflict, long lastTask)
    {
        private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private readonly ArrayBufferWriter<byte> _buffer = new(2048);
        private Utf8JsonWriter? _json;
        private readonly StringBuilder _text = new(2048);
        private string?[] _said = new string?[256];

        public List<object?[]> Persons { get; private set; } = [];

        public List<object?[]> Entities { get; private set; } = [];

        public List<object?[]> Conflicts { get; private set; } = [];

        public List<object?[]> Tasks { get; private set; } = [];

        /// <summary>Hands over the rows built so far and goes on with empty lists (the numbering goes on too).</summary>
        public GoldenRows Take()
        {
            var rows = new GoldenRows(Persons, Entities, Conflicts, Tasks);
            (Persons, Entities, Conflicts, Tasks) = ([], [], [], []);
            return rows;
        }

        public List<(Contribution Contribution, string Value)> Speaking { get; } = [];

        public List<Source> Sources { get; } = [];

        public long LastConflict { get; set; } = lastConflict;

        public long LastTask { get; set; } = lastTask;

        /// <summary>What each contribution says for each attribute (row-major: contribution, then attribute), unpacked from <see cref="Contribution.Said"/>.</summary>
        public string?[] Said(IReadOnlyList<Contribution> contributions, KindPlan plan)
        {
            var width = plan.Attributes.Length;
            var size = contributions.Count * width;
            if (_said.Length < size)
            {
                _said = new string?[Math.Max(size, _said.Length * 2)];
            }

            for (var i = 0; i < contributions.Count; i++)
            {
                SaidValues.Unpack(contributions[i].Said, _said, i * width);
            }

            return _said;
        }

        /// <summary>The provenance column: <see cref="Sources"/> as the field → <c>AttributeSource</c> object JsonSerializer wrote.</summary>
        public string ProvenanceJson()
        {
            if (Sources.TrueForAll(s => Plain(s.Field) && Plain(s.Value) && Plain(s.Department) && Plain(s.RecordId) && Plain(s.Reason)))
            {
                // Nothing to escape (the usual case): the JSON is the text itself, without the UTF-8 round trip.
                var text = _text.Clear().Append('{');
                foreach (var source in Sources)
                {
                    text.Append(text.Length == 1 ? "\"" : ",\"").Append(source.Field).Append("\":{\"value\":");
                    _ = source.Value is null ? text.Append("null") : text.Append('"').Append(source.Value).Append('"');
                    text.Append(",\"department\":\"").Append(source.Department)
                        .Append("\",\"record_id\":\"").Append(source.RecordId)
                        .Append("\",\"reason\":\"").Append(source.Reason).Append("\"}");
                }

                return text.Append('}').ToString();
            }

            var json = StartJson();
            json.WriteStartObject();
            foreach (var source in Sources)
            {
                json.WritePropertyName(source.Field);
                json.WriteStartObject();
                json.WriteString(JsonNames.Value, source.Value);
                json.WriteString(JsonNames.Department, source.Department);
                json.WriteString(JsonNames.RecordId, source.RecordId);
                json.WriteString(JsonNames.Reason, source.Reason);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            return JsonText();
        }

        /// <summary>A conflict's candidate values as JsonSerializer wrote the <see cref="CandidateValue"/> list.</summary>
        public string CandidatesJson(List<CandidateValue> values)
        {
            var json = StartJson();
            json.WriteStartArray();
            foreach (var value in values)
            {
                json.WriteStartObject();
                json.WriteString(JsonNames.CandidateValue, value.Value);
                json.WriteStartArray(JsonNames.CandidateSources);
                foreach (var source in value.Sources)
                {
                    json.WriteStringValue(source);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            return JsonText();
        }

        /// <summary>True when the writer would copy the text as it is: the encoder returns the same instance when there is nothing to escape.</summary>
        private static bool Plain(string? text) => text is null || ReferenceEquals(WriterOptions.Encoder!.Encode(text), text);

        private Utf8JsonWriter StartJson()
        {
            _buffer.ResetWrittenCount();
            if (_json is null)
            {
                _json = new Utf8JsonWriter(_buffer, WriterOptions);
            }
            else
            {
                _json.Reset(_buffer);
            }

            return _json;
        }

        private string JsonText()
        {
            _json!.Flush();
            return Encoding.UTF8.GetString(_buffer.WrittenSpan);
        }
    }

    // The property names JsonSerializer wrote: AttributeSource's JsonPropertyName attributes and CandidateValue's own names.
    private static class JsonNames
    {
        public static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
        public static readonly JsonEncodedText Department = JsonEncodedText.Encode("department");
        public static readonly JsonEncodedText RecordId = JsonEncodedText.Encode("record_id");
        public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
        public static readonly JsonEncodedText CandidateValue = JsonEncodedText.Encode(nameof(Hub.CandidateValue.Value));
        public static readonly JsonEncodedText CandidateSources = JsonEncodedText.Encode(nameof(Hub.CandidateValue.Sources));
    }
}

/// <summary>One value sources gave for a conflicting attribute, and which records (department/record id) gave it.</summary>
public sealed record CandidateValue(string Value, IReadOnlyList<string> Sources);
