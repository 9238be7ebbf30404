using System.Text;

namespace Zhiwang.Synthetic.Output;

/// <summary>How an output file is written.</summary>
internal enum FileFormat
{
    /// <summary>UTF-8 CSV, RFC 4180 quoting.</summary>
    Csv,

    /// <summary>UTF-8 CSV with a byte-order mark, as Excel-minded departments save it.</summary>
    CsvWithBom,

    /// <summary>GBK CSV, as older Chinese government systems export.</summary>
    GbkCsv,

    /// <summary>Fields separated by '|', no quoting, UTF-8.</summary>
    PipeText,

    /// <summary>Office Open XML workbook with inline strings.</summary>
    Xlsx,

    /// <summary>One JSON object per line, UTF-8.</summary>
    JsonLines,
}

/// <summary>One file the generator writes: where, in what format, with which header.</summary>
internal sealed record OutputFile(string RelativePath, FileFormat Format, IReadOnlyList<string> Header, string? SheetName = null)
{
    private static readonly Lazy<Encoding> GbkEncoding = new(() =>
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK");
    });

    public static Encoding Gbk => GbkEncoding.Value;

    public Encoding Encoding => Format == FileFormat.GbkCsv ? Gbk : Utf8NoBom;

    public char Separator => Format == FileFormat.PipeText ? '|' : ',';

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public TextSink CreateSink() => new(Separator, quoteWhenNeeded: Format != FileFormat.PipeText, gbk: Format == FileFormat.GbkCsv);
}
