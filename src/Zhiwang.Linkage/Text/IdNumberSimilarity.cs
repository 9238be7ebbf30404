namespace Zhiwang.Linkage.Text;

/// <summary>How two GB 11643 ID numbers relate (filled in by the Chinese-text work).</summary>
public enum IdNumberRelation
{
    Missing,
    Exact,
    WrongCheckCharacter,
    AdjacentTransposition,
    OneDigitTypo,
    OneDigitMissing,
    Different,
}

public static class IdNumberSimilarity
{
    /// <summary>Folds both (full-width digits, lower-case x) and classifies their relation.</summary>
    public static IdNumberRelation Compare(string? a, string? b) => throw new NotImplementedException();
}
