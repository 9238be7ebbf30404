using System.Runtime.CompilerServices;
using Dapper;
using Zhiwang.MasterData.Intake;
using Zhiwang.MasterData.Seeding;
using Zhiwang.MasterData.Tallies;
using Zhiwang.Storage;

namespace Zhiwang.MasterData.Hub;

/// <summary>How far an extract import has come: the file, the rows read of it, and its size in bytes when known.</summary>
public sealed record ExtractProgress(string File, string Department, long Rows, long Bytes, long? TotalBytes, bool Done);

/// <summary>What a whole extract import did.</summary>
public sealed record ExtractImportSummary(IReadOnlyList<ImportBatchSummary> Batches, GoldenSummary Golden, IReadOnlyList<string> UnmatchedFiles);

/// <summary>
/// Imports a city directory's department extracts (<c>D/extracts</c>) through the hub: the registry files in D first
/// when present (buildings, houses, components: the house-code and standard-address registry), then every file a
/// feed declaration covers, authoritative departments first so records without a usable key meet keyed ones.
/// </summary>
public sealed class ExtractImport(Database database, CityTallies tallies, TimeProvider timeProvider)
{
    /// <summary>Departments whose records carry the keys and the authoritative values go first.</summary>
    public static readonly IReadOnlyList<string> DepartmentOrder =
        [SourceOfTruth.PublicSecurity, SourceOfTruth.MarketRegulation, SourceOfTruth.Tax, "social_insurance", SourceOfTruth.HousingRental, "civil_affairs", "education", "health"];

    public async Task<ExtractImportSummary> RunAsync(
        string cityDirectory, IProgress<ExtractProgress>? progress, IProgress<CityLoadProgress>? registryProgress, CancellationToken cancellationToken)
    {
        var extracts = Path.Combine(cityDirectory, "extracts");
        if (!Directory.Exists(extracts))
        {
            throw new DataFileException(extracts, 0, null, "there is no extracts folder to import");
        }

        if (CityFileTable.All.All(table => File.Exists(Path.Combine(cityDirectory, table.FileName))))
        {
            await new CityFileLoader(database, tallies).LoadAsync(cityDirectory, registryProgress, cancellationToken);
        }

        var housesFile = Path.Combine(cityDirectory, "houses.csv");
        var addresses = File.Exists(housesFile) ? AddressIndex.FromHousesCsv(housesFile) : await AddressIndexFromRegistryAsync(cancellationToken);

        var catalog = FeedCatalog.Default;
        var files = Directory.EnumerateFiles(extracts, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var unmatched = files.Where(f => catalog.Match(f) is null).Select(Path.GetFileName).OfType<string>().ToList();
        var matched = files
            .Select(f => (Path: f, Feed: catalog.Match(f)))
            .Where(f => f.Feed is not null)
            .OrderBy(f => Rank(f.Feed!.Department))
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

        var import = await HubImport.StartAsync(database, timeProvider, tallies, cancellationToken);
        foreach (var (path, feed) in matched)
        {
            var name = Path.GetFileName(path);
            var total = new FileInfo(path).Length;
            var feedProgress = progress is null ? null : new ImmediateProgress<FeedProgress>(p => progress.Report(new ExtractProgress(name, feed!.Department, p.Rows, p.Bytes, p.TotalBytes ?? total, false)));
            var rows = Rows(FeedReader.ReadAsync(feed!, path, addresses, feedProgress, cancellationToken), cancellationToken);
            var summary = await import.ImportFileAsync(feed!.Department, name, rows, null, cancellationToken);
            progress?.Report(new ExtractProgress(name, feed.Department, summary.Rows, total, total, true));
        }

        var golden = await import.CompleteAsync(cancellationToken);
        return new ExtractImportSummary(golden.Batches, golden, unmatched);
    }

    private static int Rank(string department)
    {
        var index = DepartmentOrder.ToList().IndexOf(department);
        return index < 0 ? DepartmentOrder.Count : index;
    }

    private static async IAsyncEnumerable<SourceRow> Rows(IAsyncEnumerable<FeedRow> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            yield return new SourceRow(row.Record, row.Error);
        }
    }

    private async Task<AddressIndex> AddressIndexFromRegistryAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        var houses = await connection.QueryAsync<(string HouseCode, string Address)>(new CommandDefinition(
            "SELECT house_code, address FROM golden_house", cancellationToken: cancellationToken));
        return new AddressIndex(houses);
    }
}
