using System.Text;

namespace Zhiwang.MasterData.Files;

/// <summary>
/// Reads RFC 4180 CSV one record at a time: comma-separated, fields optionally in double quotes, a
/// doubled quote inside quotes for a quote, line breaks allowed inside quotes, CRLF or LF. Tracks the
/// record number (1 = first record after the header) so errors can say where they are.
/// </summary>
public sealed class CsvRecordReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];

    public CsvRecordReader(TextReader reader)
    {
        _reader = reader;
    }

    public CsvRecordReader(string path, Encoding encoding)
        : this(new StreamReader(path, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16))
    {
    }

    /// <summary>The header's field names, after <see cref="ReadHeader"/>.</summary>
    public IReadOnlyList<string> Header { get; private set; } = [];

    /// <summary>Data records read so far: the number of the current record.</summary>
    public long Record { get; private set; }

    /// <summary>Reads the first record as the header; false when the input is empty.</summary>
    public bool ReadHeader()
    {
        if (!ReadFields())
        {
            return false;
        }

        Header = _fields.ToArray();
        return true;
    }

    /// <summary>The index of a header field, or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Header.Count; i++)
        {
            if (string.Equals(Header[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Reads the next data record into <see cref="Fields"/>; false at the end.</summary>
    public bool Read()
    {
        if (!ReadFields())
        {
            return false;
        }

        Record++;
        return true;
    }

    /// <summary>The fields of the current record (reused between records).</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>A field of the current record, or null when the record is shorter.</summary>
    public string? Field(int index) => index >= 0 && index < _fields.Count ? _fields[index] : null;

    public void Dispose() => _reader.Dispose();

    private bool ReadFields()
    {
        _fields.Clear();
        _field.Clear();
        var next = _reader.Read();
        if (next < 0)
        {
            return false;
        }

        var quoted = false;
        var inQuotes = false;
        while (true)
        {
            if (next < 0)
            {
                if (inQuotes)
                {
                    throw new FormatException($"record {Record + 1}: a quoted field is not closed before the end of the file");
                }

                _fields.Add(_field.ToString());
                return true;
            }

            var c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    _field.Append(c);
                }
            }
            else if (c == '"' && _field.Length == 0 && !quoted)
            {
                inQuotes = quoted = true;
            }
            else if (c == ',')
            {
                _fields.Add(_field.ToString());
                _field.Clear();
                quoted = false;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && _reader.Peek() == '\n')
                {
                    _reader.Read();
                }

                _fields.Add(_field.ToString());
                return true;
            }
            else
            {
                _field.Append(c);
            }

            next = _reader.Read();
        }
    }
}
