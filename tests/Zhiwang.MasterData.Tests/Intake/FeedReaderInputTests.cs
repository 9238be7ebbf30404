using System.IO.Compression;
using System.Text;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Tests.Intake;

/// <summary>Bad input gets a precise error, and the good rows around it still come through.</summary>
public sealed class FeedReaderInputTests : IDisposable
{
    private const string EducationHeader = "学籍号,学生姓名,学生身份证号,性别,出生日期,学段,年级,学校名称,监护人姓名,监护人身份证号,监护人联系电话,家庭住址";
    private const string GoodStudent = "JY1,李子,440307201408291053,男,2014-08-29,小学,五年级,第三小学,陈文文,440307199204218006,18699690233,深圳市罗湖区桂园街道横岗路121号沙尾村10坊1号101室";
    private const string OtherStudent = "JY3,胡涵子,513230201705190602,女,2017-05-19,小学,三年级,第三小学,胡军,513230197908305490,18377629900,深圳市罗湖区桂园街道横岗路188号招商工业园1栋201室";

    private readonly string _directory = Directory.CreateTempSubdirectory("zhiwang-intake-input-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static FeedDeclaration Feed(string department) => FeedCatalog.Default.Find(department)!;

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private static async Task<List<FeedRow>> ReadAll(FeedDeclaration feed, string path, AddressIndex? addresses = null)
    {
        var rows = new List<FeedRow>();
        await foreach (var row in FeedReader.ReadAsync(feed, path, addresses, CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task A_gbk_file_is_detected_and_its_names_read_right()
    {
        var text = "记录编号,公民身份号码,姓名,性别,民族,出生日期,户口性质,户籍地,现住址,联系电话,登记日期\n" +
            "GA1,350128198702045675,周波,男,汉族,19870204,流动人口,平潭县,深圳市罗湖区东湖街道民治二路105号上梅林村8坊1号101室,13591626274,2017-09-07\n";
        var path = Write("public_security_hukou.csv", DelimitedSource.Gbk.GetBytes(text));

        var rows = await ReadAll(Feed("public_security"), path);

        var person = rows.Single().Record!.Mentions.Single();
        person.Fields[HubFields.Name].ShouldBe("周波");
        person.Fields[HubFields.Hukou].ShouldBe("floating");
        person.Fields[HubFields.BirthDate].ShouldBe("1987-02-04");
        person.Fields[HubFields.Sex].ShouldBe("male");
    }

    [Fact]
    public async Task A_file_that_is_neither_utf8_nor_gbk_is_refused_before_any_row()
    {
        var bytes = Encoding.UTF8.GetBytes(EducationHeader + "\n").Concat(new byte[] { 0x4A, 0x59, 0x80, 0xFF, 0x80, 0x2C, 0x0A }).ToArray();
        var path = Write("education_students.csv", bytes);

        var error = await Should.ThrowAsync<FeedFileException>(() => ReadAll(Feed("education"), path));

        error.Message.ShouldContain("education_students.csv");
        error.Reason.ShouldContain("neither UTF-8 nor GBK");
    }

    [Fact]
    public async Task Undecodable_bytes_reject_their_row_only()
    {
        var feed = Feed("education") with { Encoding = "utf-8" };
        var bad = Encoding.UTF8.GetBytes("JY2,").Concat(new byte[] { 0xC0, 0xFF }).Concat(Encoding.UTF8.GetBytes(",440307201408291053,男,2014-08-29,小学,五年级,x,陈文文,440307199204218006,18699690233,深圳\n"));
        var bytes = Encoding.UTF8.GetBytes($"{EducationHeader}\n{GoodStudent}\n").Concat(bad).Concat(Encoding.UTF8.GetBytes(OtherStudent + "\n")).ToArray();
        var path = Write("education_students.csv", bytes);

        var rows = await ReadAll(feed, path);

        rows.Count.ShouldBe(3);
        rows[1].Error.ShouldBe(new RowError("education_students.csv", 3, "学生姓名", "bytes that are not valid UTF-8"));
        rows[0].Record!.RecordId.ShouldBe("JY1");
        rows[2].Record!.RecordId.ShouldBe("JY3");
    }

    [Fact]
    public async Task Bad_quoting_is_a_row_error_naming_the_line_and_column()
    {
        var text = $"{EducationHeader}\n{GoodStudent}\n" +
            "JY2,\"王\"五,440307201408291053,男,2014-08-29,小学,五年级,x,陈文文,440307199204218006,18699690233,深圳\n" +
            "\"JY4\",\"张,三\",440307201408291053,男,2014-08-29,小学,五年级,\"第\"\"一\"\"小学\",陈文文,440307199204218006,18699690233,\"深圳市\n罗湖区\"\n" +
            $"{OtherStudent}\n" +
            "JY5,\"never closed,440307201408291053\n";
        var path = Write("education_students.csv", text);

        var rows = await ReadAll(Feed("education"), path);

        rows.Count.ShouldBe(5);
        rows[1].Error.ShouldBe(new RowError("education_students.csv", 3, "学生姓名", "text after the closing quote of field 2"));
        rows[2].Record!.Raw["学生姓名"].ShouldBe("张,三");
        rows[2].Record!.Raw["学校名称"].ShouldBe("第\"一\"小学");
        rows[2].Record!.Row.ShouldBe(4);
        rows[3].Record!.Row.ShouldBe(6);
        rows[4].Error!.Row.ShouldBe(7);
        rows[4].Error!.Reason.ShouldBe("the quoted field 2 opened on line 7 is not closed before the end of the file");
    }

    [Fact]
    public async Task A_row_with_the_wrong_number_of_fields_is_rejected_and_the_next_goes_on()
    {
        var path = Write("education_students.csv", $"{EducationHeader}\nJY2,王五,440307201408291053\n{OtherStudent}\n");

        var rows = await ReadAll(Feed("education"), path);

        rows[0].Error.ShouldBe(new RowError("education_students.csv", 2, null, "the row has 3 fields, the header has 12"));
        rows[1].Record!.RecordId.ShouldBe("JY3");
    }

    [Fact]
    public async Task A_row_without_a_record_id_or_any_usable_mention_is_rejected()
    {
        var path = Write("education_students.csv", $"{EducationHeader}\n,李子,440307201408291053,男,2014-08-29,小学,五年级,x,陈文文,440307199204218006,1,深圳\nJY2,,,,,,,,,,,\n{OtherStudent}\n");

        var rows = await ReadAll(Feed("education"), path);

        rows[0].Error.ShouldBe(new RowError("education_students.csv", 2, "学籍号", "no record id"));
        rows[1].Error!.Reason.ShouldStartWith("no usable mention");
        rows[2].IsError.ShouldBeFalse();
    }

    [Fact]
    public async Task A_declared_column_missing_from_the_file_names_the_declaration_the_file_and_the_column()
    {
        var path = Write("education_students.csv", EducationHeader.Replace("监护人身份证号", "监护人证件", StringComparison.Ordinal) + "\n" + GoodStudent + "\n");

        var error = await Should.ThrowAsync<FeedFileException>(() => ReadAll(Feed("education"), path));

        error.Feed.ShouldBe("education");
        error.File.ShouldBe("education_students.csv");
        error.Column.ShouldBe("监护人身份证号");
    }

    [Fact]
    public async Task A_bad_json_line_is_a_row_error_and_the_other_lines_go_on()
    {
        var path = Write("tax_taxpayers.jsonl",
            "{\"record_id\":\"SW1\",\"type\":\"individual\",\"sfzjhm\":\"360104198501292793\",\"xm\":\"李伟\",\"kjywrnsrsbh\":\"91440306463303681C\",\"kjywrmc\":\"深圳市兴利检测有限公司\",\"ssq\":\"202506\"}\n" +
            "{\"record_id\":\"SW2\",\"type\":\"individual\",\"sfzjhm\":\n" +
            "{\"record_id\":\"SW3\",\"type\":\"refund\"}\n" +
            "{\"record_id\":\"SW4\",\"type\":\"enterprise\",\"nsrsbh\":\"924403038831629181\",\"nsrmc\":\"罗湖区立通设计店\",\"fddbrxm\":\"陈文文\",\"fddbrsfzjhm\":\"440307199204218006\",\"djrq\":\"20071219\",\"nsrzt\":\"正常\"}\n");

        var rows = await ReadAll(Feed("tax"), path);

        rows.Count.ShouldBe(4);
        rows[0].Record!.Mentions.Select(m => (m.Kind, m.Role)).ShouldBe([(MentionKind.Person, "subject"), (MentionKind.LegalEntity, "employer")]);
        rows[0].Record!.Mentions[0].Fields[HubFields.RecordedOn].ShouldBe("2025-06");
        rows[1].Error!.Row.ShouldBe(2);
        rows[1].Error!.Reason.ShouldStartWith("not valid JSON");
        rows[2].Error.ShouldBe(new RowError("tax_taxpayers.jsonl", 3, "type", "type 'refund' is not a record type the declaration knows"));
        var entity = rows[3].Record!.Mentions[0];
        entity.Fields[HubFields.RegisteredDate].ShouldBe("2007-12-19");
        entity.Fields[HubFields.Status].ShouldBe("active");
        rows[3].Record!.Cleansed.ShouldContain(c => c.Field == "subject.registered_date");
    }

    [Fact]
    public async Task An_id_number_with_a_bad_check_character_is_an_issue_and_the_row_is_kept()
    {
        var path = Write("education_students.csv", $"{EducationHeader}\n{GoodStudent.Replace("440307201408291053", "440307201408291054", StringComparison.Ordinal)}\n");

        var record = (await ReadAll(Feed("education"), path)).Single().Record!;

        record.Mentions[0].Fields[HubFields.IdNumber].ShouldBe("440307201408291054");
        var issue = record.Issues.ShouldHaveSingleItem();
        issue.Field.ShouldBe("subject.id_number");
        issue.Reason.ShouldBe("学生身份证号: the check character is '4' but the digits give '3'");
    }

    [Fact]
    public async Task Full_width_keys_and_phones_are_folded_as_cleansing_not_errors()
    {
        var row = GoodStudent
            .Replace("440307201408291053", "４４０３０７２０１４０８２９１０５３", StringComparison.Ordinal)
            .Replace("18699690233", "１８６９９６９０２３３", StringComparison.Ordinal)
            .Replace("李子", "李 子", StringComparison.Ordinal);
        var path = Write("education_students.csv", $"{EducationHeader}\n{row}\n");

        var record = (await ReadAll(Feed("education"), path)).Single().Record!;

        record.Issues.ShouldBeEmpty();
        record.Mentions[0].Fields[HubFields.IdNumber].ShouldBe("440307201408291053");
        record.Mentions[0].Fields[HubFields.Name].ShouldBe("李子");
        record.Mentions[1].Fields[HubFields.Phone].ShouldBe("18699690233");
        record.Cleansed.Select(c => c.Field).ShouldBe(["subject.name", "subject.id_number", "guardian.phone"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_birth_date_or_sex_that_disagrees_with_the_id_number_is_an_issue()
    {
        var path = Write("education_students.csv", $"{EducationHeader}\n{GoodStudent.Replace(",男,2014-08-29,", ",女,2014-08-28,", StringComparison.Ordinal)}\n");

        var record = (await ReadAll(Feed("education"), path)).Single().Record!;

        record.Issues.Select(issue => issue.Field).ShouldBe(["subject.birth_date", "subject.sex"], ignoreOrder: true);
    }

    [Fact]
    public async Task An_xlsx_with_shared_strings_cell_references_and_two_sheets_reads_like_an_inline_one()
    {
        var path = Path.Combine(_directory, "civil_affairs.xlsx");
        string[] header = ["序号", "姓名", "身份证号码", "性别", "出生日期", "救助类别", "居住地址", "所属社区", "登记日期", "联系电话"];
        string[] first = ["MZ1", "袁颖", "50010619771201988X", "女", "1977年12月1日", "最低生活保障", "深圳市罗湖区桂园街道丽山路352号香榭工业园1栋101室", "安浦社区", "2023-08-16", "15754344933"];
        string[] second = ["MZ2", "田磊宇", "451103200309309934", "男", "2003年9月30日", "残疾人两项补贴", "", "安浦社区", "2023-08-16", ""];
        XlsxWriter.WriteSharedStrings(path, [("救助对象", [header, first]), ("其他", [["x"]]), ("救助对象2", [header, second])]);

        var rows = await ReadAll(Feed("civil_affairs"), path);

        rows.Count.ShouldBe(2);
        var a = rows[0].Record!;
        a.File.ShouldBe("civil_affairs.xlsx[救助对象]");
        a.Row.ShouldBe(2);
        a.Mentions[0].Fields[HubFields.Name].ShouldBe("袁颖");
        a.Mentions[0].Fields[HubFields.BirthDate].ShouldBe("1977-12-01");
        var b = rows[1].Record!;
        b.File.ShouldBe("civil_affairs.xlsx[救助对象2]");
        b.Raw["居住地址"].ShouldBeNull();
        b.Mentions[0].Fields[HubFields.IdNumber].ShouldBe("451103200309309934");
    }

    [Fact]
    public async Task A_sheet_that_breaks_off_keeps_its_rows_before_the_break()
    {
        var path = Path.Combine(_directory, "civil_affairs.xlsx");
        string[] header = ["序号", "姓名", "身份证号码", "性别", "出生日期", "救助类别", "居住地址", "所属社区", "登记日期", "联系电话"];
        var rows = new List<string[]> { header };
        for (var i = 0; i < 50; i++)
        {
            rows.Add([$"MZ{i}", "袁颖", "50010619771201988X", "女", "1977年12月1日", "x", "", "", "2023-08-16", ""]);
        }

        XlsxWriter.WriteSharedStrings(path, [("救助对象", rows)], cutSheetAt: 0.5);

        var read = await ReadAll(Feed("civil_affairs"), path);

        read.Count(row => !row.IsError).ShouldBeGreaterThan(10);
        var error = read[^1].Error.ShouldNotBeNull();
        error.File.ShouldBe("civil_affairs.xlsx[救助对象]");
        error.Reason.ShouldStartWith("the sheet breaks off");
        error.Row.ShouldBe(read[^2].Record!.Row + 1);
    }

    [Fact]
    public async Task A_truncated_workbook_is_refused_with_the_reason()
    {
        var source = Path.Combine(_directory, "whole.xlsx");
        XlsxWriter.WriteSharedStrings(source, [("救助对象", [["序号"], ["MZ1"]])]);
        var bytes = await File.ReadAllBytesAsync(source);
        var path = Write("civil_affairs.xlsx", bytes[..(bytes.Length * 2 / 3)]);

        var error = await Should.ThrowAsync<FeedFileException>(() => ReadAll(Feed("civil_affairs"), path));

        error.File.ShouldBe("civil_affairs.xlsx");
        error.Reason.ShouldContain("truncated");
    }

    [Fact]
    public async Task An_upload_stream_that_cannot_seek_is_read_too()
    {
        var bytes = Encoding.UTF8.GetBytes($"\uFEFF{EducationHeader}\r\n{GoodStudent}\r\n");
        await using var stream = new ForwardOnlyStream(bytes);
        var rows = new List<FeedRow>();
        await foreach (var row in FeedReader.ReadAsync(Feed("education"), stream, "upload/education_students.csv", null, CancellationToken.None))
        {
            rows.Add(row);
        }

        rows.Single().Record!.File.ShouldBe("education_students.csv");
        rows.Single().Record!.Raw["学籍号"].ShouldBe("JY1");
    }

    /// <summary>A request body: reads forward only.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }

    /// <summary>Writes a minimal workbook the way Excel does: shared strings, cell references, a few sheets.</summary>
    private static class XlsxWriter
    {
        public static void WriteSharedStrings(string path, IReadOnlyList<(string Name, List<string[]> Rows)> sheets, double? cutSheetAt = null)
        {
            var strings = new List<string>();
            var index = new Dictionary<string, int>();
            int Intern(string s)
            {
                if (!index.TryGetValue(s, out var i))
                {
                    i = strings.Count;
                    strings.Add(s);
                    index[s] = i;
                }

                return i;
            }

            using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
            void Entry(string name, string xml)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(xml);
            }

            const string ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
            const string rns = "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";
            var sheetList = new StringBuilder();
            var rels = new StringBuilder();
            for (var s = 0; s < sheets.Count; s++)
            {
                var xml = new StringBuilder($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet {ns}><sheetData>");
                for (var r = 0; r < sheets[s].Rows.Count; r++)
                {
                    xml.Append($"<row r=\"{r + 1}\">");
                    var cells = sheets[s].Rows[r];
                    for (var c = 0; c < cells.Length; c++)
                    {
                        if (cells[c].Length > 0)
                        {
                            xml.Append($"<c r=\"{(char)('A' + c)}{r + 1}\" t=\"s\"><v>{Intern(cells[c])}</v></c>");
                        }
                    }

                    xml.Append("</row>");
                }

                xml.Append("</sheetData></worksheet>");
                var text = xml.ToString();
                Entry($"xl/worksheets/sheet{s + 1}.xml", cutSheetAt is { } cut ? text[..(int)(text.Length * cut)] : text);
                sheetList.Append($"<sheet name=\"{sheets[s].Name}\" sheetId=\"{s + 1}\" r:id=\"rId{s + 1}\"/>");
                rels.Append($"<Relationship Id=\"rId{s + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{s + 1}.xml\"/>");
            }

            rels.Append("<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>");
            Entry("xl/workbook.xml", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook {ns} {rns}><sheets>{sheetList}</sheets></workbook>");
            Entry("xl/_rels/workbook.xml.rels", $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>");
            var sst = new StringBuilder($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst {ns} count=\"{strings.Count}\">");
            foreach (var s in strings)
            {
                // Excel splits formatted text into runs and adds phonetic hints; both must read as the plain text.
                sst.Append(s.Length > 1
                    ? $"<si><r><t>{s[..1]}</t></r><r><rPr/><t xml:space=\"preserve\">{s[1..]}</t></r><rPh sb=\"0\" eb=\"1\"><t>pinyin</t></rPh></si>"
                    : $"<si><t>{s}</t></si>");
            }

            Entry("xl/sharedStrings.xml", sst.Append("</sst>").ToString());
        }
    }
}
