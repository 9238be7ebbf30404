namespace Zhiwang.MasterData.Search;

/// <summary>
/// Where a reader may look: a division code, containing the golden records whose grid code starts with it. The city
/// (440300) contains every record, including those not yet placed in a grid; any other scope only placed records.
/// </summary>
public sealed record RecordScope
{
    public const string City = "440300";

    public RecordScope(string code)
    {
        if (string.IsNullOrWhiteSpace(code) || !code.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"'{code}' is not a division code.", nameof(code));
        }

        Code = code;
    }

    public string Code { get; }

    public bool IsCity => Code == City;

    public bool Contains(string? gridCode) => IsCity || (gridCode is not null && gridCode.StartsWith(Code, StringComparison.Ordinal));

    /// <summary>The SQL condition on a grid-code column; the scope's code and length go in as <c>@scopeCode</c> and <c>@scopeLength</c>.</summary>
    internal string Condition(string column) => IsCity ? "1 = 1" : $"substr({column}, 1, @scopeLength) = @scopeCode";

    internal int Length => Code.Length;
}
