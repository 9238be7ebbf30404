using System.Diagnostics;
using Zhiwang.Geo;
using Zhiwang.Testing;

namespace Zhiwang.Synthetic.Tests;

/// <summary>
/// A city generated on the real Shenzhen map passes bench/verify/check_city.py: checksums, uniqueness,
/// references and containment recomputed in Python from the standards, sharing no code with the generator.
/// </summary>
public sealed class IndependentCheckTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("zhiwang-independent-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public async Task A_generated_Shenzhen_passes_the_independent_checksum_and_containment_check()
    {
        var python = FindOnPath("python3");
        TestEnvironment.Require(python is not null, "python3");
        await CityGenerator.ForCity(CityMap.Shenzhen).GenerateAsync(
            new SyntheticCityOptions { OutputDirectory = _directory, Seed = 11, Persons = 20_000 },
            CancellationToken.None);

        var start = new ProcessStartInfo(python!, [Path.Combine(RepositoryRoot(), "bench", "verify", "check_city.py"), _directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        var report = await output + await error;
        process.ExitCode.ShouldBe(0, report);
        report.ShouldContain(": OK");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zhiwang.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The test is not running inside the repository.");
    }
}
