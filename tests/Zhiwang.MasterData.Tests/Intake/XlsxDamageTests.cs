using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using NPOI.XSSF.UserModel;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Tests.Intake;

/// <summary>
/// A workbook damaged on its way: where the zip still opens, every row before the break is kept and the break is one
/// row error naming the file, the sheet and the row; where it does not, one error naming the file.
/// </summary>
public sealed class XlsxDamageTests : IDisposable
{
    private static readonly string[] Header = ["序号", "姓名", "身份证号码", "性别", "出生日期", "救助类别", "居住地址", "所属社区", "登记日期", "联系电话"];

    private readonly string _directory = Directory.CreateTempSubdirectory("zhiwang-xlsx-damage-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_sheet_damaged_inside_an_intact_zip_keeps_its_rows_before_the_break_and_the_next_sheet_is_read()
    {
        var whole = WriteWorkbook(("救助对象", 300), ("救助对象2", 5));
        var path = Path.Combine(_directory, "civil_affairs.xlsx");
        await File.WriteAllBytesAsync(path, DamageEntry(Stored(whole, "xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml", at: 0.5));

        var rows = await ReadAll(path);

        var first = rows.TakeWhile(row => !row.IsError).ToList();
        first.Count.ShouldBeGreaterThan(100);
        first.Select(row => row.Record!.RecordId).ShouldBe(Enumerable.Range(1, first.Count).Select(i => $"MZ{i}"));
        var error = rows[first.Count].Error.ShouldNotBeNull();
        error.File.ShouldBe("civil_affairs.xlsx[救助对象]");
        error.Row.ShouldBe(first[^1].Record!.Row + 1);
        error.Reason.ShouldStartWith($"the sheet breaks off at row {error.Row} (truncated or damaged; its rows up to {error.Row - 1} are kept");
        rows.Count(row => row.IsError).ShouldBe(1);
        rows.Skip(first.Count + 1).Select(row => row.Record!.File).ShouldAllBe(file => file == "civil_affairs.xlsx[救助对象2]");
        rows.Skip(first.Count + 1).Count().ShouldBe(5);
    }

    [Fact]
    public async Task A_cut_off_download_is_refused_as_not_a_workbook_or_damaged_naming_the_file()
    {
        var whole = WriteWorkbook(("救助对象", 50));
        var path = Path.Combine(_directory, "civil_affairs.xlsx");
        await File.WriteAllBytesAsync(path, whole[..(whole.Length / 2)]);

        var error = await Should.ThrowAsync<FeedFileException>(() => ReadAll(path));

        error.File.ShouldBe("civil_affairs.xlsx");
        error.Reason.ShouldStartWith("not an Excel workbook, or damaged");
        error.Message.ShouldStartWith("civil_affairs.xlsx (civil_affairs): not an Excel workbook, or damaged");
    }

    [Fact]
    public async Task A_csv_renamed_to_xlsx_is_refused_as_not_a_workbook()
    {
        var path = Path.Combine(_directory, "civil_affairs.xlsx");
        await File.WriteAllTextAsync(path, string.Join(',', Header) + "\nMZ1,袁颖\n");

        var error = await Should.ThrowAsync<FeedFileException>(() => ReadAll(path));

        error.Reason.ShouldStartWith("not an Excel workbook, or damaged");
    }

    private byte[] WriteWorkbook(params (string Name, int Rows)[] sheets)
    {
        var workbook = new XSSFWorkbook();
        var next = 1;
        foreach (var (name, count) in sheets)
        {
            var sheet = workbook.CreateSheet(name);
            var header = sheet.CreateRow(0);
            for (var i = 0; i < Header.Length; i++)
            {
                header.CreateCell(i).SetCellValue(Header[i]);
            }

            for (var r = 1; r <= count; r++)
            {
                var row = sheet.CreateRow(r);
                row.CreateCell(0).SetCellValue($"MZ{next++}");
                row.CreateCell(1).SetCellValue("袁颖");
                row.CreateCell(3).SetCellValue("女");
                row.CreateCell(6).SetCellValue("深圳市罗湖区桂园街道丽山路352号香榭工业园1栋101室");
            }
        }

        var path = Path.Combine(_directory, $"whole-{Guid.NewGuid():N}.xlsx");
        using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write))
        {
            workbook.Write(stream);
        }

        return File.ReadAllBytes(path);
    }

    /// <summary>The same workbook with one part stored uncompressed, so its bytes can be damaged at a known place.</summary>
    private static byte[] Stored(byte[] workbook, string part)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var from = entry.Open();
                using var to = target.CreateEntry(entry.FullName, entry.FullName == part ? CompressionLevel.NoCompression : CompressionLevel.Optimal).Open();
                from.CopyTo(to);
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// Overwrites a stretch of one part's data with NUL bytes, as a disk or a transfer that loses a block does: the zip's
    /// central directory stays intact, so the workbook opens and the damage is met while the sheet is read.
    /// </summary>
    private static byte[] DamageEntry(byte[] zip, string part, double at)
    {
        var bytes = (byte[])zip.Clone();
        var directory = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(FindEndOfDirectory(bytes) + 16));
        var offset = directory;
        while (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) == 0x02014b50)
        {
            var compressed = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 20));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 28));
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 30));
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset + 32));
            var local = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset + 42));
            var name = Encoding.UTF8.GetString(bytes, offset + 46, nameLength);
            if (name == part)
            {
                var data = local + 30 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(local + 26)) + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(local + 28));
                bytes.AsSpan(data + (int)(compressed * at), 64).Clear();
                return bytes;
            }

            offset += 46 + nameLength + extraLength + commentLength;
        }

        throw new InvalidOperationException($"{part} is not in the zip");
    }

    private static int FindEndOfDirectory(byte[] bytes)
    {
        for (var i = bytes.Length - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i)) == 0x06054b50)
            {
                return i;
            }
        }

        throw new InvalidOperationException("no end of central directory");
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
