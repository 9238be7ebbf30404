using System.Globalization;
using NPOI.SS.UserModel;
using NPOI.SS.Util;
using NPOI.XSSF.UserModel;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Assessment;

/// <summary>
/// The assessment table (考核表) as an Excel workbook: one sheet with a title, the period, a header row and one row per
/// unit, in the order given (the caller ranks them). Rates are real numbers formatted as percentages, so the sheet
/// can be sorted and summed; a rate whose denominator is zero is left blank rather than shown as 0%.
/// </summary>
public static class AssessmentWorkbook
{
    private const int TitleRow = 0;
    private const int PeriodRow = 1;
    private const int HeaderRow = 2;
    private const int FirstDataRow = 3;

    // Header widths count toward a column's width only up to this many characters; longer headers wrap onto two lines.
    private const int HeaderWidthCap = 12;

    private static readonly Column[] Columns =
    [
        new("排名", "Rank", Kind.Count, Number: r => r.Rank),
        new("单位", "Unit", Kind.Text, Text: (r, _) => r.UnitName),
        new("部门", "Department", Kind.Text, Text: (r, _) => r.Department),
        new("区划代码", "Division code", Kind.Text, Text: (r, _) => r.DivisionCode),
        new("层级", "Level", Kind.Text, Text: (r, chinese) => LevelName(r.Level, chinese)),
        new("接收数", "Received", Kind.Count, Number: r => r.Received),
        new("受理数", "Accepted", Kind.Count, Number: r => r.Accepted),
        new("按时受理数", "Accepted on time", Kind.Count, Number: r => r.AcceptedOnTime),
        new("按时受理率", "On-time acceptance", Kind.Rate, Number: r => Rate(r.AcceptedOnTime, r.Accepted)),
        new("办结数", "Completed", Kind.Count, Number: r => r.Completed),
        new("按时办结数", "Completed on time", Kind.Count, Number: r => r.CompletedOnTime),
        new("按时办结率", "On-time completion", Kind.Rate, Number: r => Rate(r.CompletedOnTime, r.Completed)),
        new("平均办理时长（小时）", "Average handling (hours)", Kind.Hours, Number: r => r.AverageHandlingHours),
        new("超期数", "Overdue", Kind.Count, Number: r => r.Overdue),
        new("退回数", "Returned", Kind.Count, Number: r => r.Returned),
        new("重办数", "Reopened", Kind.Count, Number: r => r.Reopened),
        new("评价数", "Rated", Kind.Count, Number: r => r.Rated),
        new("满意度（1-5）", "Satisfaction (1-5)", Kind.Score, Number: r => r.Satisfaction),
    ];

    private enum Kind
    {
        Text,
        Count,
        Rate,
        Hours,
        Score,
    }

    /// <summary>
    /// Writes the workbook to <paramref name="output"/>, which stays open. Synchronous: to answer an HTTP request, where
    /// synchronous writes to the response are refused, use <see cref="WriteAsync"/>.
    /// </summary>
    public static void Write(Stream output, string title, DateOnly from, DateOnly to, IReadOnlyList<AssessmentRow> rows, bool chinese)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = Build(title, from, to, rows, chinese);
        buffer.CopyTo(output);
    }

    /// <summary>Like <see cref="Write"/>, but writes to <paramref name="output"/> asynchronously (an HTTP response body).</summary>
    public static async Task WriteAsync(
        Stream output,
        string title,
        DateOnly from,
        DateOnly to,
        IReadOnlyList<AssessmentRow> rows,
        bool chinese,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = Build(title, from, to, rows, chinese);
        await buffer.CopyToAsync(output, cancellationToken);
    }

    // Built in memory first: NPOI only writes synchronously, and a half-written workbook is worse than an exception.
    private static MemoryStream Build(string title, DateOnly from, DateOnly to, IReadOnlyList<AssessmentRow> rows, bool chinese)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(rows);
        if (to < from)
        {
            throw new ArgumentException($"The period ends ({to:yyyy-MM-dd}) before it starts ({from:yyyy-MM-dd}).", nameof(to));
        }

        var workbook = new XSSFWorkbook();
        var styles = new Styles(workbook);
        var sheet = workbook.CreateSheet(chinese ? "考核" : "Assessment");
        var lastColumn = Columns.Length - 1;

        var titleCell = sheet.CreateRow(TitleRow).CreateCell(0);
        titleCell.SetCellValue(title);
        titleCell.CellStyle = styles.Title;
        sheet.GetRow(TitleRow).HeightInPoints = 24;
        sheet.AddMergedRegion(new CellRangeAddress(TitleRow, TitleRow, 0, lastColumn));

        sheet.CreateRow(PeriodRow).CreateCell(0).SetCellValue(PeriodText(from, to, chinese));
        sheet.AddMergedRegion(new CellRangeAddress(PeriodRow, PeriodRow, 0, lastColumn));

        var header = sheet.CreateRow(HeaderRow);
        header.HeightInPoints = 32; // two lines, for the headers that wrap
        for (var c = 0; c < Columns.Length; c++)
        {
            var cell = header.CreateCell(c);
            cell.SetCellValue(chinese ? Columns[c].Chinese : Columns[c].English);
            cell.CellStyle = styles.Header;
        }

        var widths = Columns.Select(column => Math.Min(DisplayWidth(chinese ? column.Chinese : column.English), HeaderWidthCap)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            var source = rows[r] ?? throw new ArgumentException($"Row {r} is null.", nameof(rows));
            var row = sheet.CreateRow(FirstDataRow + r);
            for (var c = 0; c < Columns.Length; c++)
            {
                var column = Columns[c];
                var cell = row.CreateCell(c);
                cell.CellStyle = styles.For(column.Kind);
                if (column.Kind == Kind.Text)
                {
                    var text = column.Text!(source, chinese) ?? "";
                    cell.SetCellValue(text);
                    widths[c] = Math.Max(widths[c], DisplayWidth(text));
                }
                else if (column.Number!(source) is { } number)
                {
                    cell.SetCellValue(number);
                    widths[c] = Math.Max(widths[c], ShownWidth(number, column.Kind));
                }
            }
        }

        for (var c = 0; c < Columns.Length; c++)
        {
            // Column width is in 1/256 of a character; a little padding, and a ceiling so one long name cannot take the screen.
            sheet.SetColumnWidth(c, Math.Clamp(widths[c] + 2, 6, 50) * 256);
        }

        // The header (and the rank and unit columns) stay in view while scrolling a city's several hundred units.
        sheet.CreateFreezePane(2, FirstDataRow);
        sheet.SetAutoFilter(new CellRangeAddress(HeaderRow, HeaderRow + rows.Count, 0, lastColumn));

        var buffer = new MemoryStream();
        workbook.Write(new UnclosableStream(buffer));
        buffer.Position = 0;
        return buffer;
    }

    private static string PeriodText(DateOnly from, DateOnly to, bool chinese)
    {
        var first = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var last = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return chinese ? $"考核期间：{first} 至 {last}" : $"Period: {first} to {last}";
    }

    private static string LevelName(Level level, bool chinese) => level switch
    {
        Level.Community => chinese ? "社区" : "Community",
        Level.Street => chinese ? "街道" : "Street",
        Level.District => chinese ? "区" : "District",
        Level.City => chinese ? "市" : "City",
        _ => level.ToString(),
    };

    private static double? Rate(int part, int whole) => whole == 0 ? null : (double)part / whole;

    /// <summary>Width in Excel's character units: a Chinese character takes about two.</summary>
    private static int DisplayWidth(string text)
    {
        var width = 0;
        foreach (var ch in text)
        {
            width += ch >= '\u2E80' ? 2 : 1;
        }

        return width;
    }

    private static int ShownWidth(double number, Kind kind) => kind switch
    {
        Kind.Rate => number.ToString("0.0%", CultureInfo.InvariantCulture).Length,
        Kind.Hours => number.ToString("#,##0.0", CultureInfo.InvariantCulture).Length,
        Kind.Score => number.ToString("0.00", CultureInfo.InvariantCulture).Length,
        _ => number.ToString("#,##0", CultureInfo.InvariantCulture).Length,
    };

    private sealed record Column(
        string Chinese,
        string English,
        Kind Kind,
        Func<AssessmentRow, bool, string>? Text = null,
        Func<AssessmentRow, double?>? Number = null);

    /// <summary>The cell styles, created once per workbook: Excel caps a workbook at about 64,000 styles.</summary>
    private sealed class Styles
    {
        private readonly ICellStyle _text;
        private readonly ICellStyle _count;
        private readonly ICellStyle _rate;
        private readonly ICellStyle _hours;
        private readonly ICellStyle _score;

        public Styles(XSSFWorkbook workbook)
        {
            var formats = workbook.CreateDataFormat();

            var titleFont = workbook.CreateFont();
            titleFont.IsBold = true;
            titleFont.FontHeightInPoints = 14;
            Title = workbook.CreateCellStyle();
            Title.SetFont(titleFont);

            var headerFont = workbook.CreateFont();
            headerFont.IsBold = true;
            Header = workbook.CreateCellStyle();
            Header.SetFont(headerFont);
            Header.Alignment = HorizontalAlignment.Center;
            Header.VerticalAlignment = VerticalAlignment.Center;
            Header.WrapText = true;
            Header.FillForegroundColor = IndexedColors.Grey25Percent.Index;
            Header.FillPattern = FillPattern.SolidForeground;
            Header.BorderBottom = BorderStyle.Thin;

            // "@" keeps a division code text if someone edits it, so Excel never turns 440303001001 into 4.40303E+11.
            _text = Numbered(workbook, formats.GetFormat("@"));
            _count = Numbered(workbook, formats.GetFormat("#,##0"));
            _rate = Numbered(workbook, formats.GetFormat("0.0%"));
            _hours = Numbered(workbook, formats.GetFormat("#,##0.0"));
            _score = Numbered(workbook, formats.GetFormat("0.00"));
        }

        public ICellStyle Title { get; }

        public ICellStyle Header { get; }

        public ICellStyle For(Kind kind) => kind switch
        {
            Kind.Text => _text,
            Kind.Count => _count,
            Kind.Rate => _rate,
            Kind.Hours => _hours,
            _ => _score,
        };

        private static ICellStyle Numbered(XSSFWorkbook workbook, short format)
        {
            var style = workbook.CreateCellStyle();
            style.DataFormat = format;
            return style;
        }
    }

    /// <summary>Passes writes through but ignores Close, because NPOI 2.4 closes the stream it writes a workbook to.</summary>
    private sealed class UnclosableStream(Stream inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position
        {
            get => inner.Position;
            set => throw new NotSupportedException();
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

        protected override void Dispose(bool disposing)
        {
            // Deliberately leaves the inner stream open; its owner disposes it.
        }
    }
}
