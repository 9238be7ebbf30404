using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// What a data steward decided about one disagreement: <see cref="StewardDecisions.Accepted"/> one value as the golden
/// value, or <see cref="StewardDecisions.Resolved"/> (the golden value <paramref name="Value"/> is right). <paramref name="SeenValues"/>
/// are the values the steward weighed; <paramref name="BatchId"/> the last import batch the conflict had seen, so a source
/// value from a later batch is newer than the decision.
/// </summary>
public sealed record StewardDecision(long ConflictId, string GoldenId, string Field, string Decision, string? Value, IReadOnlyList<string> SeenValues, long BatchId, string Reason)
{
    /// <summary>
    /// True when a source value overrules an accepted value: it came in a batch after the decision and is none of the values
    /// the steward weighed (a record re-sent with the value the steward turned down brings nothing new).
    /// </summary>
    internal bool IsOverruledBy(long contributionOrder, string value) =>
        contributionOrder >= ContributionOrder.Of(BatchId + 1, 0)
        && !string.Equals(value, Value, StringComparison.Ordinal)
        && !SeenValues.Contains(value, StringComparer.Ordinal);
}

/// <summary>
/// The stewards' decisions on the golden records an import rebuilds, so a rebuild keeps them: an accepted value stands
/// (provenance <c>data_steward</c>) until a source sends a newer value the steward has not weighed, and a resolved disagreement is not
/// raised again for the same values while the golden value is the one the steward confirmed. Only the latest decision
/// per golden record and field counts.
/// </summary>
public sealed class StewardDecisions
{
    public const string Accepted = "accepted";
    public const string Resolved = "resolved";

    /// <summary>The department a steward's value is attributed to in provenance and conflicts.</summary>
    public const string DataSteward = "data_steward";

    public static readonly StewardDecisions None = new([], []);

    private const int ChunkSize = 500;

    private readonly Dictionary<(string GoldenId, string Field), StewardDecision> _latest;

    // Disagreements a steward has sent to the grid worker: the visit will settle them, a rebuild must not raise them again.
    private readonly HashSet<(string GoldenId, string Field)> _beingVerified;

    private StewardDecisions(Dictionary<(string GoldenId, string Field), StewardDecision> latest, HashSet<(string, string)> beingVerified)
    {
        _latest = latest;
        _beingVerified = beingVerified;
    }

    public int Count => _latest.Count;

    /// <summary>The latest decision on each field of <paramref name="goldenIds"/> (indexed by golden id, read in chunks).</summary>
    public static Task<StewardDecisions> LoadAsync(DbConnection connection, IReadOnlyCollection<string> goldenIds, CancellationToken cancellationToken) =>
        LoadAsync(connection, null, goldenIds, cancellationToken);

    /// <summary>As above, inside the caller's transaction (SQLite refuses a command outside the connection's open transaction).</summary>
    public static async Task<StewardDecisions> LoadAsync(
        DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<string> goldenIds, CancellationToken cancellationToken)
    {
        var latest = new Dictionary<(string, string), StewardDecision>();
        var beingVerified = new HashSet<(string, string)>();
        foreach (var chunk in goldenIds.Where(id => id.Length > 0 && id[0] != GoldenId.HousePrefix).Chunk(ChunkSize))
        {
            foreach (var pair in await connection.QueryAsync<(string GoldenId, string Field)>(new CommandDefinition(
                $"SELECT golden_id, field FROM data_conflict WHERE golden_id {InIds(connection)} AND conflict_kind = 'disagreement' AND status = 'verifying'",
                new { ids = chunk },
                transaction,
                cancellationToken: cancellationToken)))
            {
                beingVerified.Add(pair);
            }

            var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition(
                $"""
                SELECT conflict_id AS ConflictId, golden_id AS GoldenId, field AS Field, decision AS Decision, value AS Value,
                       seen_values AS SeenValues, batch_id AS BatchId, reason AS Reason
                FROM steward_decision
                WHERE golden_id {InIds(connection)}
                ORDER BY conflict_id
                """,
                new { ids = chunk },
                transaction,
                cancellationToken: cancellationToken));
            foreach (var row in rows)
            {
                latest[(row.GoldenId, row.Field)] = row.ToDecision();
            }
        }

        return new StewardDecisions(latest, beingVerified);
    }

    /// <summary>Stores a decision beside the conflict it settles, in the steward's transaction.</summary>
    internal static Task RecordAsync(
        DbConnection connection, DbTransaction transaction, StewardDecision decision, string? steward, object decidedAt, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO steward_decision (conflict_id, golden_id, field, decision, value, seen_values, batch_id, steward, reason, decided_at)
            VALUES (@ConflictId, @GoldenId, @Field, @Decision, @Value, @seen, @BatchId, @steward, @Reason, @decidedAt)
            """,
            new { decision.ConflictId, decision.GoldenId, decision.Field, decision.Decision, decision.Value, seen = HubJson.Write(decision.SeenValues), decision.BatchId, steward, decision.Reason, decidedAt },
            transaction,
            cancellationToken: cancellationToken));

    /// <summary>"IN @ids" for a list: Dapper spreads it into parameters on SQLite, Npgsql takes the array whole.</summary>
    internal static string InIds(DbConnection connection) => connection is Npgsql.NpgsqlConnection ? "= ANY(@ids)" : "IN @ids";

    /// <summary>True when a disagreement on the field waits for a grid worker's visit.</summary>
    internal bool IsBeingVerified(string goldenId, string field) => _beingVerified.Count > 0 && _beingVerified.Contains((goldenId, field));

    internal StewardDecision? Latest(string goldenId, string field) =>
        _latest.Count == 0 ? null : _latest.GetValueOrDefault((goldenId, field));

    private sealed class DecisionRow
    {
        public long ConflictId { get; set; }

        public string GoldenId { get; set; } = "";

        public string Field { get; set; } = "";

        public string Decision { get; set; } = "";

        public string? Value { get; set; }

        public string SeenValues { get; set; } = "[]";

        public long BatchId { get; set; }

        public string Reason { get; set; } = "";

        public StewardDecision ToDecision() =>
            new(ConflictId, GoldenId, Field, Decision, Value, JsonSerializer.Deserialize<List<string>>(SeenValues) ?? [], BatchId, Reason);
    }
}
