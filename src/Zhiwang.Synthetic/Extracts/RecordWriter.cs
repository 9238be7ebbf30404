using System.Runtime.CompilerServices;
using Zhiwang.Synthetic.Output;

namespace Zhiwang.Synthetic.Extracts;

/// <summary>Writes one extract row as CSV fields or as xlsx inline-string cells, so a department's code is the same for both.</summary>
internal sealed class RecordWriter(TextSink sink, FileFormat format)
{
    private readonly char[] _scratch = new char[256];
    private int _scratchLength;

    public TextSink Sink => sink;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Begin()
    {
        if (format == FileFormat.Xlsx)
        {
            sink.Raw("<row>");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void End()
    {
        if (format == FileFormat.Xlsx)
        {
            sink.Raw("</row>");
        }

        sink.EndLine();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Text(ReadOnlySpan<char> value)
    {
        if (format == FileFormat.Xlsx)
        {
            if (value.IsEmpty)
            {
                sink.Raw("<c/>");
                return;
            }

            sink.Raw("<c t=\"inlineStr\"><is><t>");
            sink.Xml(value);
            sink.Raw("</t></is></c>");
        }
        else
        {
            sink.Field(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Text(string? value) => Text(value.AsSpan());

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Number(long value)
    {
        if (format == FileFormat.Xlsx)
        {
            sink.Raw("<c><v>");
            sink.Number(value);
            sink.Raw("</v></c>");
        }
        else
        {
            sink.Field(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Date(DateOnly value, DateStyle style)
    {
        if (format == FileFormat.Xlsx)
        {
            sink.Raw("<c t=\"inlineStr\"><is><t>");
            sink.Date(value, style);
            sink.Raw("</t></is></c>");
        }
        else
        {
            sink.Field(value, style);
        }
    }

    /// <summary>Composes a value from parts in a scratch buffer; finish with <see cref="Flush"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RecordWriter Part(ReadOnlySpan<char> text)
    {
        text.CopyTo(_scratch.AsSpan(_scratchLength));
        _scratchLength += text.Length;
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RecordWriter Part(long number)
    {
        number.TryFormat(_scratch.AsSpan(_scratchLength), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _scratchLength += written;
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Flush()
    {
        Text(_scratch.AsSpan(0, _scratchLength));
        _scratchLength = 0;
    }
}
