using Zhiwang.Linkage.Text;

namespace Zhiwang.MasterData.Intake;

/// <summary>Cleansing of single values: keys, phones, names, addresses, sex.</summary>
public static class FieldText
{
    /// <summary>
    /// A key (ID number, credit code, house code) as the hub keeps it: full-width characters folded, spaces and
    /// dashes dropped, letters upper case. <paramref name="change"/> says what was done, null when nothing was.
    /// </summary>
    public static string FoldKey(string value, out string? change)
    {
        change = null;
        var clean = true;
        foreach (var c in value)
        {
            if (!(char.IsAsciiDigit(c) || char.IsAsciiLetterUpper(c)))
            {
                clean = false;
                break;
            }
        }

        if (clean)
        {
            return value;
        }

        var fullWidth = false;
        var lower = false;
        var dropped = false;
        Span<char> buffer = value.Length <= 64 ? stackalloc char[value.Length] : new char[value.Length];
        var n = 0;
        foreach (var raw in value)
        {
            var c = raw;
            if (c is >= '\uFF01' and <= '\uFF5E')
            {
                c = (char)(c - 0xFEE0);
                fullWidth = true;
            }

            if (char.IsWhiteSpace(c) || c is '-' or '\u3000')
            {
                dropped = true;
                continue;
            }

            if (char.IsAsciiLetterLower(c))
            {
                c = char.ToUpperInvariant(c);
                lower = true;
            }

            buffer[n++] = c;
        }

        change = (fullWidth, lower, dropped) switch
        {
            (true, _, _) => "full-width characters folded",
            (_, true, _) => "lower-case letters raised",
            (_, _, true) => "spaces dropped",
            _ => null,
        };
        return change is null ? value : new string(buffer[..n]);
    }

    /// <summary>A phone number as 11 ASCII digits when it is one (full-width folded, spaces, dashes and +86 dropped); else the folded text and false.</summary>
    public static bool TryPhone(string value, out string phone, out string? change)
    {
        change = null;
        if (value.Length == 11 && value[0] == '1' && IsAsciiDigits(value))
        {
            phone = value;
            return true;
        }

        Span<char> buffer = value.Length <= 64 ? stackalloc char[value.Length] : new char[value.Length];
        var n = 0;
        var fullWidth = false;
        foreach (var raw in value)
        {
            var c = raw;
            if (c is >= '\uFF10' and <= '\uFF19' or '\uFF0B')
            {
                c = (char)(c - 0xFEE0);
                fullWidth = true;
            }

            if (char.IsWhiteSpace(c) || c is '-' or '\u3000' or '(' or ')')
            {
                continue;
            }

            buffer[n++] = c;
        }

        var digits = buffer[..n];
        if (digits.StartsWith("+86") || (digits.Length == 13 && digits.StartsWith("86")))
        {
            digits = digits[(digits[0] == '+' ? 3 : 2)..];
        }

        phone = new string(digits);
        change = fullWidth ? "full-width digits folded" : "separators dropped";
        return digits.Length == 11 && digits[0] == '1' && IsAsciiDigits(digits);
    }

    /// <summary>A name folded (full-width, traditional → simplified); spaces dropped when it is Chinese ("张 伟" is 张伟, "Li Na" keeps its space).</summary>
    public static string FoldName(string value)
    {
        var folded = ChineseText.Fold(value);
        if (!folded.Contains(' ', StringComparison.Ordinal) || !HasHan(folded))
        {
            return folded;
        }

        return folded.Replace(" ", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>An address folded, with every space dropped: Chinese addresses have none that matter.</summary>
    public static string FoldAddress(string value)
    {
        var folded = ChineseText.Fold(value);
        return folded.Contains(' ', StringComparison.Ordinal) ? folded.Replace(" ", string.Empty, StringComparison.Ordinal) : folded;
    }

    /// <summary>男/女 (and male/female, M/F) as the hub's male/female, or null.</summary>
    public static string? Sex(string value) => value.Trim() switch
    {
        "男" or "男性" or "male" or "Male" or "M" or "m" or "1" => "male",
        "女" or "女性" or "female" or "Female" or "F" or "f" or "2" => "female",
        _ => null,
    };

    internal static bool IsAsciiDigits(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    internal static bool HasHan(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is >= '\u3400' and <= '\u9FFF')
            {
                return true;
            }
        }

        return false;
    }
}
