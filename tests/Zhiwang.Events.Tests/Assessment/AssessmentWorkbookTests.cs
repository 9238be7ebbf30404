using NPOI.SS.UserModel;
using NPOI.XSSF.UserModel;
using Zhiwang.Events.Assessment;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Tests.Assessment;

public sealed class AssessmentWorkbookTests
{
    private static readonly AssessmentRow Guiyuan = new(
        "桂园街道", "街道办事处", "440303001000", Level.Street, Received: 120, Accepted: 100, AcceptedOnTime: 95,
        Completed: 80, CompletedOnTime: 60, AverageHandlingHours: 12.5, Overdue: 4, Returned: 3, Reopened: 1, Rated: 50,
        Satisfaction: 4.62, Rank: 1);

    // Nothing accepted or completed yet: both rates have a zero denominator.
    private static readonly AssessmentRow Dongmen = new(
        "东门街道", "街道办事处", "440303002000", Level.Street, Received: 2, Accepted: 0, AcceptedOnTime: 0,
        Completed: 0, CompletedOnTime: 0, AverageHandlingHours: null, Overdue: 0, Returned: 0, Reopened: 0, Rated: 0,
        Satisfaction: null, Rank: 2);

    private static ISheet WriteAndReadBack(bool chinese, params AssessmentRow[] rows)
    {
        using var output = new MemoryStream();
        AssessmentWorkbook.Write(output, "罗湖区 2026 年第一季度考核", new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), rows, chinese);

        output.CanRead.ShouldBeTrue(); // the caller's stream stays open
        output.Position = 0;
        return new XSSFWorkbook(output).GetSheetAt(0);
    }

    private static int ColumnOf(ISheet sheet, string header) =>
        sheet.GetRow(2).Cells.Single(c => c.StringCellValue == header).ColumnIndex;

    [Fact]
    public void The_sheet_has_the_title_the_period_and_a_Chinese_header()
    {
        var sheet = WriteAndReadBack(chinese: true, Guiyuan);

        sheet.GetRow(0).GetCell(0).StringCellValue.ShouldBe("罗湖区 2026 年第一季度考核");
        sheet.GetRow(1).GetCell(0).StringCellValue.ShouldBe("考核期间：2026-01-01 至 2026-03-31");
        sheet.GetRow(2).Cells.Select(c => c.StringCellValue).ShouldBe(
        [
            "排名", "单位", "部门", "区划代码", "层级", "接收数", "受理数", "按时受理数", "按时受理率", "办结数", "按时办结数",
            "按时办结率", "平均办理时长（小时）", "超期数", "退回数", "重办数", "评价数", "满意度（1-5）",
        ]);
    }

    [Fact]
    public void The_header_is_in_English_when_asked()
    {
        var sheet = WriteAndReadBack(chinese: false, Guiyuan);

        sheet.GetRow(1).GetCell(0).StringCellValue.ShouldBe("Period: 2026-01-01 to 2026-03-31");
        sheet.GetRow(2).GetCell(0).StringCellValue.ShouldBe("Rank");
        sheet.GetRow(2).GetCell(ColumnOf(sheet, "On-time completion")).ShouldNotBeNull();
        sheet.GetRow(3).GetCell(ColumnOf(sheet, "Level")).StringCellValue.ShouldBe("Street");
    }

    [Fact]
    public void A_unit_s_row_holds_its_counts_and_its_rates_as_percentages()
    {
        var sheet = WriteAndReadBack(chinese: true, Guiyuan, Dongmen);
        var row = sheet.GetRow(3);

        row.GetCell(ColumnOf(sheet, "排名")).NumericCellValue.ShouldBe(1);
        row.GetCell(ColumnOf(sheet, "单位")).StringCellValue.ShouldBe("桂园街道");
        row.GetCell(ColumnOf(sheet, "区划代码")).StringCellValue.ShouldBe("440303001000");
        row.GetCell(ColumnOf(sheet, "层级")).StringCellValue.ShouldBe("街道");
        row.GetCell(ColumnOf(sheet, "接收数")).NumericCellValue.ShouldBe(120);
        row.GetCell(ColumnOf(sheet, "超期数")).NumericCellValue.ShouldBe(4);
        row.GetCell(ColumnOf(sheet, "平均办理时长（小时）")).NumericCellValue.ShouldBe(12.5);
        row.GetCell(ColumnOf(sheet, "满意度（1-5）")).NumericCellValue.ShouldBe(4.62);

        var acceptance = row.GetCell(ColumnOf(sheet, "按时受理率"));
        acceptance.NumericCellValue.ShouldBe(0.95, tolerance: 1e-12);
        acceptance.CellStyle.GetDataFormatString().ShouldBe("0.0%");
        row.GetCell(ColumnOf(sheet, "按时办结率")).NumericCellValue.ShouldBe(0.75, tolerance: 1e-12);

        sheet.GetRow(4).GetCell(ColumnOf(sheet, "单位")).StringCellValue.ShouldBe("东门街道");
    }

    [Fact]
    public void A_rate_with_nothing_to_divide_by_is_blank_not_zero()
    {
        var sheet = WriteAndReadBack(chinese: true, Dongmen);
        var row = sheet.GetRow(3);

        row.GetCell(ColumnOf(sheet, "按时受理率")).CellType.ShouldBe(CellType.Blank);
        row.GetCell(ColumnOf(sheet, "按时办结率")).CellType.ShouldBe(CellType.Blank);
        row.GetCell(ColumnOf(sheet, "平均办理时长（小时）")).CellType.ShouldBe(CellType.Blank);
        row.GetCell(ColumnOf(sheet, "满意度（1-5）")).CellType.ShouldBe(CellType.Blank);
        row.GetCell(ColumnOf(sheet, "受理数")).NumericCellValue.ShouldBe(0); // a count of zero is still a zero
    }

    [Fact]
    public void The_header_stays_frozen_and_columns_fit_their_contents()
    {
        var sheet = WriteAndReadBack(chinese: true, Guiyuan);

        var pane = sheet.PaneInformation;
        pane.IsFreezePane().ShouldBeTrue();
        pane.HorizontalSplitTopRow.ShouldBe((short)3);
        pane.VerticalSplitLeftColumn.ShouldBe((short)2);

        // A 12-digit division code needs more room than a rank.
        sheet.GetColumnWidth(ColumnOf(sheet, "区划代码")).ShouldBeGreaterThan(sheet.GetColumnWidth(ColumnOf(sheet, "排名")));
        sheet.GetColumnWidth(ColumnOf(sheet, "区划代码")).ShouldBeGreaterThanOrEqualTo(12 * 256);
    }

    [Fact]
    public void An_empty_period_still_writes_the_header()
    {
        var sheet = WriteAndReadBack(chinese: true);

        sheet.GetRow(2).GetCell(0).StringCellValue.ShouldBe("排名");
        sheet.LastRowNum.ShouldBe(2);
    }

    [Fact]
    public void A_period_that_ends_before_it_starts_is_refused()
    {
        Should.Throw<ArgumentException>(() =>
            AssessmentWorkbook.Write(Stream.Null, "t", new DateOnly(2026, 3, 31), new DateOnly(2026, 1, 1), [], chinese: true));
    }
}
