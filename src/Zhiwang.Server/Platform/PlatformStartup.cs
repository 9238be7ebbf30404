using System.Diagnostics;
using Microsoft.Extensions.Options;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Demo;
using Zhiwang.Geo;
using Zhiwang.MasterData.Hub;
using Zhiwang.MasterData.Seeding;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;
using Zhiwang.Synthetic;

namespace Zhiwang.Server.Platform;

/// <summary>
/// Runs before the host starts: brings every module's tables up to date and, on an
/// empty database, builds the synthetic demo city so a newcomer sees Shenzhen at once.
/// </summary>
internal sealed class PlatformStartup(
    Database database,
    CityMap cityMap,
    CityTallies tallies,
    CatalogueStore catalogues,
    DemoEvents demoEvents,
    IOptions<PlatformOptions> options,
    TimeProvider timeProvider,
    ILogger<PlatformStartup> logger)
{
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Database: {Database}", database.Description);
        var applied = await database.MigrateAsync(ModuleCatalog.Modules(), timeProvider, cancellationToken);
        foreach (var migration in applied)
        {
            logger.LogInformation("Applied migration {Module} {Version:D4}_{Name}", migration.Module, migration.Version, migration.Name);
        }

        var demo = options.Value.Demo;
        var demoEnabled = demo.Enabled ?? database.Provider == DatabaseProvider.Sqlite;
        if (demoEnabled && (await tallies.ForAsync(cityMap.City.Code, cancellationToken)).Persons == 0)
        {
            await BuildDemoCityAsync(demo, cancellationToken);
            // Events go through the real intake, which files them under the catalogue: load it first.
            await catalogues.LoadAsync(cancellationToken);
            var events = await demoEvents.SeedAsync(demo.Events, demo.Seed, cancellationToken);
            logger.LogInformation("Demo city: {Events:N0} events reported by grid workers, some handled and closed", events);
        }
    }

    private async Task BuildDemoCityAsync(DemoOptions demo, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var directory = Path.Combine(options.Value.DataDirectory, "demo-city");
        logger.LogInformation("Building a demo city of {Persons:N0} synthetic persons (seed {Seed}) in {Directory}", demo.Persons, demo.Seed, directory);

        var lastDecile = -1;
        var generationProgress = new SynchronousProgress<GenerationProgress>(p =>
        {
            var decile = (int)(p.PersonsWritten * 10 / Math.Max(1, p.PersonsTotal));
            if (decile > lastDecile)
            {
                lastDecile = decile;
                logger.LogInformation("Demo city: generated {Written:N0} of {Total:N0} persons", p.PersonsWritten, p.PersonsTotal);
            }
        });
        var summary = await CityGenerator.ForCity(cityMap).GenerateAsync(
            new SyntheticCityOptions { OutputDirectory = directory, Seed = demo.Seed, Persons = demo.Persons, Progress = generationProgress },
            cancellationToken);
        logger.LogInformation(
            "Demo city: {Persons:N0} persons, {Entities:N0} legal entities, {Houses:N0} houses written in {Seconds:F1} s; loading",
            summary.Persons,
            summary.LegalEntities,
            summary.Houses,
            started.Elapsed.TotalSeconds);

        // The registry (buildings, houses, components) is loaded as it is; persons and legal entities are built by
        // the hub from the department extracts, as they would be in production, so the map counts golden records.
        var loadProgress = new SynchronousProgress<CityLoadProgress>(p =>
            logger.LogInformation("Demo city: loaded {Rows:N0} rows of {File}", p.Rows, p.File));
        var lastReported = new Dictionary<string, long>(StringComparer.Ordinal);
        var importProgress = new SynchronousProgress<ExtractProgress>(p =>
        {
            var last = lastReported.GetValueOrDefault(p.File);
            if (p.Done || p.Rows - last >= 100_000)
            {
                lastReported[p.File] = p.Rows;
                logger.LogInformation("Demo city: {State} {Rows:N0} rows of {File} ({Department})", p.Done ? "imported" : "importing", p.Rows, p.File, p.Department);
            }
        });
        var import = await new ExtractImport(database, tallies, timeProvider).RunAsync(directory, importProgress, loadProgress, cancellationToken);
        foreach (var batch in import.Batches)
        {
            logger.LogInformation(
                "Demo city: {Department} {Rows:N0} rows, {Accepted:N0} accepted, {Rejected:N0} rejected; linked by key {Key:N0}, repaired key {Repaired:N0}, engine {Engine:N0}, new {New:N0}",
                batch.Department, batch.Rows, batch.Accepted, batch.Rejected, batch.LinkedByKey, batch.LinkedByRepairedKey, batch.LinkedByEngine, batch.New);
        }

        logger.LogInformation(
            "Demo city ready in {Seconds:F1} s: {Persons:N0} golden persons, {Entities:N0} golden legal entities, {Conflicts:N0} conflicts for the stewards",
            started.Elapsed.TotalSeconds, import.Golden.Persons, import.Golden.LegalEntities, import.Golden.Conflicts);
    }

    /// <summary>Reports on the caller's thread, so log lines come in order (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
