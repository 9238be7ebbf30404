using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Search;

/// <summary>
/// Whether golden records exist, by kind and golden id (a house's golden id is its house code). Other modules ask it for
/// many ids at once: one query per kind, whatever the number of ids.
/// </summary>
public sealed class GoldenRecordIds(Database database)
{
    /// <summary>Each kind's table and key.</summary>
    private static readonly Dictionary<string, string> ExistingSql = new(StringComparer.Ordinal)
    {
        [SearchKinds.Person] = "SELECT golden_id FROM golden_person WHERE golden_id",
        [SearchKinds.LegalEntity] = "SELECT golden_id FROM golden_legal_entity WHERE golden_id",
        [SearchKinds.House] = "SELECT house_code FROM golden_house WHERE house_code",
    };

    /// <summary>The pairs among <paramref name="records"/> with no golden record (an unknown kind has none).</summary>
    public async Task<IReadOnlySet<(string Kind, string GoldenId)>> UnknownAsync(
        IReadOnlyCollection<(string Kind, string GoldenId)> records, CancellationToken cancellationToken)
    {
        var unknown = records.ToHashSet();
        if (unknown.Count == 0)
        {
            return unknown;
        }

        // PostgreSQL takes the ids as one array parameter; SQLite as a list Dapper writes out, one parameter each.
        var amongIds = database.Provider == DatabaseProvider.PostgreSql ? " = ANY(@ids)" : " IN @ids";
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        foreach (var kind in unknown.Select(r => r.Kind).Distinct().ToList())
        {
            if (!ExistingSql.TryGetValue(kind, out var sql))
            {
                continue;
            }

            var ids = unknown.Where(r => r.Kind == kind).Select(r => r.GoldenId);
            var existing = await connection.QueryAsync<string>(new CommandDefinition(sql + amongIds, new { ids = ids.ToArray() }, cancellationToken: cancellationToken));
            foreach (var id in existing)
            {
                unknown.Remove((kind, id));
            }
        }

        return unknown;
    }
}
