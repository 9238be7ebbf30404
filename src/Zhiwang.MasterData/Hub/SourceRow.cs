using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Hub;

/// <summary>One row of a department file as the hub receives it: an accepted record, or the reason it was refused.</summary>
public sealed record SourceRow(ParsedRecord? Record, RowError? Error)
{
    public static SourceRow Accepted(ParsedRecord record) => new(record, null);

    public static SourceRow Rejected(RowError error) => new(null, error);
}
