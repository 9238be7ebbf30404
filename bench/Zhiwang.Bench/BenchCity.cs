using Zhiwang.Geo;
using Zhiwang.Synthetic;

namespace Zhiwang.Bench;

/// <summary>The synthetic city the benches read: generated once per folder (seed 42) and reused by later runs.</summary>
public static class BenchCity
{
    /// <summary>Where a bench keeps its N-person city unless told otherwise; hub-accuracy and intake share it.</summary>
    public static string DefaultDirectory(int persons) => Path.Combine(Path.GetTempPath(), $"zhiwang-hub-{persons}");

    /// <summary>Deletes a SQLite database file with its write-ahead log and shared-memory index.</summary>
    public static void DeleteSqliteFiles(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Generates the city into <paramref name="directory"/> unless a finished one is there already.</summary>
    public static async Task EnsureAsync(string directory, int persons, CancellationToken cancellationToken)
    {
        // The generator writes the truth files last, so the last of them marks a finished city.
        if (File.Exists(Path.Combine(directory, "truth", "housing_rental.csv")))
        {
            return;
        }

        // On stderr: linkage-scale prints a table on stdout between cities.
        await Console.Error.WriteLineAsync($"Generating {persons:N0} persons into {directory}");
        await CityGenerator.ForCity(CityMap.Shenzhen).GenerateAsync(
            new SyntheticCityOptions { OutputDirectory = directory, Seed = 42, Persons = persons }, cancellationToken);
    }
}
