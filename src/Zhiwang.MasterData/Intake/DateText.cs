namespace Zhiwang.MasterData.Intake;

/// <summary>
/// Dates in a department's declared formats (yyyy, MM or M, dd or d, literal characters), normalised to
/// yyyy-MM-dd, or yyyy-MM for a format without a day. A small interpreter instead of DateOnly.TryParseExact:
/// one pass, no culture, no allocation but the result.
/// </summary>
internal sealed class DateText
{
    private readonly string[] _formats;

    public DateText(IReadOnlyList<string> formats)
    {
        _formats = [.. formats];
    }

    public static bool IsValidFormat(string format) =>
        format.Contains("yyyy", StringComparison.Ordinal) && format.Contains('M', StringComparison.Ordinal);

    /// <summary>The normalised date, and the index of the format that read it; null when no format does.</summary>
    public string? Normalise(ReadOnlySpan<char> value, out int formatIndex)
    {
        for (formatIndex = 0; formatIndex < _formats.Length; formatIndex++)
        {
            if (TryRead(_formats[formatIndex], value, out var year, out var month, out var day))
            {
                return day == 0 ? Format(year, month) : Format(year, month, day);
            }
        }

        formatIndex = -1;
        return null;
    }

    private static bool TryRead(string format, ReadOnlySpan<char> value, out int year, out int month, out int day)
    {
        year = month = day = 0;
        var v = 0;
        var f = 0;
        while (f < format.Length)
        {
            var c = format[f];
            if (c == 'y')
            {
                if (!Digits(value, ref v, 4, 4, out year))
                {
                    return false;
                }

                f += 4;
            }
            else if (c is 'M' or 'd')
            {
                var two = f + 1 < format.Length && format[f + 1] == c;
                if (!Digits(value, ref v, two ? 2 : 1, 2, out var number))
                {
                    return false;
                }

                if (c == 'M')
                {
                    month = number;
                }
                else
                {
                    day = number;
                }

                f += two ? 2 : 1;
            }
            else
            {
                if (v >= value.Length || value[v] != c)
                {
                    return false;
                }

                v++;
                f++;
            }
        }

        if (v != value.Length || year < 1850 || month is < 1 or > 12)
        {
            return false;
        }

        var hasDay = format.Contains('d', StringComparison.Ordinal);
        return !hasDay || (day >= 1 && day <= DateTime.DaysInMonth(year, month));
    }

    private static bool Digits(ReadOnlySpan<char> value, ref int position, int min, int max, out int number)
    {
        number = 0;
        var count = 0;
        while (count < max && position < value.Length && char.IsAsciiDigit(value[position]))
        {
            number = (number * 10) + (value[position] - '0');
            position++;
            count++;
        }

        return count >= min;
    }

    private static string Format(int year, int month, int day) =>
        string.Create(10, (year, month, day), static (span, d) =>
        {
            Four(span, d.year);
            span[4] = '-';
            Two(span[5..], d.month);
            span[7] = '-';
            Two(span[8..], d.day);
        });

    private static string Format(int year, int month) =>
        string.Create(7, (year, month), static (span, d) =>
        {
            Four(span, d.year);
            span[4] = '-';
            Two(span[5..], d.month);
        });

    private static void Four(Span<char> span, int n)
    {
        span[0] = (char)('0' + (n / 1000));
        span[1] = (char)('0' + (n / 100 % 10));
        span[2] = (char)('0' + (n / 10 % 10));
        span[3] = (char)('0' + (n % 10));
    }

    private static void Two(Span<char> span, int n)
    {
        span[0] = (char)('0' + (n / 10));
        span[1] = (char)('0' + (n % 10));
    }
}
