using System.Globalization;

namespace Zhiwang.MasterData.Keys;

/// <summary>The 18-character citizen ID number of GB 11643-1999 (身份证号).</summary>
/// <remarks>
/// Layout: 6-digit area code where the holder was first registered, 8-digit birth date (yyyyMMdd),
/// 3-digit sequence whose last digit is odd for men and even for women, and a check character by
/// ISO 7064 MOD 11-2 ('0'-'9' or 'X').
/// </remarks>
public static class IdNumber
{
    public const int Length = 18;

    // Weight of position i (0-based) is 2^(17-i) mod 11.
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckCharacters = "10X98765432";

    /// <summary>The check character for the first 17 digits of an ID number.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> body17)
    {
        if (body17.Length < 17)
        {
            throw new ArgumentException("An ID number body has 17 digits.", nameof(body17));
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var digit = body17[i] - '0';
            if ((uint)digit > 9)
            {
                throw new ArgumentException("An ID number body has only digits.", nameof(body17));
            }

            sum += digit * Weights[i];
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>The check character for a 17-digit body held as a number (fast path for generators).</summary>
    public static char CheckCharacter(long body17)
    {
        var sum = 0;
        for (var i = 16; i >= 0; i--)
        {
            sum += (int)(body17 % 10) * Weights[i];
            body17 /= 10;
        }

        return CheckCharacters[sum % 11];
    }

    /// <summary>Builds a full ID number from its parts, computing the check character.</summary>
    public static string Build(string areaCode, DateOnly birthDate, int sequence)
    {
        if (areaCode.Length != 6 || !areaCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("An area code has 6 digits.", nameof(areaCode));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 999);
        var body = string.Create(CultureInfo.InvariantCulture, $"{areaCode}{birthDate:yyyyMMdd}{sequence:000}");
        return body + CheckCharacter(body);
    }

    /// <summary>Whether the value is a well-formed ID number, and if not, what is wrong.</summary>
    public static KeyValidation Validate(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.IsWhiteSpace())
        {
            return KeyValidation.Fail(KeyProblem.Missing, "the ID number is empty");
        }

        if (value.Length != Length)
        {
            return KeyValidation.Fail(KeyProblem.Length, $"an ID number has 18 characters, this one has {value.Length}");
        }

        for (var i = 0; i < 17; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return KeyValidation.Fail(KeyProblem.Characters, $"character {i + 1} is '{value[i]}', not a digit 0-9");
            }
        }

        if (!char.IsAsciiDigit(value[17]) && value[17] != 'X' && value[17] != 'x')
        {
            return KeyValidation.Fail(KeyProblem.Characters, $"the check character is '{value[17]}', not 0-9 or X");
        }

        if (!IsProvinceCode(value[..2]))
        {
            return KeyValidation.Fail(KeyProblem.AreaCode, $"area code {value[..6].ToString()} names no province");
        }

        if (!TryBirthDate(value, out _))
        {
            return KeyValidation.Fail(KeyProblem.BirthDate, $"birth date {value.Slice(6, 8).ToString()} is not a real date");
        }

        var expected = CheckCharacter(value[..17]);
        if (char.ToUpperInvariant(value[17]) != expected)
        {
            return KeyValidation.Fail(KeyProblem.CheckCharacter, $"the check character is '{value[17]}' but the digits give '{expected}'");
        }

        return KeyValidation.Valid;
    }

    public static bool IsValid(ReadOnlySpan<char> value) => Validate(value).IsValid;

    /// <summary>Reads the parts of a valid ID number; throws <see cref="FormatException"/> with the reason otherwise.</summary>
    public static IdNumberParts Parse(string value)
    {
        var validation = Validate(value);
        if (!validation.IsValid)
        {
            throw new FormatException($"Not a valid ID number: {validation.Reason}.");
        }

        TryBirthDate(value, out var birthDate);
        var sequence = (value[14] - '0') * 100 + (value[15] - '0') * 10 + (value[16] - '0');
        return new IdNumberParts(value[..6], birthDate, sequence, sequence % 2 == 1 ? Sex.Male : Sex.Female);
    }

    // GB/T 2260 province-level codes, plus 83 used by residence permits of Taiwan residents.
    internal static bool IsProvinceCode(ReadOnlySpan<char> code) => (code[0] - '0') * 10 + (code[1] - '0') is
        >= 11 and <= 15 or >= 21 and <= 23 or >= 31 and <= 37 or >= 41 and <= 46 or >= 50 and <= 54
        or >= 61 and <= 65 or 71 or 81 or 82 or 83;

    private static bool TryBirthDate(ReadOnlySpan<char> value, out DateOnly birthDate) =>
        DateOnly.TryParseExact(value.Slice(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out birthDate)
        && birthDate.Year >= 1850;
}

/// <summary>Sex as carried by the ID number's sequence digit.</summary>
public enum Sex
{
    Female = 0,
    Male = 1,
}

/// <summary>The parts of an ID number.</summary>
public sealed record IdNumberParts(string AreaCode, DateOnly BirthDate, int Sequence, Sex Sex);
