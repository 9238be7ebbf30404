using System.Text;
using System.Text.Json;

namespace Zhiwang.MasterData.Intake;

/// <summary>
/// JSON lines: one object a line, its properties the columns. A line that is not a JSON object (or not UTF-8)
/// is a row error and the next line goes on. Columns are the properties the declaration asks for; the raw
/// values of a row are all its properties.
/// </summary>
internal sealed class JsonLinesSource : RowSource
{
    private readonly Stream _stream;
    private readonly List<(byte[] Utf8, string Name)> _names = [];
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;
    private long _line;
    private Dictionary<string, string?> _raw = new(StringComparer.Ordinal);

    public JsonLinesSource(Stream stream, string file)
        : base(file)
    {
        _stream = stream;
    }

    public override long Position => _stream.CanSeek ? _stream.Position : 0;

    public override long? Length => _stream.CanSeek ? _stream.Length : null;

    /// <summary>Any property can be a column: asking for one adds it.</summary>
    public override int IndexOf(string column) => AddColumn(column);

    public override IReadOnlyDictionary<string, string?> Raw() => _raw;

    public override bool Read()
    {
        ClearRow();
        ReadOnlySpan<byte> line;
        do
        {
            if (!NextLine(out line))
            {
                return false;
            }

            line = line.TrimEnd((byte)'\r');
            if (_line == 1 && line.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }
        }
        while (line.Trim((byte)' ').IsEmpty);

        Row = _line;
        var values = new string?[Columns.Count];
        Values = values;
        _raw = new Dictionary<string, string?>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                Fail("the line is not a JSON object");
                return true;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = NameOf(ref reader);
                reader.Read();
                string? value = reader.TokenType switch
                {
                    JsonTokenType.String => reader.GetString(),
                    JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    _ => null,
                };
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }

                _raw[name] = value;
                var index = base.IndexOf(name);
                if (index >= 0 && index < values.Length)
                {
                    values[index] = value;
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                Fail("the line holds more than one JSON object");
            }
        }
        catch (JsonException e)
        {
            Fail($"not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader reports invalid UTF-8 inside a string this way.
            Fail($"not valid JSON text: {e.Message}");
        }

        return true;
    }

    public override void Dispose() => _stream.Dispose();

    private string NameOf(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            foreach (var (utf8, known) in _names)
            {
                if (reader.ValueSpan.SequenceEqual(utf8))
                {
                    return known;
                }
            }
        }

        var name = reader.GetString()!;
        if (!reader.ValueIsEscaped && _names.Count < 256)
        {
            _names.Add((reader.ValueSpan.ToArray(), name));
        }

        return name;
    }

    private bool NextLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsSpan(_start, newline);
                _start += newline + 1;
                _line++;
                return true;
            }

            if (_eof)
            {
                if (_start < _end)
                {
                    line = _buffer.AsSpan(_start, _end - _start);
                    _start = _end;
                    _line++;
                    return true;
                }

                line = default;
                return false;
            }

            // Move the partial line to the front, grow the buffer for a long line, read more.
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }
}
