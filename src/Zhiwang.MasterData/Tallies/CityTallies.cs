using Dapper;
using Zhiwang.Geo;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Tallies;

/// <summary>
/// Counts of persons, legal entities and houses for every division, city to grid. The database keeps
/// counts per grid (<c>grid_tally</c>); every higher level is the sum over the grids whose code starts
/// with its code, held in memory because the whole hierarchy is only ~17,000 divisions.
/// </summary>
public sealed class CityTallies(Database database, CityMap cityMap)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IReadOnlyDictionary<string, DivisionTally>? _byCode;

    // Bumped by every refresh, so counts read before a refresh are never cached after it.
    private long _generation;

    public async Task<DivisionTally> ForAsync(string code, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken);
        return all.TryGetValue(code, out var tally) ? tally : DivisionTally.Empty(code);
    }

    public async Task<IReadOnlyDictionary<string, DivisionTally>> ForChildrenOfAsync(string code, CancellationToken cancellationToken)
    {
        var all = await AllAsync(cancellationToken);
        return cityMap.ChildrenOf(code).ToDictionary(
            child => child.Code,
            child => all.TryGetValue(child.Code, out var tally) ? tally : DivisionTally.Empty(child.Code));
    }

    /// <summary>Recounts every grid from the golden records; call after a load.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(new CommandDefinition("DELETE FROM grid_tally", transaction: transaction, cancellationToken: cancellationToken));
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO grid_tally (grid_code, persons, legal_entities, houses)
                SELECT grid_code, SUM(persons), SUM(legal_entities), SUM(houses)
                FROM (
                    SELECT grid_code, COUNT(*) AS persons, 0 AS legal_entities, 0 AS houses FROM golden_person WHERE grid_code IS NOT NULL GROUP BY grid_code
                    UNION ALL
                    SELECT grid_code, 0, COUNT(*), 0 FROM golden_legal_entity WHERE grid_code IS NOT NULL GROUP BY grid_code
                    UNION ALL
                    SELECT grid_code, 0, 0, COUNT(*) FROM golden_house GROUP BY grid_code
                ) AS counts
                GROUP BY grid_code
                """,
                transaction: transaction,
                commandTimeout: 0,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
        }

        Invalidate();
    }

    /// <summary>
    /// Adds per-grid changes in counts (a golden record that moved grid: -1 in the old, +1 in the new) inside the
    /// caller's transaction: a single record's import cannot afford a recount of millions. Call
    /// <see cref="Invalidate"/> once the transaction has committed.
    /// </summary>
    public static async Task ApplyAsync(
        System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction,
        IReadOnlyDictionary<string, (long Persons, long LegalEntities)> changes,
        CancellationToken cancellationToken)
    {
        foreach (var (gridCode, change) in changes)
        {
            if (change is (0, 0))
            {
                continue;
            }

            var parameters = new { gridCode, persons = change.Persons, legalEntities = change.LegalEntities };
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE grid_tally SET persons = persons + @persons, legal_entities = legal_entities + @legalEntities WHERE grid_code = @gridCode",
                parameters, transaction, cancellationToken: cancellationToken));
            if (updated == 0)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO grid_tally (grid_code, persons, legal_entities, houses) VALUES (@gridCode, @persons, @legalEntities, 0)",
                    parameters, transaction, cancellationToken: cancellationToken));
            }
        }
    }

    /// <summary>Forgets the cached sums, so the next read sees changes applied by <see cref="ApplyAsync"/>.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _byCode = null;
    }

    private async Task<IReadOnlyDictionary<string, DivisionTally>> AllAsync(CancellationToken cancellationToken)
    {
        if (_byCode is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_byCode is { } loaded)
            {
                return loaded;
            }

            var generation = Interlocked.Read(ref _generation);
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            var grids = await connection.QueryAsync<(string GridCode, long Persons, long LegalEntities, long Houses)>(new CommandDefinition(
                "SELECT grid_code, persons, legal_entities, houses FROM grid_tally", cancellationToken: cancellationToken));
            var sums = new Dictionary<string, (long Persons, long LegalEntities, long Houses)>();
            foreach (var grid in grids)
            {
                foreach (var code in AncestorsAndSelf(grid.GridCode))
                {
                    var sum = sums.GetValueOrDefault(code);
                    sums[code] = (sum.Persons + grid.Persons, sum.LegalEntities + grid.LegalEntities, sum.Houses + grid.Houses);
                }
            }

            var result = sums.ToDictionary(pair => pair.Key, pair => new DivisionTally(pair.Key, pair.Value.Persons, pair.Value.LegalEntities, pair.Value.Houses));
            if (Interlocked.Read(ref _generation) == generation)
            {
                _byCode = result;
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A grid code and the codes of the community, street, district and city that hold it.</summary>
    private IEnumerable<string> AncestorsAndSelf(string gridCode)
    {
        for (var division = cityMap.Find(gridCode); division is not null; division = division.ParentCode is null ? null : cityMap.Find(division.ParentCode))
        {
            yield return division.Code;
        }
    }
}
