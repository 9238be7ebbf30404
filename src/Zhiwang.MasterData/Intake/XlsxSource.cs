using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Zhiwang.MasterData.Intake;

/// <summary>
/// An xlsx workbook read as a stream: the zip's entries opened one at a time and each sheet's XML read with an
/// XmlReader, a row at a time, so a million-row sheet never sits in memory (NPOI would load it whole). Every
/// sheet whose name starts with the declared prefix is read in workbook order; each repeats the header, and
/// its columns are lined up with the first sheet's by name. Cells are inline strings, shared strings (the
/// table is loaded once: Excel's own files use it), numbers (shown as their style says: <see cref="XlsxStyles"/>)
/// or booleans; cells may skip columns (r="C7"). A sheet that breaks off (a damaged or cut-off part of an intact
/// zip) keeps its rows before the break and gives one row error where it broke; a file that is no zip is refused whole.
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
    private readonly XlsxStyles _styles;
    private readonly List<string?> _cells = [];
    private readonly List<int> _lostDigits = [];
    private readonly HashSet<int> _lostColumns = [];
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
            throw new FeedFileException(feed, file, null, $"not an Excel workbook, or damaged: the zip's directory cannot be read (a truncated download?): {e.Message}", e);
        }

        try
        {
            var (sheets, sharedStringsPath, stylesPath, date1904) = ReadWorkbook();
            _sheets = new Queue<(string, string)>(sheets.Where(sheet => sheet.Name.StartsWith(sheetPrefix, StringComparison.Ordinal)));
            if (_sheets.Count == 0)
            {
                throw new FeedFileException(feed, file, null, $"no sheet's name starts with '{sheetPrefix}' (sheets: {string.Join(", ", sheets.Select(sheet => sheet.Name))})");
            }

            _sharedStrings = sharedStringsPath is null ? [] : ReadSharedStrings(sharedStringsPath);
            _styles = ReadStyles(stylesPath, date1904);
            if (!OpenNextSheet(first: true))
            {
                throw new FeedFileException(feed, file, null, $"sheet {File} has no header row");
            }
        }
        catch (Exception e) when (e is XmlException or InvalidDataException or EndOfStreamException)
        {
            // Nothing is read yet: the workbook's own parts (sheet list, shared strings, styles, first header) are damaged.
            throw new FeedFileException(feed, file, null, $"not an Excel workbook, or damaged: {e.Message}", e);
        }
    }

    public override long Position => _stream.CanSeek ? _stream.Position : 0;

    public override long? Length => _stream.CanSeek ? _stream.Length : null;

    public override bool LostDigits(int column) => _lostColumns.Contains(column);

    public override bool Read()
    {
        ClearRow();
        _lostColumns.Clear();
        while (true)
        {
            if (_reader is null)
            {
                // The next sheet of the prefix, after the last ended, broke off, or could not be lined up.
                try
                {
                    if (!OpenNextSheet(first: false))
                    {
                        return false;
                    }
                }
                catch (Exception e) when (e is XmlException or InvalidDataException or EndOfStreamException)
                {
                    BreakOff(e);
                    return true;
                }

                if (Error is not null)
                {
                    return true;
                }
            }

            try
            {
                if (ReadRow())
                {
                    foreach (var lost in _lostDigits)
                    {
                        if (lost < _sheetToColumn.Length && _sheetToColumn[lost] >= 0)
                        {
                            _lostColumns.Add(_sheetToColumn[lost]);
                        }
                    }

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
                BreakOff(e);
                return true;
            }

            CloseSheet();
        }
    }

    /// <summary>
    /// A damaged or cut-off sheet: one error at the row where it breaks (the rows before were given already), then
    /// the next sheet, whose part may be whole: the zip's directory was intact, or the workbook would not have opened.
    /// </summary>
    private void BreakOff(Exception e)
    {
        Row = _inRow ? _sheetRow : _sheetRow + 1;
        Values = new string?[Columns.Count];
        _lostColumns.Clear();
        var kept = Row <= 2 ? "no row of it could be read" : $"its rows up to {Row - 1} are kept";
        Fail($"the sheet breaks off at row {Row} (truncated or damaged; {kept}, this row and the rest of the sheet are not): {e.Message}");
        CloseSheet();
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
            _sheetRow = 0;
            _inRow = false;
            _entry = entry.Open();
            _reader = XmlReader.Create(_entry, new XmlReaderSettings { IgnoreComments = true, IgnoreProcessingInstructions = true, DtdProcessing = DtdProcessing.Prohibit });
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
            _lostDigits.Clear();
            _inRow = !reader.IsEmptyElement;
            if (reader.IsEmptyElement)
            {
                return true;
            }

            var next = 0;
            var column = 0;
            string? type = null;
            var style = 0;
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
                                style = int.TryParse(reader.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
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
                                SetCell(column, CellValue(type, style, column));
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

    private string? CellValue(string? type, int style, int column)
    {
        var value = _value.Length == 0 ? null : _value.ToString();
        switch (type)
        {
            case "inlineStr":
                return _text.Length > 0 ? _text.ToString() : value;
            case "s":
                return int.TryParse(value, out var index) && index >= 0 && index < _sharedStrings.Length ? _sharedStrings[index] : null;
            case "b":
                return value == "1" ? "true" : "false";
            case "d":
                return value is null ? null : XlsxStyles.IsoDate(value);
            case null or "n" when value is not null:
                var number = _styles.Format(value, style, out var lost);
                if (lost)
                {
                    _lostDigits.Add(column);
                }

                return number;
            default:
                // "str" (a formula's text), "e" (#N/A …): as written.
                return value ?? (_text.Length > 0 ? _text.ToString() : null);
        }
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

    private (List<(string Name, string Path)> Sheets, string? SharedStrings, string? Styles, bool Date1904) ReadWorkbook()
    {
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        string? sharedStrings = null;
        string? styles = null;
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
                var type = reader.GetAttribute("Type");
                if (type?.EndsWith("/sharedStrings", StringComparison.Ordinal) == true)
                {
                    sharedStrings = path;
                }
                else if (type?.EndsWith("/styles", StringComparison.Ordinal) == true)
                {
                    styles = path;
                }
            }
        }

        sharedStrings ??= _zip.GetEntry("xl/sharedStrings.xml") is null ? null : "xl/sharedStrings.xml";
        styles ??= _zip.GetEntry("xl/styles.xml") is null ? null : "xl/styles.xml";
        var workbook = _zip.GetEntry("xl/workbook.xml") ?? throw new FeedFileException(_feed, _fileName, null, "not an Excel workbook, or damaged: xl/workbook.xml is missing");
        var sheets = new List<(string, string)>();
        var date1904 = false;
        using (var stream = workbook.Open())
        using (var reader = XmlReader.Create(stream))
        {
            var position = 0;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element || reader.NamespaceURI != MainNamespace)
                {
                    continue;
                }

                if (reader.LocalName == "workbookPr")
                {
                    // Mac Excel's old default: serial 0 is 1904-01-01, not 1900-01-00.
                    date1904 = reader.GetAttribute("date1904") is "1" or "true";
                    continue;
                }

                if (reader.LocalName != "sheet")
                {
                    continue;
                }

                position++;
                var name = reader.GetAttribute("name") ?? string.Empty;
                var id = reader.GetAttribute("id", "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
                var path = id is not null && targets.TryGetValue(id, out var target) ? target : $"xl/worksheets/sheet{position}.xml";
                sheets.Add((name, path));
            }
        }

        return (sheets, sharedStrings, styles, date1904);
    }

    private XlsxStyles ReadStyles(string? path, bool date1904)
    {
        if (path is null || _zip.GetEntry(path) is not { } entry)
        {
            return XlsxStyles.Read(null, date1904);
        }

        using var stream = entry.Open();
        return XlsxStyles.Read(stream, date1904);
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
