namespace Zhiwang.Synthetic;

/// <summary>
/// How often department extracts carry each kind of error real department data has (rates per row,
/// or per key value). docs/SYNTHETIC.md explains each; tests check the extracts against them.
/// </summary>
/// <param name="NameTypo">A given-name character replaced by another.</param>
/// <param name="NameVariant">A traditional or same-sound character (陈→陳, 伟→偉/玮).</param>
/// <param name="KeyMissing">The ID number, credit code or house code left blank.</param>
/// <param name="KeyFullWidth">Digits typed as full-width characters (４４０３…).</param>
/// <param name="KeyTransposed">Two adjacent different characters swapped.</param>
/// <param name="KeyDigitMissing">One character dropped.</param>
/// <param name="KeyWrongCheck">The check character wrong.</param>
/// <param name="PhoneFullWidth">A phone number in full-width digits.</param>
/// <param name="StaleAddress">The previous address instead of the current one.</param>
/// <param name="DateFormatVariant">A date in another format than the department's usual one.</param>
/// <param name="Duplicate">The row entered twice, the copy with its own record id and errors of its own.</param>
public sealed record NoiseRates(
    double NameTypo,
    double NameVariant,
    double KeyMissing,
    double KeyFullWidth,
    double KeyTransposed,
    double KeyDigitMissing,
    double KeyWrongCheck,
    double PhoneFullWidth,
    double StaleAddress,
    double DateFormatVariant,
    double Duplicate)
{
    /// <summary>The rates docs/SYNTHETIC.md documents.</summary>
    public static NoiseRates Documented { get; } = new(
        NameTypo: 0.01,
        NameVariant: 0.02,
        KeyMissing: 0.02,
        KeyFullWidth: 0.01,
        KeyTransposed: 0.005,
        KeyDigitMissing: 0.005,
        KeyWrongCheck: 0.005,
        PhoneFullWidth: 0.01,
        StaleAddress: 0.03,
        DateFormatVariant: 0.05,
        Duplicate: 0.01);

    /// <summary>Clean extracts, for tests that need exact agreement.</summary>
    public static NoiseRates None { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Share of key values that differ from the truth.</summary>
    public double KeyError => KeyMissing + KeyFullWidth + KeyTransposed + KeyDigitMissing + KeyWrongCheck;

    /// <summary>Share of names that differ from the truth.</summary>
    public double NameError => NameTypo + NameVariant;
}
