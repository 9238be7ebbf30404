namespace Zhiwang.Events.Intake;

/// <summary>
/// Where a written address is, as the city's standard address base (标准地址库) knows it. The master data hub owns the
/// base; Events only asks, so the host supplies it (the server: from MasterData's golden houses and buildings).
/// </summary>
public interface IAddressBase
{
    /// <summary>The standard house the address matched and its building's point, or why there is none.</summary>
    Task<AddressLookup> LocateAsync(string address, CancellationToken cancellationToken);
}

/// <summary>
/// Whether golden records exist, as the master data hub knows them. Asked for a whole intake batch at once, so its cost is
/// one query per kind, not one per link.
/// </summary>
public interface IGoldenRecords
{
    /// <summary>The links among <paramref name="links"/> whose golden record does not exist.</summary>
    Task<IReadOnlySet<(string Kind, string GoldenId)>> UnknownAsync(
        IReadOnlyCollection<(string Kind, string GoldenId)> links, CancellationToken cancellationToken);
}

/// <summary>
/// The point an address was placed at: its standard house, that house's building (whose point and grid the event takes)
/// and how the address matched (<c>exact</c>, or <c>tolerant</c> of a missing district or a road spelled otherwise).
/// </summary>
public sealed record AddressPlace(double Lat, double Lon, string GridCode, string HouseCode, string BuildingCode, string StandardAddress, string Match);

/// <summary>What the address base answered: a place, no match, or no base to ask (no houses loaded).</summary>
public sealed record AddressLookup(bool BaseLoaded, AddressPlace? Place)
{
    public static readonly AddressLookup NoBase = new(false, null);

    public static readonly AddressLookup Unmatched = new(true, null);

    public static AddressLookup Matched(AddressPlace place) => new(true, place);
}

/// <summary>A report refused by a check only the intake batch can make (a link to a golden record that does not exist).</summary>
public sealed class ReportRefusedException(IReadOnlyList<ReportProblem> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<ReportProblem> Problems { get; } = problems;
}
