using Zhiwang.MasterData.Files;

namespace Zhiwang.MasterData.Tests.Files;

public sealed class CsvRecordReaderTests
{
    private static List<string[]> ReadAll(string text)
    {
        using var reader = new CsvRecordReader(new StringReader(text));
        reader.ReadHeader().ShouldBeTrue();
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add(reader.Fields.ToArray());
        }

        return records;
    }

    [Fact]
    public void Plain_fields_are_split_on_commas_and_lines()
    {
        ReadAll("a,b\n1,2\n3,4\n").ShouldBe([["1", "2"], ["3", "4"]]);
    }

    [Fact]
    public void Quoted_fields_keep_commas_doubled_quotes_and_line_breaks()
    {
        ReadAll("a,b\r\n\"深圳市,福田区\",\"他说\"\"好\"\"\"\r\n\"two\nlines\",x\r\n")
            .ShouldBe([["深圳市,福田区", "他说\"好\""], ["two\nlines", "x"]]);
    }

    [Fact]
    public void Empty_fields_and_a_missing_final_newline_are_read()
    {
        ReadAll("a,b,c\n,,\n1,,3").ShouldBe([["", "", ""], ["1", "", "3"]]);
    }

    [Fact]
    public void The_header_gives_field_indexes_and_records_are_numbered()
    {
        using var reader = new CsvRecordReader(new StringReader("id_number,name\nX,Y\n"));
        reader.ReadHeader();
        reader.IndexOf("name").ShouldBe(1);
        reader.IndexOf("missing").ShouldBe(-1);
        reader.Read().ShouldBeTrue();
        reader.Record.ShouldBe(1);
        reader.Field(5).ShouldBeNull();
    }

    [Fact]
    public void An_unclosed_quote_is_an_error_naming_the_record()
    {
        Should.Throw<FormatException>(() => ReadAll("a\n\"open\n")).Message.ShouldContain("record 1");
    }
}
