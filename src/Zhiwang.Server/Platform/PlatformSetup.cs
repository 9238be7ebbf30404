using Microsoft.Extensions.Options;
using Zhiwang.Geo;
using Zhiwang.MasterData.Seeding;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.Server.Platform;

public static class PlatformSetup
{
    /// <summary>
    /// The database (chosen by <c>ConnectionStrings:Zhiwang</c>; empty means SQLite under the data directory),
    /// the city's hierarchy, the golden-record tallies, and start-up work: migrations and the demo city.
    /// </summary>
    public static IServiceCollection AddPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PlatformOptions>(configuration.GetSection(PlatformOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PlatformOptions>>().Value;
            return Database.FromConnectionString(configuration.GetConnectionString("Zhiwang"), options.DataDirectory);
        });
        services.AddSingleton(_ => CityMap.Shenzhen);
        services.AddSingleton<CityTallies>();
        services.AddSingleton<CityFileLoader>();

        // Registered first so it runs before every other module's start-up work.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, PlatformStartup>());
        return services;
    }
}
