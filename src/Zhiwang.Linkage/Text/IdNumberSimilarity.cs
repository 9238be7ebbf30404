using System.Globalization;

namespace Zhiwang.Linkage.Text;

/// <summary>How two GB 11643 ID numbers relate.</summary>
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

/// <summary>
/// Recognises the typing errors of GB 11643-1999 ID numbers (身份证号) by their ISO 7064 MOD 11-2
/// check character, and proposes the valid numbers one edit away from a mistyped one.
/// </summary>
/// <remarks>
/// A value is valid when it has 17 digits and a check character ('0'-'9' or 'X') that matches them,
/// a province-level area code and a real birth date (year 1850 or later), as the master data checks
/// it. MOD 11-2 catches every single substitution and every adjacent transposition, so when exactly
/// one side is valid the other's error can be named. Two different valid numbers are always
/// <see cref="IdNumberRelation.Different"/>, even one digit apart: each is a number the state issued,
/// and a typo that lands on another valid number is ten times less likely than two real people, so
/// merging them would join two people on a guess.
/// </remarks>
public static class IdNumberSimilarity
{
    public const int Length = 18;

    private const string CheckCharacters = "10X98765432";

    // Weight of position i (0-based) is 2^(17-i) mod 11.
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Folds both (full-width digits, lower-case x) and classifies their relation.</summary>
    public static IdNumberRelation Compare(string? a, string? b)
    {
        var x = Fold(a);
        var y = Fold(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return IdNumberRelation.Missing;
        }

        if (x == y)
        {
            return IdNumberRelation.Exact;
        }

        var xValid = IsValidFolded(x);
        var yValid = IsValidFolded(y);

        // Both valid: two issued numbers, two people. Neither valid: no anchor to say which is right.
        if (xValid == yValid)
        {
            return IdNumberRelation.Different;
        }

        return xValid ? Relate(x, y) : Relate(y, x);
    }

    /// <summary>Whether the value, folded, is a valid ID number (format, area, birth date and check character).</summary>
    public static bool IsValid(string? value) => IsValidFolded(Fold(value));

    /// <summary>The check character ('0'-'9' or 'X') for the first 17 digits of an ID number.</summary>
    public static char CheckCharacter(ReadOnlySpan<char> body17)
    {
        if (body17.Length < 17)
        {
            throw new ArgumentException($"An ID number body has 17 digits, this one has {body17.Length} characters.", nameof(body17));
        }

        return TryCheckCharacter(body17, out var check)
            ? check
            : throw new ArgumentException("An ID number body has only the digits 0-9.", nameof(body17));
    }

    /// <summary>
    /// The comparison form of an ID number: trimmed, inner whitespace removed, full-width digits and
    /// letters to ASCII, x to X. Empty for null or blank.
    /// </summary>
    public static string Fold(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var needsWork = false;
        foreach (var c in value)
        {
            if (c is not (>= '0' and <= '9' or 'X'))
            {
                needsWork = true;
                break;
            }
        }

        if (!needsWork)
        {
            return value;
        }

        Span<char> buffer = value.Length <= 64 ? stackalloc char[64] : new char[value.Length];
        var length = 0;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            var ascii = c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c;
            buffer[length++] = ascii == 'x' ? 'X' : ascii;
        }

        return new string(buffer[..length]);
    }

    /// <summary>
    /// Valid ID numbers one edit away from an invalid one, the likeliest edits first: the check
    /// character recomputed, two adjacent characters swapped, one digit replaced, one digit inserted
    /// (a 17-character value) or one removed (a 19-character value). Empty for a valid or blank value.
    /// </summary>
    /// <remarks>
    /// Generated lazily and without duplicates; at most 36 candidates for an 18-character value and
    /// 19 for a 17- or 19-character one, since MOD 11-2 leaves at most one digit per position that fits.
    /// The hub looks each up in its key index: one found is the number the clerk meant to type.
    /// </remarks>
    public static IEnumerable<string> Repairs(string? invalid)
    {
        var value = Fold(invalid);
        return value.Length == 0 || IsValidFolded(value) ? [] : RepairsOf(value);
    }

    private static IEnumerable<string> RepairsOf(string value)
    {
        var candidate = new char[Length];
        if (value.Length == Length)
        {
            if (TryCheckCharacter(value.AsSpan(0, 17), out var check))
            {
                value.CopyTo(candidate);
                candidate[17] = check;
                if (IsValidFolded(candidate))
                {
                    yield return new string(candidate);
                }
            }

            for (var i = 0; i < Length - 1; i++)
            {
                if (value[i] == value[i + 1])
                {
                    continue;
                }

                value.CopyTo(candidate);
                (candidate[i], candidate[i + 1]) = (candidate[i + 1], candidate[i]);
                if (IsValidFolded(candidate))
                {
                    yield return new string(candidate);
                }
            }

            for (var i = 0; i < 17; i++)
            {
                value.CopyTo(candidate);
                for (var digit = '0'; digit <= '9'; digit++)
                {
                    if (digit == value[i])
                    {
                        continue;
                    }

                    candidate[i] = digit;
                    if (IsValidFolded(candidate))
                    {
                        yield return new string(candidate);
                    }
                }
            }
        }
        else if (value.Length == Length - 1)
        {
            for (var i = 0; i <= value.Length; i++)
            {
                value.AsSpan(0, i).CopyTo(candidate);
                value.AsSpan(i).CopyTo(candidate.AsSpan(i + 1));
                if (i == value.Length)
                {
                    // The check character itself was left off; when it equals the last digit, the
                    // insertion before that digit already gave this number.
                    if (TryCheckCharacter(candidate.AsSpan(0, 17), out var check) && (check != value[^1] || check == 'X'))
                    {
                        candidate[17] = check;
                        if (IsValidFolded(candidate))
                        {
                            yield return new string(candidate);
                        }
                    }

                    continue;
                }

                for (var digit = '0'; digit <= '9'; digit++)
                {
                    // Inserting the digit that precedes position i gives the same number as inserting it one earlier.
                    if (i > 0 && value[i - 1] == digit)
                    {
                        continue;
                    }

                    candidate[i] = digit;
                    if (IsValidFolded(candidate))
                    {
                        yield return new string(candidate);
                    }
                }
            }
        }
        else if (value.Length == Length + 1)
        {
            for (var i = 0; i < value.Length; i++)
            {
                if (i > 0 && value[i - 1] == value[i])
                {
                    continue;
                }

                value.AsSpan(0, i).CopyTo(candidate);
                value.AsSpan(i + 1).CopyTo(candidate.AsSpan(i));
                if (IsValidFolded(candidate))
                {
                    yield return new string(candidate);
                }
            }
        }
    }

    private static IdNumberRelation Relate(string valid, string other)
    {
        if (other.Length == Length)
        {
            var first = -1;
            var second = -1;
            for (var i = 0; i < Length; i++)
            {
                if (valid[i] == other[i])
                {
                    continue;
                }

                if (first < 0)
                {
                    first = i;
                }
                else if (second < 0)
                {
                    second = i;
                }
                else
                {
                    return IdNumberRelation.Different;
                }
            }

            if (second < 0)
            {
                return first == Length - 1 ? IdNumberRelation.WrongCheckCharacter : IdNumberRelation.OneDigitTypo;
            }

            return second == first + 1 && valid[first] == other[second] && valid[second] == other[first]
                ? IdNumberRelation.AdjacentTransposition
                : IdNumberRelation.Different;
        }

        if (other.Length == Length - 1)
        {
            // other is valid with one character dropped: equal up to some position, then shifted by one.
            var i = 0;
            while (i < other.Length && valid[i] == other[i])
            {
                i++;
            }

            return valid.AsSpan(i + 1).SequenceEqual(other.AsSpan(i))
                ? IdNumberRelation.OneDigitMissing
                : IdNumberRelation.Different;
        }

        return IdNumberRelation.Different;
    }

    private static bool IsValidFolded(ReadOnlySpan<char> value) =>
        value.Length == Length
        && TryCheckCharacter(value[..17], out var check)
        && value[17] == check
        && IsProvinceCode((value[0] - '0') * 10 + (value[1] - '0'))
        && IsBirthDate(value.Slice(6, 8));

    private static bool TryCheckCharacter(ReadOnlySpan<char> body17, out char check)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var digit = body17[i] - '0';
            if ((uint)digit > 9)
            {
                check = '\0';
                return false;
            }

            sum += digit * Weights[i];
        }

        check = CheckCharacters[sum % 11];
        return true;
    }

    // GB/T 2260 province-level codes, plus 83 used by residence permits of Taiwan residents.
    private static bool IsProvinceCode(int code) => code is
        >= 11 and <= 15 or >= 21 and <= 23 or >= 31 and <= 37 or >= 41 and <= 46 or >= 50 and <= 54
        or >= 61 and <= 65 or 71 or 81 or 82 or 83;

    private static bool IsBirthDate(ReadOnlySpan<char> yyyyMMdd) =>
        DateOnly.TryParseExact(yyyyMMdd, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
        && date.Year >= 1850;
}
