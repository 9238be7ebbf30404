using Dapper;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Intake;

/// <summary>
/// A standard house as a place: the house an address matched, its standard address, its building's point and grid, and
/// how it matched (<see cref="AddressMatch.QualityName"/>: exact or tolerant).
/// </summary>
public sealed record HousePlace(
    string HouseCode, string BuildingCode, string Address, double Longitude, double Latitude, string GridCode, string Match);

/// <summary>
/// The standard address base (标准地址库) as other modules ask it: where is this address. The match is made in memory
/// (<see cref="AddressIndex"/> over the golden houses), so a caller pays one query by primary key, for the matched
/// house's building, and nothing for an address that matches no house. The index is rebuilt when the house registry
/// has grown or shrunk; counting a million houses is not free and the registry changes only when it is loaded, so the
/// count is checked at most once every <see cref="Recheck"/> (on every call while there are none).
/// </summary>
public sealed class StandardAddressBase(Database database, TimeProvider timeProvider)
{
    private static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _gate = new(1, 1);

    // A reference, so a reader outside the gate sees a whole build or none (a struct this size could be read torn).
    private BuiltIndex? _addresses;

    /// <summary>The index as last built, or null before the first build (the server starts one in the background).</summary>
    public AddressIndex? Built => _addresses?.Index;

    /// <summary>
    /// The house <paramref name="address"/> matched and where its building is; <c>Loaded</c> is false when no house is
    /// loaded at all (then nothing can match).
    /// </summary>
    public async Task<(bool Loaded, HousePlace? Place)> LocateAsync(string address, CancellationToken cancellationToken)
    {
        var index = await IndexAsync(cancellationToken);
        if (index.Count == 0)
        {
            return (false, null);
        }

        if (index.Match(address) is not { HouseCode: { } houseCode } match)
        {
            return (true, null);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<HouseRow>(new CommandDefinition(
            """
            SELECT h.house_code AS HouseCode, h.building_code AS BuildingCode, h.address AS Address,
                   b.longitude AS Longitude, b.latitude AS Latitude, b.grid_code AS GridCode
            FROM golden_house h JOIN building b ON b.building_code = h.building_code
            WHERE h.house_code = @houseCode
            """,
            new { houseCode }, cancellationToken: cancellationToken));
        // A house removed since the index was built, or one whose building is not loaded, places nothing.
        return (true, row is null ? null : new HousePlace(row.HouseCode, row.BuildingCode, row.Address, row.Longitude, row.Latitude, row.GridCode, match.QualityName!));
    }

    /// <summary>
    /// The address index over the golden houses as they are now (at most <see cref="Recheck"/> old), built once and shared:
    /// callers arriving while it builds wait for that build rather than starting another.
    /// </summary>
    public async Task<AddressIndex> IndexAsync(CancellationToken cancellationToken)
    {
        if (_addresses is { } fresh && IsFresh(fresh))
        {
            return fresh.Index;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_addresses is { } built && IsFresh(built))
            {
                return built.Index;
            }

            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            var houses = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM golden_house", cancellationToken: cancellationToken));
            if (_addresses is { } cached && cached.Houses == houses)
            {
                _addresses = cached with { CheckedAt = timeProvider.GetUtcNow() };
                return cached.Index;
            }

            var rows = await connection.QueryAsync<(string HouseCode, string Address)>(new CommandDefinition(
                "SELECT house_code, address FROM golden_house", cancellationToken: cancellationToken));
            var index = new AddressIndex(rows);
            _addresses = new BuiltIndex(houses, index, timeProvider.GetUtcNow());
            return index;
        }
        finally
        {
            _gate.Release();
        }
    }

    // An empty registry is counted again on every call (cheap, and address-only reports find nothing then anyway), so houses
    // loaded just after a start, when the index was built over none, are used at once rather than a minute later.
    private bool IsFresh(BuiltIndex built) => built.Houses > 0 && timeProvider.GetUtcNow() - built.CheckedAt < Recheck;

    private sealed record BuiltIndex(long Houses, AddressIndex Index, DateTimeOffset CheckedAt);

    private sealed record HouseRow(string HouseCode, string BuildingCode, string Address, double Longitude, double Latitude, string GridCode);
}
