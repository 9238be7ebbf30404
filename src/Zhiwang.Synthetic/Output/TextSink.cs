using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Zhiwang.Synthetic.Output;

/// <summary>
/// One output file's share of a chunk: lines encoded straight into a reused byte buffer (UTF-8, or
/// GBK through a lookup table), so a row costs no strings beyond those the row already holds and no
/// second encoding pass.
/// </summary>
internal sealed class TextSink
{
    private static readonly Lazy<ushort[]> GbkTable = new(BuildGbkTable);
    private static readonly SearchValues<char> NeedsQuotes = SearchValues.Create(",\"\r\n");
    private static readonly SearchValues<char> XmlSpecial = SearchValues.Create("<>&");
    private static readonly SearchValues<char> JsonSpecial = SearchValues.Create(
        "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f");

    private static readonly long[] DecimalScales = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
    private static readonly string[] FixedFormats = ["F0", "F1", "F2", "F3", "F4", "F5", "F6"];

    private readonly ushort[]? _gbk;
    private byte[] _bytes = new byte[1 << 16];
    private int _length;
    private bool _fieldStarted;

    public TextSink(char separator = ',', bool quoteWhenNeeded = true, bool gbk = false)
    {
        Separator = separator;
        QuoteWhenNeeded = quoteWhenNeeded;
        _gbk = gbk ? GbkTable.Value : null;
    }

    public char Separator { get; }

    public bool QuoteWhenNeeded { get; }

    /// <summary>Lines (rows) added since the last clear; xlsx sheets roll over on it.</summary>
    public int Rows { get; private set; }

    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Clear()
    {
        _length = 0;
        Rows = 0;
        _fieldStarted = false;
    }

    /// <summary>Starts a field: writes the separator before every field but the first of a line.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TextSink Field(ReadOnlySpan<char> value)
    {
        NextField();
        if (QuoteWhenNeeded && value.ContainsAny(NeedsQuotes))
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TextSink Field(string? value) => Field(value.AsSpan());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TextSink Field(long value)
    {
        NextField();
        Number(value);
        return this;
    }

    /// <summary>A number with a fixed count of decimals (1 to 6), byte for byte as <c>ToString("F" + decimals)</c> writes it.</summary>
    /// <remarks>
    /// The general formatter takes the exact (Dragon4) path for most coordinates, which cost more than
    /// the rest of their row. Rounding the scaled value as an integer gives the same digits whenever it
    /// is clearly away from a rounding midpoint: the product's error is far below the margin at these
    /// magnitudes, and a decimal midpoint is never exactly a double. Anything else goes to the formatter.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TextSink Field(double value, int decimals)
    {
        NextField();
        Ensure(32);
        var scale = DecimalScales[decimals];
        var scaled = value * scale;
        var rounded = Math.Round(scaled);
        if (!double.IsNegative(value) && scaled < 1e12 && 0.5 - Math.Abs(scaled - rounded) > 1e-3)
        {
            var units = (long)rounded;
            Number(units / scale);
            _bytes[_length++] = (byte)'.';
            Number(units % scale, decimals);
            return this;
        }

        value.TryFormat(_bytes.AsSpan(_length), out var written, FixedFormats[decimals], CultureInfo.InvariantCulture);
        _length += written;
        return this;
    }

    /// <summary>A date as yyyy-MM-dd or one of the formats departments use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TextSink Field(DateOnly value, DateStyle style)
    {
        NextField();
        Date(value, style);
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public TextSink Empty()
    {
        NextField();
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void EndLine()
    {
        Raw('\n');
        _fieldStarted = false;
        Rows++;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Raw(char c)
    {
        Ensure(3);
        if (c < 0x80)
        {
            _bytes[_length++] = (byte)c;
        }
        else if (_gbk is not null)
        {
            var code = _gbk[c];
            if (code > 0xFF)
            {
                _bytes[_length++] = (byte)(code >> 8);
            }

            _bytes[_length++] = (byte)code;
        }
        else if (c < 0x800)
        {
            _bytes[_length++] = (byte)(0xC0 | (c >> 6));
            _bytes[_length++] = (byte)(0x80 | (c & 0x3F));
        }
        else
        {
            // A lone surrogate becomes U+FFFD, as UTF8Encoding writes it.
            var code = char.IsSurrogate(c) ? '\uFFFD' : c;
            _bytes[_length++] = (byte)(0xE0 | (code >> 12));
            _bytes[_length++] = (byte)(0x80 | ((code >> 6) & 0x3F));
            _bytes[_length++] = (byte)(0x80 | (code & 0x3F));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Raw(ReadOnlySpan<char> text)
    {
        Ensure(text.Length * 3);
        if (_gbk is null)
        {
            // The static transcoder writes the same bytes as UTF8Encoding (U+FFFD for a lone surrogate)
            // without an Encoding's per-call overhead, which dominated for short fields.
            Utf8.FromUtf16(text, _bytes.AsSpan(_length), out _, out var written);
            _length += written;
            return;
        }

        // Codes, numbers and dates are ASCII: narrowed vectorised up to the first other character.
        Ascii.FromUtf16(text, _bytes.AsSpan(_length), out var ascii);
        _length += ascii;
        foreach (var c in text[ascii..])
        {
            if (c < 0x80)
            {
                _bytes[_length++] = (byte)c;
                continue;
            }

            var code = _gbk[c];
            if (code > 0xFF)
            {
                _bytes[_length++] = (byte)(code >> 8);
            }

            _bytes[_length++] = (byte)code;
        }
    }

    /// <summary>ASCII or UTF-8 bytes (a u8 literal); only for text that is ASCII when the sink is GBK.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Raw(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Text escaped for XML character data.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Xml(ReadOnlySpan<char> text)
    {
        if (!text.ContainsAny(XmlSpecial))
        {
            Raw(text);
            return;
        }

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Json(ReadOnlySpan<char> text)
    {
        if (!text.ContainsAny(JsonSpecial))
        {
            Raw(text);
            return;
        }

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Number(long value)
    {
        Ensure(20);
        value.TryFormat(_bytes.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Number(long value, int digits)
    {
        Ensure(20);
        var length = 1;
        for (var v = value / 10; v > 0; v /= 10)
        {
            length++;
        }

        length = Math.Max(length, digits);
        var span = _bytes.AsSpan(_length, length);
        for (var i = length - 1; i >= 0; i--)
        {
            span[i] = (byte)('0' + (value % 10));
            value /= 10;
        }

        _length += length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NextField()
    {
        if (_fieldStarted)
        {
            Raw(Separator);
        }

        _fieldStarted = true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Ensure(int extra)
    {
        if (_length + extra > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + extra));
        }
    }

    /// <summary>GBK bytes of every BMP character, one or two bytes in a ushort; '?' where GBK has none.</summary>
    private static ushort[] BuildGbkTable()
    {
        var gbk = OutputFile.Gbk;
        var table = new ushort[65536];
        Span<byte> bytes = stackalloc byte[8];
        for (var c = 0; c < 65536; c++)
        {
            if (c is >= 0xD800 and <= 0xDFFF)
            {
                table[c] = '?';
                continue;
            }

            var ch = (char)c;
            var n = gbk.GetBytes(new ReadOnlySpan<char>(in ch), bytes);
            table[c] = n == 2 ? (ushort)((bytes[0] << 8) | bytes[1]) : bytes[0];
        }

        return table;
    }
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
