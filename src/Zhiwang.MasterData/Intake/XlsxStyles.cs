using System.Globalization;
using System.Xml;

namespace Zhiwang.MasterData.Intake;

/// <summary>
/// What a workbook's number cells mean. A cell holds only a double (<c>&lt;v&gt;44927&lt;/v&gt;</c>); its style's number
/// format says whether that is a date, a time or a plain number. Read from <c>xl/styles.xml</c> (custom
/// <c>numFmts</c> and the <c>cellXfs</c> a cell's <c>s</c> attribute points into) and the workbook's date system.
/// </summary>
internal sealed class XlsxStyles
{
    /// <summary>Excel keeps 15 significant digits; a longer whole number was rounded when it was typed.</summary>
    private const double ExactWholeNumbers = 1e15;

    /// <summary>9999-12-31, the last day a serial can name.</summary>
    private const double LastSerial = 2958466;

    private readonly CellShape[] _cells;
    private readonly bool _date1904;

    private XlsxStyles(CellShape[] cells, bool date1904)
    {
        _cells = cells;
        _date1904 = date1904;
    }

    /// <summary>How a style shows a number.</summary>
    internal enum Shape : byte
    {
        General,
        Date,
        DateTime,
        Time,

        /// <summary>A format of zeros only (<c>000000</c>): a code kept with its leading zeros.</summary>
        ZeroPadded,
    }

    /// <summary>A workbook without styles: every number is general, dates in the 1900 system.</summary>
    public static XlsxStyles None { get; } = new([], date1904: false);

    /// <summary>Reads the styles part; <paramref name="styles"/> null when the workbook has none.</summary>
    public static XlsxStyles Read(Stream? styles, bool date1904)
    {
        if (styles is null)
        {
            return new XlsxStyles([], date1904);
        }

        var custom = new Dictionary<int, string>();
        var cells = new List<CellShape>();
        using var reader = XmlReader.Create(styles, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true });
        var inCellXfs = false;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "cellXfs")
            {
                inCellXfs = false;
                continue;
            }

            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            switch (reader.LocalName)
            {
                case "numFmt" when int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var id):
                    custom[id] = reader.GetAttribute("formatCode") ?? string.Empty;
                    break;
                case "cellXfs":
                    inCellXfs = !reader.IsEmptyElement;
                    break;

                // cellStyleXfs holds xf elements too: only those of cellXfs are what a cell's s attribute counts.
                case "xf" when inCellXfs:
                    var format = int.TryParse(reader.GetAttribute("numFmtId"), NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : 0;
                    cells.Add(Classify(format, custom.GetValueOrDefault(format)));
                    break;
            }
        }

        return new XlsxStyles([.. cells], date1904);
    }

    /// <summary>
    /// The text of a number cell as the department meant it: a date as yyyy-MM-dd (with HH:mm:ss when the format
    /// shows a time and the value has one), a whole number without exponent or ".0", a fraction as Excel shows it
    /// (15 significant digits, so 12.300000000000001 is 12.3). <paramref name="lostDigits"/>: a whole number of more
    /// than 15 digits, which Excel rounded when it was typed (an ID number typed as a number): the digits given are not
    /// the ones typed.
    /// </summary>
    public string Format(string raw, int style, out bool lostDigits)
    {
        lostDigits = false;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            return raw;
        }

        var shape = style >= 0 && style < _cells.Length ? _cells[style] : default;
        if (shape.Shape is Shape.Date or Shape.DateTime or Shape.Time && Serial(number, shape.Shape) is { } date)
        {
            return date;
        }

        var whole = Math.Floor(number) == number;
        if (whole && Math.Abs(number) >= ExactWholeNumbers)
        {
            lostDigits = true;
        }

        var text = Plain(number);
        if (shape.Shape == Shape.ZeroPadded && whole && number >= 0 && text.Length < shape.Width)
        {
            text = text.PadLeft(shape.Width, '0');
        }

        return text;
    }

    /// <summary>A value from a <c>t="d"</c> cell (ISO 8601 text) as yyyy-MM-dd, with the time when it has one.</summary>
    public static string IsoDate(string raw) =>
        DateTime.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
            ? value.TimeOfDay == TimeSpan.Zero
                ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : raw;

    /// <summary>A number as Excel shows it in a general cell: 15 significant digits, never an exponent.</summary>
    internal static string Plain(double number)
    {
        var rounded = number.ToString("G15", CultureInfo.InvariantCulture);
        return decimal.TryParse(rounded, NumberStyles.Float, CultureInfo.InvariantCulture, out var exact)
            ? exact.ToString(CultureInfo.InvariantCulture)
            : rounded; // beyond decimal's range (1e29 and up): the exponent stays
    }

    private string? Serial(double serial, Shape shape)
    {
        if (serial < 0 || serial >= LastSerial)
        {
            return null;
        }

        var days = (int)Math.Floor(serial);
        var seconds = (int)Math.Round((serial - days) * 86400);
        if (seconds >= 86400)
        {
            days++;
            seconds = 0;
        }

        var time = TimeOnly.FromTimeSpan(TimeSpan.FromSeconds(seconds)).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        if (shape == Shape.Time && days == 0)
        {
            return time;
        }

        DateOnly date;
        if (_date1904)
        {
            date = new DateOnly(1904, 1, 1).AddDays(days);
        }
        else if (days == 60)
        {
            // 1900-02-29: Lotus 1-2-3 took 1900 for a leap year and Excel kept the day for compatibility; no such date.
            return null;
        }
        else
        {
            date = days < 60 ? new DateOnly(1899, 12, 31).AddDays(days) : new DateOnly(1899, 12, 30).AddDays(days);
        }

        var text = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return shape != Shape.Date && seconds > 0 ? $"{text} {time}" : text;
    }

    /// <summary>What a number format shows: built-in ids by the standard's table, custom codes by their date and time letters.</summary>
    internal static CellShape Classify(int id, string? code)
    {
        if (code is null)
        {
            return id switch
            {
                // 14–17 dates, 22 date and time; 27–31, 36, 50–54, 57, 58 the East Asian dates (yyyy"年"m"月"d"日" …).
                >= 14 and <= 17 or >= 27 and <= 31 or 36 or >= 50 and <= 54 or 57 or 58 => new CellShape(Shape.Date, 0),
                22 => new CellShape(Shape.DateTime, 0),

                // 18–21 and 45–47 times; 32–35, 55, 56 the East Asian times (h"时"mm"分" …).
                >= 18 and <= 21 or >= 45 and <= 47 or >= 32 and <= 35 or 55 or 56 => new CellShape(Shape.Time, 0),
                _ => default,
            };
        }

        bool date = false, time = false, month = false, zerosOnly = true;
        var zeros = 0;
        for (var i = 0; i < code.Length; i++)
        {
            var c = char.ToLowerInvariant(code[i]);
            switch (c)
            {
                case ';':
                    // Only the first section (positive numbers) matters; "yyyy/m/d;@" is a date.
                    i = code.Length;
                    continue;
                case '"':
                    var close = code.IndexOf('"', i + 1);
                    i = close < 0 ? code.Length : close;
                    zerosOnly = false;
                    continue;
                case '\\' or '_' or '*':
                    i++; // an escaped, padding or repeated character
                    zerosOnly = false;
                    continue;
                case '[':
                    var end = code.IndexOf(']', i + 1);
                    var inside = end < 0 ? string.Empty : code[(i + 1)..end].ToLowerInvariant();

                    // [h]:mm:ss is elapsed time; [Red], [$-804], [DBNum1], [>100] say nothing about dates.
                    if (inside.Length > 0 && inside.All(ch => ch is 'h' or 'm' or 's'))
                    {
                        time = true;
                    }

                    i = end < 0 ? code.Length : end;
                    zerosOnly = false;
                    continue;
                case 'a' when code.AsSpan(i).StartsWith("AM/PM", StringComparison.OrdinalIgnoreCase):
                    time = true;
                    i += 4;
                    zerosOnly = false;
                    continue;
                case 'a' when code.AsSpan(i).StartsWith("A/P", StringComparison.OrdinalIgnoreCase):
                    time = true;
                    i += 2;
                    zerosOnly = false;
                    continue;
                case 'y' or 'd':
                    date = true;
                    break;
                case 'm':
                    month = true;
                    break;
                case 'h' or 's':
                    time = true;
                    break;
                case '0':
                    zeros++;
                    continue;
            }

            zerosOnly = false;
        }

        // m is a month beside y or d or alone (mmm), a minute beside h or s.
        date |= month && !time;
        return (date, time) switch
        {
            (true, true) => new CellShape(Shape.DateTime, 0),
            (true, false) => new CellShape(Shape.Date, 0),
            (false, true) => new CellShape(Shape.Time, 0),
            _ when zerosOnly && zeros > 1 => new CellShape(Shape.ZeroPadded, zeros),
            _ => default,
        };
    }

    internal readonly record struct CellShape(Shape Shape, int Width);
}
