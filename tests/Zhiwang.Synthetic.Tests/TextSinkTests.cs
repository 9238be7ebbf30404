using System.Globalization;
using System.Text;
using Zhiwang.Synthetic.Output;

namespace Zhiwang.Synthetic.Tests;

public class TextSinkTests
{
    [Fact]
    public void Fixed_decimals_are_written_exactly_as_the_runtime_formats_them()
    {
        var random = new Random(7);
        var values = new List<double> { 0, -0.0, 0.5, 1e-7, 5e-7, 0.0000005, 113.9999995, 114.0000005, 22.5, 1e12, 1e15, -1.25, double.NaN };
        for (var i = 0; i < 200_000; i++)
        {
            values.Add(113.7 + (random.NextDouble() * 0.9));
            values.Add(22.4 + (random.NextDouble() * 0.5));
            values.Add(random.Next(0, 100_000) / 10.0);
            // Values on and next to six-decimal midpoints, where the shortcut must give way.
            var midpoint = (random.Next(0, 200_000_000) + 0.5) / 1e6;
            values.Add(midpoint);
            values.Add(Math.BitIncrement(midpoint));
            values.Add(Math.BitDecrement(midpoint));
        }

        foreach (var decimals in new[] { 1, 6 })
        {
            var sink = new TextSink();
            var expected = new StringBuilder();
            foreach (var value in values)
            {
                sink.Field(value, decimals);
                sink.EndLine();
                expected.Append(value.ToString("F" + decimals, CultureInfo.InvariantCulture)).Append('\n');
            }

            Encoding.UTF8.GetString(sink.Bytes).ShouldBe(expected.ToString());
        }
    }

    [Theory]
    [InlineData("44030519900101123X")]
    [InlineData("深圳市南山区粤海街道科技园路1号")]
    [InlineData("A1-陳偉 ４４０３ é \ud800 \udc00 end")]
    [InlineData("")]
    public void Text_is_encoded_as_the_file_encoding_encodes_it(string text)
    {
        var utf8 = new TextSink();
        utf8.Raw(text);
        foreach (var c in text)
        {
            utf8.Raw(c);
        }

        utf8.Bytes.ToArray().ShouldBe(new UTF8Encoding(false).GetBytes(text + text));

        var gbk = new TextSink(gbk: true);
        gbk.Raw(text.Replace('\ud800', '?').Replace('\udc00', '?'));
        gbk.Bytes.ToArray().ShouldBe(OutputFile.Gbk.GetBytes(text.Replace('\ud800', '?').Replace('\udc00', '?')));
    }
}
