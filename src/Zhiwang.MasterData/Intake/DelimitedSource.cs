using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Zhiwang.MasterData.Intake;

/// <summary>
/// CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF) and separator-delimited
/// text without quoting, in UTF-8 (with or without BOM) or GBK, read from a buffer a block at a time. A row
/// with bad quoting, the wrong number of fields or bytes that do not decode is an error; the next row goes on.
/// </summary>
internal sealed class DelimitedSource : RowSource
{
    private const int BlockSize = 1 << 16;
    private const char Replacement = '\uFFFD';

    private readonly Stream _stream;
    private readonly Decoder _decoder;
    private readonly string _encodingName;
    private readonly char _separator;
    private readonly bool _quoting;
    private readonly SearchValues<char> _stops;
    private readonly byte[] _bytes = new byte[BlockSize];
    private readonly char[] _chars = new char[BlockSize + 16];
    private readonly List<string> _fields = [];
    private char[] _field = new char[256];
    private int _fieldLength;
    private int _pos;
    private int _len;
    private bool _end;
    private long _line = 1;

    static DelimitedSource()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public DelimitedSource(Stream stream, string file, string encoding, char separator, bool quoting, string feed)
        : base(file)
    {
        _stream = stream;
        _separator = separator;
        _quoting = quoting;
        _stops = quoting ? SearchValues.Create([separator, '\r', '\n', '"']) : SearchValues.Create([separator, '\r', '\n']);
        var gbk = encoding switch
        {
            "gbk" => true,
            "utf-8" => false,
            _ => DetectGbk(stream, file, feed),
        };
        _encodingName = gbk ? "GBK" : "UTF-8";
        _decoder = gbk
            ? Encoding.GetEncoding(936, EncoderFallback.ReplacementFallback, new DecoderReplacementFallback(Replacement.ToString())).GetDecoder()
            : new UTF8Encoding(false, false).GetDecoder();

        if (!ReadRecord())
        {
            throw new FeedFileException(feed, file, null, "the file is empty: no header row");
        }

        if (_fields.Count > 0 && _fields[0].StartsWith('\uFEFF'))
        {
            _fields[0] = _fields[0][1..];
        }

        if (Error is not null)
        {
            throw new FeedFileException(feed, file, null, $"the header row cannot be read: {Error}");
        }

        SetColumns(_fields.Select(field => field.Trim()));
    }

    public override long Position => _stream.CanSeek ? _stream.Position : 0;

    public override long? Length => _stream.CanSeek ? _stream.Length : null;

    public static Encoding Gbk
    {
        get
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding(936);
        }
    }

    /// <summary>Whether a file is GBK rather than UTF-8: a strict UTF-8 decode of its start, else a strict GBK one, else neither.</summary>
    internal static bool DetectGbk(Stream stream, string file, string feed)
    {
        var start = stream.CanSeek ? stream.Position : throw new ArgumentException("Encoding detection needs a seekable stream.", nameof(stream));
        var buffer = new byte[BlockSize];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        stream.Position = start;
        var sample = buffer.AsSpan(0, read);
        var complete = read < buffer.Length;
        if (sample.Contains((byte)0))
        {
            throw new FeedFileException(feed, file, null, "the file holds NUL bytes: it is neither UTF-8 nor GBK text (UTF-16? a binary file?)");
        }

        var chars = new char[read + 1];
        var status = Utf8.ToUtf16(sample, chars, out _, out _, replaceInvalidSequences: false, isFinalBlock: complete);
        if (status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData)
        {
            return false;
        }

        try
        {
            var strict = Encoding.GetEncoding(936, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback).GetDecoder();
            strict.GetCharCount(buffer, 0, read, flush: complete);
            return true;
        }
        catch (DecoderFallbackException e)
        {
            throw new FeedFileException(feed, file, null, $"the file is neither UTF-8 nor GBK: byte {e.Index} of its start does not decode in either", e);
        }
    }

    public override bool Read()
    {
        ClearRow();
        if (!ReadRecord())
        {
            return false;
        }

        var values = _fields.ToArray();
        Values = values;
        if (Error is null && values.Length != Columns.Count)
        {
            Fail($"the row has {values.Length} fields, the header has {Columns.Count}");
        }

        if (Error is null)
        {
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i]!.Contains(Replacement, StringComparison.Ordinal))
                {
                    Fail($"bytes that are not valid {_encodingName}", Columns[i]);
                    break;
                }
            }
        }

        return true;
    }

    public override void Dispose() => _stream.Dispose();

    private string ColumnName(int index) => index < Columns.Count ? Columns[index] : $"field {index + 1}";

    private bool ReadRecord()
    {
        _fields.Clear();
        var c = Next();
        while (c is '\r' or '\n')
        {
            EndOfLine(c);
            c = Next();
        }

        if (c < 0)
        {
            return false;
        }

        Row = _line;
        _pos--; // the first character belongs to the first field
        while (true)
        {
            _fieldLength = 0;
            if (_quoting && Peek() == '"')
            {
                _pos++;
                c = ReadQuoted();
            }
            else
            {
                c = ReadUnquoted();
            }

            _fields.Add(_fieldLength == 0 ? string.Empty : new string(_field, 0, _fieldLength));
            if (c == _separator)
            {
                continue;
            }

            EndOfLine(c);
            return true;
        }
    }

    // Reads up to the next separator or line end, a block at a time; returns the character that ended the field (-1 at the end).
    private int ReadUnquoted()
    {
        while (true)
        {
            if (_pos == _len && !Fill())
            {
                return -1;
            }

            var span = _chars.AsSpan(_pos, _len - _pos);
            var k = span.IndexOfAny(_stops);
            if (k < 0)
            {
                Append(span);
                _pos = _len;
                continue;
            }

            Append(span[..k]);
            _pos += k;
            var c = _chars[_pos++];
            if (c == '"')
            {
                Fail($"a quote inside the unquoted field {_fields.Count + 1}", ColumnName(_fields.Count));
                Append('"');
                continue;
            }

            return c;
        }
    }

    private int ReadQuoted()
    {
        var opened = _line;
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                Fail($"the quoted field {_fields.Count + 1} opened on line {opened} is not closed before the end of the file", ColumnName(_fields.Count));
                return -1;
            }

            if (c == '"')
            {
                if (Peek() == '"')
                {
                    _pos++;
                    Append('"');
                    continue;
                }

                break;
            }

            if (c == '\n')
            {
                _line++;
            }

            Append((char)c);
        }

        var after = Next();
        if (after < 0 || after == _separator || after is '\r' or '\n')
        {
            return after;
        }

        Fail($"text after the closing quote of field {_fields.Count + 1}", ColumnName(_fields.Count));
        Append((char)after);
        return ReadUnquoted();
    }

    private void EndOfLine(int c)
    {
        if (c == '\r' && Peek() == '\n')
        {
            _pos++;
        }

        if (c is '\r' or '\n')
        {
            _line++;
        }
    }

    private int Next()
    {
        if (_pos == _len && !Fill())
        {
            return -1;
        }

        return _chars[_pos++];
    }

    private int Peek()
    {
        if (_pos == _len && !Fill())
        {
            return -1;
        }

        return _chars[_pos];
    }

    private bool Fill()
    {
        while (!_end)
        {
            // Keep the last character readable for the step back in ReadRecord.
            var keep = _len > 0 ? 1 : 0;
            if (keep == 1)
            {
                _chars[0] = _chars[_len - 1];
            }

            var read = _stream.Read(_bytes, 0, _bytes.Length);
            var flush = read == 0;

            // The char buffer holds a block and a few more, so a block of bytes always decodes whole.
            _decoder.Convert(_bytes, 0, read, _chars, keep, _chars.Length - keep, flush, out _, out var produced, out _);
            _end = flush;
            _pos = keep;
            _len = keep + produced;
            if (produced > 0)
            {
                return true;
            }
        }

        return false;
    }

    private void Append(char c)
    {
        if (_fieldLength == _field.Length)
        {
            Array.Resize(ref _field, _field.Length * 2);
        }

        _field[_fieldLength++] = c;
    }

    private void Append(ReadOnlySpan<char> chars)
    {
        if (_fieldLength + chars.Length > _field.Length)
        {
            Array.Resize(ref _field, Math.Max(_field.Length * 2, _fieldLength + chars.Length));
        }

        chars.CopyTo(_field.AsSpan(_fieldLength));
        _fieldLength += chars.Length;
    }
}
