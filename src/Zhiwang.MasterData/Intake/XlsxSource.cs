using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Zhiwang.MasterData.Intake;

/// <summary>
/// An xlsx workbook read as a stream: the zip's entries opened one at a time and each sheet's XML read with an
/// XmlReader, a row at a time, so a million-row sheet never sits in memory (NPOI would load it whole). Every
/// sheet whose name starts with the declared prefix is read in workbook order; each repeats the header, and
/// its columns are lined up with the first sheet's by name. Cells are inline strings, shared strings (the
/// table is loaded once: Excel's own files use it), numbers or booleans; cells may skip columns (r="C7").
/// </summary>
internal sealed class XlsxSource : RowSource
{
    private const string MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    private readonly Stream _stream;
    private readonly ZipArchive _zip;
    private readonly string _fileName;
    private readonly string _feed;
    private readonly Queue<(string Name, string Path)> _sheets;
    private readonly string[] _sharedStrings;
    private readonly List<string?> _cells = [];
    private readonly StringBuilder _value = new();
    private readonly StringBuilder _text = new();
    private XmlReader? _reader;
    private Stream? _entry;
    private int[] _sheetToColumn = [];
    private long _sheetRow;
    private bool _inRow;

    public XlsxSource(Stream stream, string file, string sheetPrefix, string feed)
        : base(file)
    {
        _stream = stream;
        _fileName = file;
        _feed = feed;
        try
        {
            _zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new FeedFileException(feed, file, null, $"not a readable xlsx workbook (its zip directory is missing or damaged: truncated?): {e.Message}", e);
        }

        try
        {
            var (sheets, sharedStringsPath) = ReadWorkbook();
            _sheets = new Queue<(string, string)>(sheets.Where(sheet => sheet.Name.StartsWith(sheetPrefix, StringComparison.Ordinal)));
            if (_sheets.Count == 0)
            {
                throw new FeedFileException(feed, file, null, $"no sheet's name starts with '{sheetPrefix}' (sheets: {string.Join(", ", sheets.Select(sheet => sheet.Name))})");
            }

            _sharedStrings = sharedStringsPath is null ? [] : ReadSharedStrings(sharedStringsPath);
            if (!OpenNextSheet(first: true))
            {
                throw new FeedFileException(feed, file, null, $"sheet {File} has no header row");
            }
        }
        catch (Exception e) when (e is XmlException or InvalidDataException)
        {
            throw new FeedFileException(feed, file, null, $"the workbook's structure cannot be read: {e.Message}", e);
        }
    }

    public override long Position => _stream.CanSeek ? _stream.Position : 0;

    public override long? Length => _stream.CanSeek ? _stream.Length : null;

    public override bool Read()
    {
        ClearRow();
        while (true)
        {
            if (_reader is null)
            {
                return false;
            }

            try
            {
                if (ReadRow())
                {
                    var values = new string?[Columns.Count];
                    for (var i = 0; i < _cells.Count; i++)
                    {
                        var column = i < _sheetToColumn.Length ? _sheetToColumn[i] : -1;
                        if (column >= 0)
                        {
                            values[column] = _cells[i];
                        }
                        else if (!string.IsNullOrEmpty(_cells[i]))
                        {
                            Fail($"a value in column {i + 1}, beyond the header's {_sheetToColumn.Length} columns");
                        }
                    }

                    Values = values;
                    return true;
                }
            }
            catch (Exception e) when (e is XmlException or InvalidDataException or EndOfStreamException)
            {
                // A damaged or cut-off sheet: report where it breaks, keep the rows before, go to the next sheet.
                Row = _inRow ? _sheetRow : _sheetRow + 1;
                Values = new string?[Columns.Count];
                Fail($"the sheet breaks off (truncated or damaged): {e.Message}");
                CloseSheet();
                _sheets.Clear();
                return true;
            }

            CloseSheet();
            if (!OpenNextSheet(first: false))
            {
                return false;
            }

            if (Error is not null)
            {
                return true;
            }
        }
    }

    public override void Dispose()
    {
        CloseSheet();
        _zip.Dispose();
        _stream.Dispose();
    }

    private bool OpenNextSheet(bool first)
    {
        while (_sheets.TryDequeue(out var sheet))
        {
            var entry = _zip.GetEntry(sheet.Path) ?? throw new FeedFileException(_feed, _fileName, null, $"sheet {sheet.Name} is listed but its part {sheet.Path} is missing");
            File = first ? _fileName : $"{_fileName}[{sheet.Name}]";
            _entry = entry.Open();
            _reader = XmlReader.Create(_entry, new XmlReaderSettings { IgnoreComments = true, IgnoreProcessingInstructions = true, DtdProcessing = DtdProcessing.Prohibit });
            _sheetRow = 0;
            if (!ReadRow())
            {
                CloseSheet();
                continue;
            }

            var header = _cells.Select(cell => (cell ?? string.Empty).Trim()).ToList();
            if (first)
            {
                File = $"{_fileName}[{sheet.Name}]";
                SetColumns(header);
                _sheetToColumn = Enumerable.Range(0, header.Count).ToArray();
                return true;
            }

            _sheetToColumn = header.Select(IndexOf).ToArray();
            var missing = Columns.Where(column => !header.Contains(column)).ToList();
            if (missing.Count > 0)
            {
                // Its rows cannot be lined up: one error for the whole sheet, then the next sheet.
                Row = 1;
                Values = new string?[Columns.Count];
                Fail($"the sheet's header lacks {string.Join(", ", missing)}; its rows are skipped");
                CloseSheet();
                return true;
            }

            return true;
        }

        return false;
    }

    private void CloseSheet()
    {
        _reader?.Dispose();
        _entry?.Dispose();
        _reader = null;
        _entry = null;
    }

    // Reads the next <row> into _cells (by column), setting Row; false at the end of the sheet data. A state
    // machine over plain Read() calls: ReadElementContentAsString moves past the node after it, which loses cells.
    private bool ReadRow()
    {
        var reader = _reader!;
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName == "sheetData")
            {
                return false;
            }

            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "row")
            {
                continue;
            }

            _sheetRow = long.TryParse(reader.GetAttribute("r"), out var r) ? r : _sheetRow + 1;
            Row = _sheetRow;
            _cells.Clear();
            _inRow = !reader.IsEmptyElement;
            if (reader.IsEmptyElement)
            {
                return true;
            }

            var next = 0;
            var column = 0;
            string? type = null;
            var inValue = false;
            var inText = false;
            var phonetic = 0;
            _value.Clear();
            _text.Clear();
            while (reader.Read())
            {
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        switch (reader.LocalName)
                        {
                            case "c":
                                column = ColumnOf(reader.GetAttribute("r"), next);
                                next = column + 1;
                                type = reader.GetAttribute("t");
                                _value.Clear();
                                _text.Clear();
                                if (reader.IsEmptyElement)
                                {
                                    SetCell(column, null);
                                }

                                break;
                            case "v":
                                inValue = !reader.IsEmptyElement;
                                break;
                            case "t":
                                inText = !reader.IsEmptyElement && phonetic == 0;
                                break;
                            case "rPh":
                                phonetic += reader.IsEmptyElement ? 0 : 1;
                                break;
                        }

                        break;
                    case XmlNodeType.EndElement:
                        switch (reader.LocalName)
                        {
                            case "v":
                                inValue = false;
                                break;
                            case "t":
                                inText = false;
                                break;
                            case "rPh":
                                phonetic--;
                                break;
                            case "c":
                                SetCell(column, CellValue(type));
                                break;
                            case "row":
                                _inRow = false;
                                return true;
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                        if (inValue)
                        {
                            _value.Append(reader.Value);
                        }
                        else if (inText)
                        {
                            _text.Append(reader.Value);
                        }

                        break;
                }
            }

            throw new XmlException($"row {_sheetRow} is not closed");
        }

        throw new XmlException("the sheet data is not closed");
    }

    private void SetCell(int column, string? value)
    {
        while (_cells.Count <= column)
        {
            _cells.Add(null);
        }

        _cells[column] = value;
    }

    private string? CellValue(string? type)
    {
        var value = _value.Length == 0 ? null : _value.ToString();
        return type switch
        {
            "inlineStr" => _text.Length > 0 ? _text.ToString() : value,
            "s" => int.TryParse(value, out var index) && index >= 0 && index < _sharedStrings.Length ? _sharedStrings[index] : null,
            "b" => value == "1" ? "true" : "false",
            _ => value ?? (_text.Length > 0 ? _text.ToString() : null),
        };
    }

    private static int ColumnOf(string? reference, int next)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return next;
        }

        var column = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                column = (column * 26) + (c - 'A' + 1);
            }
            else
            {
                break;
            }
        }

        return column > 0 ? column - 1 : next;
    }

    private (List<(string Name, string Path)> Sheets, string? SharedStrings) ReadWorkbook()
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        string? sharedStrings = null;
        var rels = _zip.GetEntry("xl/_rels/workbook.xml.rels");
        if (rels is not null)
        {
            using var stream = rels.Open();
            using var reader = XmlReader.Create(stream);
            while (reader.ReadToFollowing("Relationship"))
            {
                var id = reader.GetAttribute("Id");
                var target = reader.GetAttribute("Target");
                if (id is null || target is null)
                {
                    continue;
                }

                var path = target.StartsWith('/') ? target[1..] : "xl/" + target;
                targets[id] = path;
                if (reader.GetAttribute("Type")?.EndsWith("/sharedStrings", StringComparison.Ordinal) == true)
                {
                    sharedStrings = path;
                }
            }
        }

        sharedStrings ??= _zip.GetEntry("xl/sharedStrings.xml") is null ? null : "xl/sharedStrings.xml";
        var workbook = _zip.GetEntry("xl/workbook.xml") ?? throw new FeedFileException(_feed, _fileName, null, "not an xlsx workbook: xl/workbook.xml is missing");
        var sheets = new List<(string, string)>();
        using (var stream = workbook.Open())
        using (var reader = XmlReader.Create(stream))
        {
            var position = 0;
            while (reader.ReadToFollowing("sheet", MainNamespace))
            {
                position++;
                var name = reader.GetAttribute("name") ?? string.Empty;
                var id = reader.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
                var path = id is not null && targets.TryGetValue(id, out var target) ? target : $"xl/worksheets/sheet{position}.xml";
                sheets.Add((name, path));
            }
        }

        return (sheets, sharedStrings);
    }

    private string[] ReadSharedStrings(string path)
    {
        var entry = _zip.GetEntry(path);
        if (entry is null)
        {
            return [];
        }

        var strings = new List<string>();
        using var stream = entry.Open();
        using var reader = XmlReader.Create(stream);
        var text = new StringBuilder();
        var inText = false;
        var phonetic = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.LocalName == "si":
                    text.Clear();
                    if (reader.IsEmptyElement)
                    {
                        strings.Add(string.Empty);
                    }

                    break;
                case XmlNodeType.Element when reader.LocalName == "rPh":
                    phonetic += reader.IsEmptyElement ? 0 : 1;
                    break;
                case XmlNodeType.Element when reader.LocalName == "t":
                    inText = !reader.IsEmptyElement && phonetic == 0;
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "t":
                    inText = false;
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "rPh":
                    phonetic--;
                    break;
                case XmlNodeType.EndElement when reader.LocalName == "si":
                    strings.Add(text.ToString());
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    if (inText)
                    {
                        text.Append(reader.Value);
                    }

                    break;
            }
        }

        return [.. strings];
    }
}
