using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Search;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// Builds golden persons and legal entities from what their source records say: every attribute by
/// <see cref="SourceOfTruth"/> with its source and reason, a conflict where sources disagree, and a verification
/// task for the grid where settling it needs someone on site.
/// </summary>
internal sealed class GoldenBuilder(IReadOnlyDictionary<string, string> houseGrid, DateTimeOffset now, long batchId, long lastConflict, long lastTask)
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

    public List<object?[]> Persons { get; } = [];



    public List<object?[]> Entities { get; } = [];

    public List<object?[]> Conflicts { get; } = [];

    public List<object?[]> Tasks { get; } = [];

    public long LastConflict { get; private set; } = lastConflict;

    public long LastTask { get; private set; } = lastTask;

    public static object?[] MistypedKeyConflict(long conflictId, string goldenId, string field, string mistyped, ParsedRecord record, long batchId, DateTimeOffset now) =>
    [
        conflictId, goldenId, field, MistypedKey,
        HubJson.Write(new[] { new CandidateValue(mistyped, [$"{record.Department}/{record.RecordId}"]) }),
        record.Department, batchId, Open, now,
    ];

    public void Build(string goldenId, IReadOnlyList<Contribution> contributions)
    {
        var kind = GoldenId.KindOf(goldenId);
        var fields = kind == MentionKind.Person ? PersonFields : EntityFields;
        var chosen = new Dictionary<string, string?>(StringComparer.Ordinal);
        var provenance = new Dictionary<string, AttributeSource>(StringComparer.Ordinal);
        var conflicts = new List<(AttributeRule Rule, List<CandidateValue> Values)>();
        foreach (var rule in SourceOfTruth.For(kind))
        {
            var speaking = contributions
                .Where(c => rule.ExcludedRoles is null || !rule.ExcludedRoles.Contains(c.Role))
                .Select(c => (Contribution: c, Value: Clean(c.Fields.GetValueOrDefault(rule.Field))))
                .Where(c => c.Value is not null)
                .ToList();
            if (rule.Field is HubFields.IdNumber or HubFields.CreditCode)
            {
                // A key that failed validation is no candidate for the key, only feedback to its department.
                speaking = speaking.Where(c => rule.Field == HubFields.IdNumber ? Keys.IdNumber.IsValid(c.Value) : Keys.CreditCode.IsValid(c.Value)).ToList();
            }

            if (speaking.Count == 0)
            {
                continue;
            }

            var (winner, reason) = Choose(rule, speaking);
            chosen[rule.Field] = winner.Value;
            provenance[rule.Field] = new AttributeSource(winner.Value, winner.Contribution.Department, winner.Contribution.RecordId, reason);
            if (rule.ConflictOnDisagreement)
            {
                var values = speaking
                    .GroupBy(c => c.Value!, StringComparer.Ordinal)
                    .Select(g => new CandidateValue(g.Key, g.Select(c => $"{c.Contribution.Department}/{c.Contribution.RecordId}").Take(10).ToList()))
                    .ToList();
                if (values.Count > 1)
                {
                    conflicts.Add((rule, values));
                }
            }
        }

        var houseCode = chosen.GetValueOrDefault(HubFields.HouseCode);
        var grid = houseCode is not null ? houseGrid.GetValueOrDefault(houseCode) : null;
        var row = new object?[fields.Length + 4];
        row[0] = goldenId;
        for (var i = 0; i < fields.Length; i++)
        {
            row[i + 1] = chosen.GetValueOrDefault(fields[i]);
        }

        row[^3] = grid;
        row[^2] = grid?[..6];
        row[^1] = Provenance.Write(provenance);
        (kind == MentionKind.Person ? Persons : Entities).Add(row);

        foreach (var (rule, values) in conflicts)
        {
            var conflictId = ++LastConflict;
            Conflicts.Add([conflictId, goldenId, rule.Field, Disagreement, HubJson.Write(values), null, batchId, Open, now]);
            if (rule.NeedsSiteVisit)
            {
                Tasks.Add([++LastTask, conflictId, goldenId, grid, Open, now]);
            }
        }
    }

    private static ((Contribution Contribution, string? Value) Winner, string Reason) Choose(AttributeRule rule, List<(Contribution Contribution, string? Value)> speaking)
    {
        foreach (var authority in rule.Authorities)
        {
            var fromAuthority = speaking.Where(c => c.Contribution.Department == authority).ToList();
            if (fromAuthority.Count > 0)
            {
                return (fromAuthority.MaxBy(c => c.Contribution.Order), $"authoritative source: {authority}");
            }
        }

        var reason = rule.Authorities.Count == 0
            ? "most recent"
            : $"most recent (no value from {string.Join(", ", rule.Authorities)})";
        return (speaking.MaxBy(c => c.Contribution.Order), reason);
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>One value sources gave for a conflicting attribute, and which records (department/record id) gave it.</summary>
public sealed record CandidateValue(string Value, IReadOnlyList<string> Sources);
