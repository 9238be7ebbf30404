using System.IO.Compression;
using System.Text;
using NPOI.SS.UserModel;
using NPOI.XSSF.UserModel;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Tests.Intake;

/// <summary>
/// Number cells of a workbook written by NPOI as a department's tools write them: a date typed as a date is a serial
/// number with a date style, an ID number or phone typed as a number is a double. They arrive as the text a
/// steward saw in Excel, and a number that lost digits is said to have.
/// </summary>
public sealed class XlsxNumberTests : IDisposable
{
    private static readonly string[] Header = ["序号", "姓名", "身份证号码", "性别", "出生日期", "救助类别", "居住地址", "所属社区", "登记日期", "联系电话"];

    private readonly string _directory = Directory.CreateTempSubdirectory("zhiwang-xlsx-numbers-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Dates_typed_as_dates_arrive_as_dates_in_built_in_chinese_and_custom_formats()
    {
        var path = Write(workbook =>
        {
            var sheet = Sheet(workbook, "救助对象");
            var row = Person(sheet, 1, "MZ1");
            DateCell(row, 4, new DateTime(1977, 12, 1), BuiltIn(workbook, 14));
            DateCell(row, 8, new DateTime(2023, 8, 16), Custom(workbook, "yyyy\"年\"m\"月\"d\"日\";@"));
            var second = Person(sheet, 2, "MZ2");
            DateCell(second, 4, new DateTime(2003, 9, 30), BuiltIn(workbook, 31));
            DateCell(second, 8, new DateTime(2023, 1, 1, 8, 30, 0), Custom(workbook, "yyyy-mm-dd hh:mm"));
        });

        var rows = await ReadAll(path);

        var first = rows[0].Record.ShouldNotBeNull();
        first.Raw["出生日期"].ShouldBe("1977-12-01");
        first.Raw["登记日期"].ShouldBe("2023-08-16");
        first.Mentions[0].Fields[HubFields.BirthDate].ShouldBe("1977-12-01");
        first.Issues.ShouldBeEmpty();
        var second = rows[1].Record.ShouldNotBeNull();
        second.Raw["出生日期"].ShouldBe("2003-09-30");
        second.Raw["登记日期"].ShouldBe("2023-01-01 08:30:00");
    }

    [Fact]
    public async Task A_workbook_in_the_1904_date_system_gives_the_same_dates()
    {
        var path = Write(workbook =>
        {
            var sheet = Sheet(workbook, "救助对象");
            var row = Person(sheet, 1, "MZ1");
            var cell = row.CreateCell(4);
            cell.SetCellValue(44927 - 1462); // 2023-01-01 counted from 1904-01-01
            cell.CellStyle = BuiltIn(workbook, 14);
        });
        SetDate1904(path);

        var record = (await ReadAll(path)).Single().Record.ShouldNotBeNull();

        record.Raw["出生日期"].ShouldBe("2023-01-01");
    }

    [Fact]
    public async Task Whole_numbers_and_fractions_arrive_as_typed_and_a_zero_padded_code_keeps_its_zeros()
    {
        var path = Write(workbook =>
        {
            var sheet = Sheet(workbook, "救助对象");
            var row = Person(sheet, 1, "MZ1");
            row.CreateCell(9).SetCellValue(13800138000d);
            row.CreateCell(5).SetCellValue(12.1 + 0.2);
            var community = row.CreateCell(7);
            community.SetCellValue(123);
            community.CellStyle = Custom(workbook, "000000");
            row.CreateCell(0).SetCellValue(1001d);
        });

        var record = (await ReadAll(path)).Single().Record.ShouldNotBeNull();

        record.RecordId.ShouldBe("1001");
        record.Raw["联系电话"].ShouldBe("13800138000");
        record.Mentions[0].Fields[HubFields.Phone].ShouldBe("13800138000");
        record.Raw["救助类别"].ShouldBe("12.3");
        record.Raw["所属社区"].ShouldBe("000123");
    }

    [Fact]
    public async Task An_id_number_stored_as_a_number_gets_an_issue_that_it_lost_digits_and_is_not_used()
    {
        var path = Write(workbook =>
        {
            var sheet = Sheet(workbook, "救助对象");
            var row = Person(sheet, 1, "MZ1");
            row.CreateCell(2).SetCellValue(440306199001011237d);
        });

        var record = (await ReadAll(path)).Single().Record.ShouldNotBeNull();

        record.Raw["身份证号码"].ShouldBe("440306199001011000");
        var issue = record.Issues.ShouldHaveSingleItem();
        issue.Field.ShouldBe("subject.id_number");
        issue.Reason.ShouldStartWith("身份证号码: the cell was stored as a number and lost digits");
        record.Mentions[0].Fields.ContainsKey(HubFields.IdNumber).ShouldBeFalse();
        record.Mentions[0].Fields[HubFields.Name].ShouldBe("袁颖");
    }

    [Fact]
    public async Task A_record_id_stored_as_a_number_that_lost_digits_is_a_row_error()
    {
        var path = Write(workbook =>
        {
            var sheet = Sheet(workbook, "救助对象");
            Person(sheet, 1, "MZ1").CreateCell(0).SetCellValue(1234567890123456789d);
            Person(sheet, 2, "MZ2");
        });

        var rows = await ReadAll(path);

        var error = rows[0].Error.ShouldNotBeNull();
        error.File.ShouldBe("civil_affairs.xlsx[救助对象]");
        error.Row.ShouldBe(2);
        error.Field.ShouldBe("序号");
        error.Reason.ShouldContain("lost digits");
        rows[1].Record.ShouldNotBeNull().RecordId.ShouldBe("MZ2");
    }

    [Theory]
    [InlineData("1.3800138E10", "13800138000")]
    [InlineData("1.0", "1")]
    [InlineData("12.300000000000001", "12.3")]
    [InlineData("0.1", "0.1")]
    [InlineData("-2.5E-3", "-0.0025")]
    [InlineData("1E+20", "100000000000000000000")]
    [InlineData("not a number", "not a number")]
    public void A_general_number_is_given_without_exponent_or_float_noise(string raw, string expected)
    {
        XlsxStyles.None.Format(raw, 0, out var lost).ShouldBe(expected);
        lost.ShouldBe(raw == "1E+20");
    }

    [Theory]
    [InlineData(14, null, "2023-01-01")]
    [InlineData(22, null, "2023-01-01 12:00:00")]
    [InlineData(0, "yyyy/m/d;@", "2023-01-01")]
    [InlineData(0, "[$-804]yyyy\"年\"m\"月\";@", "2023-01-01")]
    [InlineData(0, "[Red]#,##0.00", "44927.5")]
    [InlineData(0, "General", "44927.5")]
    [InlineData(0, "0.00E+00", "44927.5")]
    [InlineData(0, "\"day \"0", "44927.5")]
    public void A_number_format_says_whether_a_serial_is_a_date(int builtIn, string? code, string expected)
    {
        var styles = XlsxStyles.Read(Styles(builtIn, code), date1904: false);

        styles.Format("44927.5", 0, out _).ShouldBe(expected);
    }

    [Fact]
    public void A_time_alone_and_the_day_lotus_invented_are_told_apart()
    {
        var time = XlsxStyles.Read(Styles(20, null), date1904: false);
        var date = XlsxStyles.Read(Styles(14, null), date1904: false);

        time.Format("0.75", 0, out _).ShouldBe("18:00:00");
        date.Format("59", 0, out _).ShouldBe("1900-02-28");
        date.Format("60", 0, out _).ShouldBe("60", "1900-02-29 never was");
        date.Format("61", 0, out _).ShouldBe("1900-03-01");
    }

    private static MemoryStream Styles(int builtIn, string? code)
    {
        var id = code is null ? builtIn : 164;
        var formats = code is null ? "" : $"<numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"{System.Security.SecurityElement.Escape(code)}\"/></numFmts>";
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{formats}
            <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="{id}" applyNumberFormat="1"/></cellXfs></styleSheet>
            """;
        return new MemoryStream(Encoding.UTF8.GetBytes(xml));
    }

    private string Write(Action<XSSFWorkbook> fill)
    {
        var path = Path.Combine(_directory, "civil_affairs.xlsx");
        var workbook = new XSSFWorkbook();
        fill(workbook);
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            workbook.Write(stream);
        }

        return path;
    }

    private static ISheet Sheet(XSSFWorkbook workbook, string name)
    {
        var sheet = workbook.CreateSheet(name);
        var header = sheet.CreateRow(0);
        for (var i = 0; i < Header.Length; i++)
        {
            header.CreateCell(i).SetCellValue(Header[i]);
        }

        return sheet;
    }

    private static IRow Person(ISheet sheet, int index, string recordId)
    {
        var row = sheet.CreateRow(index);
        row.CreateCell(0).SetCellValue(recordId);
        row.CreateCell(1).SetCellValue("袁颖");
        row.CreateCell(3).SetCellValue("女");
        return row;
    }

    private static void DateCell(IRow row, int column, DateTime value, ICellStyle style)
    {
        var cell = row.CreateCell(column);
        cell.SetCellValue(value);
        cell.CellStyle = style;
    }

    private static ICellStyle BuiltIn(XSSFWorkbook workbook, short format)
    {
        var style = workbook.CreateCellStyle();
        style.DataFormat = format;
        return style;
    }

    private static ICellStyle Custom(XSSFWorkbook workbook, string code)
    {
        var style = workbook.CreateCellStyle();
        style.DataFormat = workbook.CreateDataFormat().GetFormat(code);
        return style;
    }

    /// <summary>Marks the workbook as counting dates from 1904, as Mac Excel once did (NPOI writes 1900).</summary>
    private static void SetDate1904(string path)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("xl/workbook.xml")!;
        string xml;
        using (var reader = new StreamReader(entry.Open()))
        {
            xml = reader.ReadToEnd();
        }

        xml = xml.Contains("date1904=", StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(xml, "date1904=\"[^\"]*\"", "date1904=\"1\"")
            : xml.Contains("<workbookPr", StringComparison.Ordinal)
                ? xml.Replace("<workbookPr", "<workbookPr date1904=\"1\"", StringComparison.Ordinal)
                : xml.Replace("<sheets>", "<workbookPr date1904=\"1\"/><sheets>", StringComparison.Ordinal);
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("xl/workbook.xml").Open(), new UTF8Encoding(false));
        writer.Write(xml);
    }

    private static async Task<List<FeedRow>> ReadAll(string path)
    {
        var rows = new List<FeedRow>();
        await foreach (var row in FeedReader.ReadAsync(FeedCatalog.Default.Find("civil_affairs")!, path, null, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }
}
