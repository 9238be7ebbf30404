namespace Zhiwang.Linkage;

/// <summary>How a batch step runs: threads, progress reports and cancellation.</summary>
public sealed record LinkageOptions
{
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    public IProgress<LinkageProgress>? Progress { get; init; }

    /// <summary>What the run left out and why (a blocking rule's block above the size cap), one line each.</summary>
    public IProgress<string>? Warnings { get; init; }

    public CancellationToken CancellationToken { get; init; }
}

/// <summary>A progress report: the stage ("u from random pairs", "EM", "scoring rule 2/4", "clustering") and how far it is.</summary>
public sealed record LinkageProgress(string Stage, long Done, long Total);
