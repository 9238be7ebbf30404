using Zhiwang.Geo;
using Zhiwang.MasterData.Intake;
using Zhiwang.Synthetic;

namespace Zhiwang.MasterData.Tests.Intake;

/// <summary>
/// A 20,000-person synthetic Shenzhen generated once for the intake tests, with its extracts, truth and
/// standard addresses. Sheets hold 500 rows so the workbooks continue on 救助对象2, 商事主体2 ….
/// </summary>
public sealed class IntakeCity : IDisposable
{
    public const int RowsPerSheet = 500;

    public IntakeCity()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("zhiwang-intake-").FullName;
        CityGenerator.ForCity(CityMap.Shenzhen).GenerateAsync(
            new SyntheticCityOptions { OutputDirectory = Directory, Seed = 42, Persons = 20_000, MaxRowsPerSheet = RowsPerSheet },
            CancellationToken.None).GetAwaiter().GetResult();
        Addresses = AddressIndex.FromHousesCsv(Path.Combine(Directory, "houses.csv"));
    }

    public string Directory { get; }

    public AddressIndex Addresses { get; }

    public string Extract(string department) =>
        System.IO.Directory.GetFiles(Path.Combine(Directory, "extracts")).Single(file => FeedCatalog.Default.Match(file)?.Department == department);

    /// <summary>truth/&lt;department&gt;.csv by record id: id_number, credit_code, house_code, related_id_number.</summary>
    public Dictionary<string, string[]> Truth(string department) =>
        File.ReadLines(Path.Combine(Directory, "truth", department + ".csv")).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(fields => fields[0], fields => fields[1..]);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary directory is harmless.
        }
    }
}
