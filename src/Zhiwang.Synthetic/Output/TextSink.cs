using System.Globalization;
using System.Text;

namespace Zhiwang.Synthetic.Output;

/// <summary>
/// One output file's share of a chunk: lines built into a reused char buffer, then encoded once per
/// chunk into a reused byte buffer. Values are formatted straight into the buffer, so a row costs no
/// strings beyond those the row already holds.
/// </summary>
internal sealed class TextSink
{
    private char[] _chars = new char[1 << 16];
    private byte[] _bytes = [];
    private int _length;
    private bool _fieldStarted;

    public TextSink(char separator = ',', bool quoteWhenNeeded = true)
    {
        Separator = separator;
        QuoteWhenNeeded = quoteWhenNeeded;
    }

    public char Separator { get; }

    public bool QuoteWhenNeeded { get; }

    /// <summary>Lines (rows) added since the last clear; xlsx sheets roll over on it.</summary>
    public int Rows { get; private set; }

    public int ByteCount { get; private set; }

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, ByteCount);

    public void Clear()
    {
        _length = 0;
        Rows = 0;
        ByteCount = 0;
        _fieldStarted = false;
    }

    /// <summary>Encodes what was written; the bytes stay valid until the next clear.</summary>
    public void Encode(Encoding encoding)
    {
        var max = encoding.GetMaxByteCount(_length);
        if (_bytes.Length < max)
        {
            _bytes = new byte[Math.Max(max, _bytes.Length * 2)];
        }

        ByteCount = encoding.GetBytes(_chars, 0, _length, _bytes, 0);
    }

    /// <summary>Starts a field: writes the separator before every field but the first of a line.</summary>
    public TextSink Field(ReadOnlySpan<char> value)
    {
        NextField();
        if (QuoteWhenNeeded && value.IndexOfAny(",\"\r\n") >= 0)
        {
            Raw('"');
            foreach (var c in value)
            {
                if (c == '"')
                {
                    Raw('"');
                }

                Raw(c);
            }

            Raw('"');
        }
        else
        {
            Raw(value);
        }

        return this;
    }

    public TextSink Field(string? value) => Field(value.AsSpan());

    public TextSink Field(long value)
    {
        NextField();
        Number(value);
        return this;
    }

    public TextSink Field(double value, string format)
    {
        NextField();
        Ensure(32);
        value.TryFormat(_chars.AsSpan(_length), out var written, format, CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>A date as yyyy-MM-dd or one of the formats departments use.</summary>
    public TextSink Field(DateOnly value, DateStyle style)
    {
        NextField();
        Date(value, style);
        return this;
    }

    public TextSink Empty()
    {
        NextField();
        return this;
    }

    public void EndLine()
    {
        Raw('\n');
        _fieldStarted = false;
        Rows++;
    }

    public void Raw(char c)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = c;
    }

    public void Raw(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }

    /// <summary>Text escaped for XML character data.</summary>
    public void Xml(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '<':
                    Raw("&lt;");
                    break;
                case '>':
                    Raw("&gt;");
                    break;
                case '&':
                    Raw("&amp;");
                    break;
                default:
                    Raw(c);
                    break;
            }
        }
    }

    /// <summary>Text escaped for a JSON string (without the quotes).</summary>
    public void Json(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is '"' or '\\')
            {
                Raw('\\');
                Raw(c);
            }
            else if (c < ' ')
            {
                Raw(string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"));
            }
            else
            {
                Raw(c);
            }
        }
    }

    public void Number(long value)
    {
        Ensure(20);
        value.TryFormat(_chars.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    public void Number(long value, int digits)
    {
        Ensure(20);
        var length = 1;
        for (var v = value / 10; v > 0; v /= 10)
        {
            length++;
        }

        length = Math.Max(length, digits);
        var span = _chars.AsSpan(_length, length);
        for (var i = length - 1; i >= 0; i--)
        {
            span[i] = (char)('0' + (value % 10));
            value /= 10;
        }

        _length += length;
    }

    public void Date(DateOnly value, DateStyle style)
    {
        switch (style)
        {
            case DateStyle.Iso:
                Number(value.Year, 4);
                Raw('-');
                Number(value.Month, 2);
                Raw('-');
                Number(value.Day, 2);
                break;
            case DateStyle.Compact:
                Number(value.Year, 4);
                Number(value.Month, 2);
                Number(value.Day, 2);
                break;
            case DateStyle.Slashes:
                Number(value.Year);
                Raw('/');
                Number(value.Month);
                Raw('/');
                Number(value.Day);
                break;
            case DateStyle.Chinese:
                Number(value.Year);
                Raw('年');
                Number(value.Month);
                Raw('月');
                Number(value.Day);
                Raw('日');
                break;
            case DateStyle.Dots:
                Number(value.Year, 4);
                Raw('.');
                Number(value.Month, 2);
                Raw('.');
                Number(value.Day, 2);
                break;
            case DateStyle.YearMonth:
                Number(value.Year, 4);
                Number(value.Month, 2);
                break;
        }
    }

    private void NextField()
    {
        if (_fieldStarted)
        {
            Raw(Separator);
        }

        _fieldStarted = true;
    }

    private void Ensure(int extra)
    {
        if (_length + extra > _chars.Length)
        {
            Grow(extra);
        }
    }

    private void Grow(int extra) => Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + extra));
}

/// <summary>How a department writes dates.</summary>
internal enum DateStyle
{
    Iso,
    Compact,
    Slashes,
    Chinese,
    Dots,
    YearMonth,
}
