using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Hub;

/// <summary>What one mention in one source record says about one golden record; <paramref name="Order"/> ranks recency (later is larger).</summary>
internal sealed record Contribution(
    string GoldenId,
    string Department,
    string RecordId,
    string Role,
    IReadOnlyDictionary<string, string?> Fields,
    long Order);

/// <summary>Row order within the hub: batch first, then row, so "most recent" means the later file and the later row.</summary>
internal static class ContributionOrder
{
    public static long Of(long batchId, long row) => (batchId * 10_000_000_000L) + row;
}
