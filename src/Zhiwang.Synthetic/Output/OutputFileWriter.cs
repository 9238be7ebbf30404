using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;

namespace Zhiwang.Synthetic.Output;

/// <summary>
/// Appends chunks' encoded bytes to one output file, in chunk order, from one thread. An xlsx file is
/// a zip written as it goes: sheet XML with inline strings, a new sheet whenever the next chunk would
/// pass Excel's 1,048,576 rows, and the workbook parts last, once the sheet count is known.
/// </summary>
internal sealed class OutputFileWriter : IDisposable
{
    /// <summary>Excel's row limit, less the header row.</summary>
    public const int MaxRowsPerSheet = 1_048_575;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly OutputFile _file;
    private readonly FileStream _stream;
    private readonly ZipArchive? _zip;
    private Stream? _sheet;
    private int _sheetCount;
    private int _sheetRows;

    public OutputFileWriter(string directory, OutputFile file, int? maxRowsPerSheet = null)
    {
        _file = file;
        SheetRowLimit = maxRowsPerSheet ?? MaxRowsPerSheet;
        var path = Path.Combine(directory, file.RelativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        switch (file.Format)
        {
            case FileFormat.Xlsx:
                _zip = new ZipArchive(_stream, ZipArchiveMode.Create, leaveOpen: true, Utf8);
                break;
            case FileFormat.JsonLines:
                break;
            default:
                if (file.Format == FileFormat.CsvWithBom)
                {
                    _stream.Write(Utf8.Preamble);
                }

                var header = string.Join(file.Separator, file.Header) + "\n";
                _stream.Write(file.Encoding.GetBytes(header));
                break;
        }
    }

    public int SheetRowLimit { get; }

    public long Rows { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Write(TextSink sink)
    {
        Rows += sink.Rows;
        if (_zip is null)
        {
            _stream.Write(sink.Bytes);
            return;
        }

        // Each row is one line, so a chunk splits between sheets at a newline.
        var bytes = sink.Bytes;
        var rows = sink.Rows;
        while (rows > 0)
        {
            if (_sheet is null || _sheetRows == SheetRowLimit)
            {
                NextSheet();
            }

            var take = Math.Min(rows, SheetRowLimit - _sheetRows);
            var length = bytes.Length;
            if (take < rows)
            {
                length = 0;
                for (var r = 0; r < take; r++)
                {
                    length += bytes[length..].IndexOf((byte)'\n') + 1;
                }
            }

            _sheet!.Write(bytes[..length]);
            bytes = bytes[length..];
            rows -= take;
            _sheetRows += take;
        }
    }

    public void Dispose()
    {
        try
        {
            if (_zip is not null)
            {
                if (_sheet is null)
                {
                    NextSheet();
                }

                CloseSheet();
                WriteWorkbook();
                _zip.Dispose();
            }
        }
        finally
        {
            // The file handle goes back even when finishing the workbook fails (a full disk, say).
            _stream.Dispose();
        }
    }

    private void NextSheet()
    {
        CloseSheet();
        _sheetCount++;
        _sheetRows = 0;
        _sheet = CreateEntry($"xl/worksheets/sheet{_sheetCount}.xml").Open();
        var header = new StringBuilder();
        header.Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
            .Append("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>\n<row>");
        foreach (var name in _file.Header)
        {
            header.Append("<c t=\"inlineStr\"><is><t>").Append(name).Append("</t></is></c>");
        }

        header.Append("</row>\n");
        _sheet.Write(Utf8.GetBytes(header.ToString()));
    }

    private void CloseSheet()
    {
        if (_sheet is null)
        {
            return;
        }

        _sheet.Write("</sheetData></worksheet>\n"u8);
        _sheet.Dispose();
        _sheet = null;
    }

    private void WriteWorkbook()
    {
        var sheetName = _file.SheetName ?? "Sheet";
        var contentTypes = new StringBuilder()
            .Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
            .Append("<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">")
            .Append("<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>")
            .Append("<Default Extension=\"xml\" ContentType=\"application/xml\"/>")
            .Append("<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
        var workbook = new StringBuilder()
            .Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
            .Append("<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ")
            .Append("xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>");
        var relationships = new StringBuilder()
            .Append("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n")
            .Append("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
        for (var i = 1; i <= _sheetCount; i++)
        {
            contentTypes.Append($"<Override PartName=\"/xl/worksheets/sheet{i}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>");
            var name = i == 1 ? sheetName : $"{sheetName}{i}";
            workbook.Append($"<sheet name=\"{name}\" sheetId=\"{i}\" r:id=\"rId{i}\"/>");
            relationships.Append($"<Relationship Id=\"rId{i}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i}.xml\"/>");
        }

        contentTypes.Append("</Types>");
        workbook.Append("</sheets></workbook>");
        relationships.Append("</Relationships>");
        WriteEntry("[Content_Types].xml", contentTypes.ToString());
        WriteEntry("_rels/.rels",
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" +
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>");
        WriteEntry("xl/workbook.xml", workbook.ToString());
        WriteEntry("xl/_rels/workbook.xml.rels", relationships.ToString());
    }

    private void WriteEntry(string name, string content)
    {
        using var entry = CreateEntry(name).Open();
        entry.Write(Utf8.GetBytes(content));
    }

    private ZipArchiveEntry CreateEntry(string name)
    {
        var entry = _zip!.CreateEntry(name, CompressionLevel.Fastest);
        // A fixed time stamp: the same seed must give byte-identical files.
        entry.LastWriteTime = new DateTimeOffset(2025, 6, 30, 0, 0, 0, TimeSpan.Zero);
        return entry;
    }
}
