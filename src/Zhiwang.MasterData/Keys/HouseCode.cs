using System.Globalization;

namespace Zhiwang.MasterData.Keys;

/// <summary>Zhiwang's house code (房屋编码): building code, unit number and a check character.</summary>
/// <remarks>
/// Building code = 6-digit district code + 7-digit building serial (13 digits); house code = building
/// code + 4-digit unit number + a check character by ISO 7064 MOD 11-2 as in GB 11643, so the same
/// checker catches single-digit typos and adjacent transpositions in all three keys' numeric forms.
/// </remarks>
public static class HouseCode
{
    public const int Length = 18;
    public const int BuildingCodeLength = 13;

    public static string BuildingCode(string districtCode, int buildingSerial)
    {
        if (districtCode.Length != 6 || !districtCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A district code has 6 digits.", nameof(districtCode));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(buildingSerial);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(buildingSerial, 9_999_999);
        return string.Create(CultureInfo.InvariantCulture, $"{districtCode}{buildingSerial:0000000}");
    }

    public static string Build(string buildingCode, int unitNumber)
    {
        if (buildingCode.Length != BuildingCodeLength || !buildingCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("A building code has 13 digits.", nameof(buildingCode));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(unitNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unitNumber, 9999);
        var body = string.Create(CultureInfo.InvariantCulture, $"{buildingCode}{unitNumber:0000}");
        return body + IdNumber.CheckCharacter(body);
    }

    public static char CheckCharacter(ReadOnlySpan<char> body17) => IdNumber.CheckCharacter(body17);

    public static KeyValidation Validate(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.IsWhiteSpace())
        {
            return KeyValidation.Fail(KeyProblem.Missing, "the house code is empty");
        }

        if (value.Length != Length)
        {
            return KeyValidation.Fail(KeyProblem.Length, $"a house code has 18 characters, this one has {value.Length}");
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return KeyValidation.Fail(KeyProblem.Characters, $"character {i + 1} is '{value[i]}', not a digit 0-9");
            }
        }

        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X')
        {
            return KeyValidation.Fail(KeyProblem.Characters, $"the check character is '{value[17]}', not 0-9 or X");
        }

        var expected = CheckCharacter(value[..17]);
        if (value[17] != expected)
        {
            return KeyValidation.Fail(KeyProblem.CheckCharacter, $"the check character is '{value[17]}' but the digits give '{expected}'");
        }

        return KeyValidation.Valid;
    }

    public static bool IsValid(ReadOnlySpan<char> value) => Validate(value).IsValid;

    public static HouseCodeParts Parse(string value)
    {
        var validation = Validate(value);
        if (!validation.IsValid)
        {
            throw new FormatException($"Not a valid house code: {validation.Reason}.");
        }

        return new HouseCodeParts(
            value[..6],
            value[..BuildingCodeLength],
            int.Parse(value.AsSpan(6, 7), CultureInfo.InvariantCulture),
            int.Parse(value.AsSpan(13, 4), CultureInfo.InvariantCulture));
    }
}

public sealed record HouseCodeParts(string DistrictCode, string BuildingCode, int BuildingSerial, int UnitNumber);
