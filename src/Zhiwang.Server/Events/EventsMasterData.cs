using Microsoft.Extensions.DependencyInjection.Extensions;
using Zhiwang.Events.Intake;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Search;

namespace Zhiwang.Server.Events;

/// <summary>
/// What Events' intake asks of the master data hub, answered by MasterData. Events may not reference MasterData (see the
/// module-boundary test), so the server composes the two here.
/// </summary>
public static class EventsMasterData
{
    /// <summary>
    /// The standard address base and the golden records, as Events' <see cref="IAddressBase"/> and
    /// <see cref="IGoldenRecords"/>; the address base's index is built in the background at start.
    /// </summary>
    public static IServiceCollection AddEventsMasterData(this IServiceCollection services)
    {
        services.TryAddSingleton<StandardAddressBase>(); // also MasterData's feed submissions', so one index serves both
        services.TryAddSingleton<GoldenRecordIds>();
        services.TryAddSingleton<IAddressBase, AddressBase>();
        services.TryAddSingleton<IGoldenRecords, GoldenRecords>();
        services.AddHostedService<AddressBaseWarmUp>();
        return services;
    }

    private sealed class AddressBase(StandardAddressBase addresses) : IAddressBase
    {
        public async Task<AddressLookup> LocateAsync(string address, CancellationToken cancellationToken)
        {
            var (loaded, place) = await addresses.LocateAsync(address, cancellationToken);
            return !loaded ? AddressLookup.NoBase
                : place is null ? AddressLookup.Unmatched
                : AddressLookup.Matched(new AddressPlace(
                    place.Latitude, place.Longitude, place.GridCode, place.HouseCode, place.BuildingCode, place.Address, place.Match));
        }
    }

    private sealed class GoldenRecords(GoldenRecordIds ids) : IGoldenRecords
    {
        public Task<IReadOnlySet<(string Kind, string GoldenId)>> UnknownAsync(
            IReadOnlyCollection<(string Kind, string GoldenId)> links, CancellationToken cancellationToken) =>
            ids.UnknownAsync(links, cancellationToken);
    }
}
