namespace Zhiwang.Linkage.Comparisons;

/// <summary>Edit distances and Jaro-Winkler similarity on UTF-16 code units (Han characters are one unit each).</summary>
public static class StringDistance
{
    /// <summary>Jaro-Winkler similarity in [0, 1] with the usual prefix scale 0.1 over at most four characters.</summary>
    public static double JaroWinkler(string a, string b) => JaroWinkler(a.AsSpan(), b.AsSpan());

    /// <summary>Jaro-Winkler on spans: pooled values are compared where they lie, without a string per pair.</summary>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 && b.Length == 0)
        {
            return 1;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        Span<bool> aMatched = a.Length <= 256 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 256 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - window);
            var to = Math.Min(b.Length - 1, i + window);
            for (var j = from; j <= to; j++)
            {
                if (!bMatched[j] && a[i] == b[j])
                {
                    aMatched[i] = bMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0;
        }

        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
            {
                continue;
            }

            while (!bMatched[k])
            {
                k++;
            }

            if (a[i] != b[k])
            {
                transpositions++;
            }

            k++;
        }

        double m = matches;
        var jaro = ((m / a.Length) + (m / b.Length) + ((m - (transpositions / 2.0)) / m)) / 3.0;
        var prefix = 0;
        while (prefix < 4 && prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + (prefix * 0.1 * (1 - jaro));
    }

    /// <summary>Levenshtein distance (insert, delete, substitute).</summary>
    public static int Levenshtein(string a, string b) => Distance(a, b, transpositions: false);

    /// <summary>Levenshtein distance on spans.</summary>
    public static int Levenshtein(ReadOnlySpan<char> a, ReadOnlySpan<char> b) => Distance(a, b, transpositions: false);

    /// <summary>Damerau-Levenshtein distance in its optimal-string-alignment form: adjacent transpositions cost 1.</summary>
    public static int DamerauLevenshtein(string a, string b) => Distance(a, b, transpositions: true);

    /// <summary>Damerau-Levenshtein (optimal string alignment) on spans.</summary>
    public static int DamerauLevenshtein(ReadOnlySpan<char> a, ReadOnlySpan<char> b) => Distance(a, b, transpositions: true);

    private static int Distance(ReadOnlySpan<char> a, ReadOnlySpan<char> b, bool transpositions)
    {
        if (a.Length == 0)
        {
            return b.Length;
        }

        if (b.Length == 0)
        {
            return a.Length;
        }

        var width = b.Length + 1;
        // Three rows: the one before last is needed for transpositions.
        Span<int> buffer = 3 * width <= 512 ? stackalloc int[3 * width] : new int[3 * width];
        var before = buffer[..width];
        var previous = buffer.Slice(width, width);
        var current = buffer.Slice(2 * width, width);
        for (var j = 0; j < width; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j < width; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (transpositions && i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, before[j - 2] + 1);
                }

                current[j] = value;
            }

            var recycled = before;
            before = previous;
            previous = current;
            current = recycled;
        }

        return previous[width - 1];
    }
}
