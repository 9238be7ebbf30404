namespace Zhiwang.Synthetic;

/// <summary>What city to generate and where to write it. Same seed and persons give byte-identical files.</summary>
public sealed record SyntheticCityOptions
{
    public required string OutputDirectory { get; init; }

    public long Seed { get; init; } = 42;

    public int Persons { get; init; } = 100_000;

    /// <summary>Told after each batch of chunks is written.</summary>
    public IProgress<GenerationProgress>? Progress { get; init; }

    /// <summary>Threads for generation and formatting; the output does not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public NoiseRates Noise { get; init; } = NoiseRates.Documented;

    /// <summary>Rows per xlsx sheet before a new sheet starts; Excel's limit unless a test wants to see the roll-over.</summary>
    public int MaxRowsPerSheet { get; init; } = Output.OutputFileWriter.MaxRowsPerSheet;
}

/// <summary>How far generation is: persons written out of the total.</summary>
public sealed record GenerationProgress(long PersonsWritten, long PersonsTotal);

/// <summary>What was written: rows per file (relative path), and the city's main counts.</summary>
public sealed record GenerationSummary(
    long Persons,
    long LegalEntities,
    long Buildings,
    long Houses,
    long CityComponents,
    long Grids,
    IReadOnlyDictionary<string, long> RowsByFile);
