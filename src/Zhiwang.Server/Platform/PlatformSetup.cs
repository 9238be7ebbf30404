using Microsoft.AspNetCore.DataProtection;
using Zhiwang.Server.Health;
using Zhiwang.Geo;
using Zhiwang.MasterData.Seeding;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.Server.Platform;

public static class PlatformSetup
{
    /// <summary>
    /// The database (chosen by <c>ConnectionStrings:Zhiwang</c>; empty means SQLite under the data directory),
    /// the city's hierarchy, the golden-record tallies, and the start-up work <see cref="PrepareAsync"/> does: migrations and the demo city.
    /// </summary>
    public static IServiceCollection AddPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(PlatformOptions.Section);
        services.Configure<PlatformOptions>(section);
        var dataDirectory = (section.Get<PlatformOptions>() ?? new PlatformOptions()).DataDirectory;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(_ => Database.FromConnectionString(configuration.GetConnectionString("Zhiwang"), dataDirectory));

        // Sign-in cookies are sealed with these keys: keep them beside the database so a restart does not
        // sign everyone out. Several servers behind a balancer must share this folder (see OPERATIONS.md).
        services.AddDataProtection()
            .SetApplicationName("Zhiwang")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")));
        services.AddSingleton(_ => CityMap.Shenzhen);
        services.AddSingleton<CityTallies>();
        services.AddSingleton<CityFileLoader>();
        services.AddSingleton<PlatformStartup>();
        services.AddSingleton<DatabasePing>(provider => provider.GetRequiredService<Database>().PingAsync);
        services.AddHostedService<SqliteCheckpointing>();
        return services;
    }

    /// <summary>
    /// Brings the database up to date and builds the demo city when it is empty, before the host starts
    /// (and so before any module's own start-up work or the first request).
    /// </summary>
    public static Task PrepareAsync(this WebApplication app, CancellationToken cancellationToken) =>
        app.Services.GetRequiredService<PlatformStartup>().PrepareAsync(cancellationToken);
}
