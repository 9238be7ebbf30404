namespace Zhiwang.MasterData;

/// <summary>
/// Passes each report on at once, on the thread that reports it, in order. <see cref="Progress{T}"/> would post
/// reports to the thread pool, where they arrive late and out of order (a progress bar going backwards).
/// </summary>
public sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
