using System.Text;

namespace Zhiwang.Linkage.Text;

/// <summary>
/// Traditional-to-simplified and toneless pinyin tables derived from Unicode's Unihan database by
/// <c>tools/unihan/derive.py</c> (see <c>Data/LICENSES.md</c>), loaded once, on first use, into
/// arrays indexed by code point.
/// </summary>
internal sealed class UnihanTables
{
    /// <summary>First code point with a reading (CJK Extension A).</summary>
    public const char FirstHan = '\u3400';

    /// <summary>Last code point covered (end of the compatibility ideographs).</summary>
    public const char LastHan = '\uFAFF';

    private const string PinyinResource = "Zhiwang.Linkage.Data.pinyin.txt";
    private const string SimplifiedResource = "Zhiwang.Linkage.Data.t2s.txt";

    private static readonly Lazy<UnihanTables> Instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    // Indexed by code point; '\0' where the character has no different simplified form.
    private readonly char[] _simplified;

    // Indexed by code point - FirstHan; syllable number + 1, 0 where the character has no reading.
    private readonly ushort[] _primary;

    // Every reading of a polyphonic character, the most common first.
    private readonly Dictionary<char, ushort[]> _polyphones;

    private UnihanTables(char[] simplified, ushort[] primary, Dictionary<char, ushort[]> polyphones, string[] syllables)
    {
        _simplified = simplified;
        _primary = primary;
        _polyphones = polyphones;
        Syllables = syllables;
        LongestSyllable = syllables.Max(s => s.Length);
    }

    public static UnihanTables Shared => Instance.Value;

    /// <summary>Toneless syllables, ü written as v, in the data file's (alphabetical) order.</summary>
    public string[] Syllables { get; }

    public int LongestSyllable { get; }

    public int SimplifiedCount => _simplified.Count(c => c != '\0');

    public int CharactersWithReading => _primary.Count(p => p != 0);

    public int PolyphoneCount => _polyphones.Count;

    /// <summary>The simplified form, or the character itself when it has none.</summary>
    public char Simplify(char c)
    {
        var simplified = _simplified[c];
        return simplified == '\0' ? c : simplified;
    }

    public static bool IsHan(char c) => c is >= FirstHan and <= LastHan and (< '\u4DC0' or >= '\u4E00') and (<= '\u9FFF' or >= '\uF900');

    /// <summary>Number of the most common reading's syllable, or -1 when the character has none.</summary>
    public int PrimaryReading(char c) => c is >= FirstHan and <= LastHan ? _primary[c - FirstHan] - 1 : -1;

    /// <summary>Every reading's syllable number; empty when the character has none.</summary>
    public ReadOnlySpan<ushort> Readings(char c)
    {
        if (c is < FirstHan or > LastHan || _primary[c - FirstHan] == 0)
        {
            return [];
        }

        return _polyphones.TryGetValue(c, out var all) ? all : new ReadOnlySpan<ushort>(_primary, c - FirstHan, 1);
    }

    /// <summary>Whether some reading of a is also a reading of b.</summary>
    public bool ShareReading(char a, char b)
    {
        var pa = PrimaryReading(a);
        var pb = PrimaryReading(b);
        if (pa < 0 || pb < 0)
        {
            return false;
        }

        if (pa == pb)
        {
            return true;
        }

        var right = Readings(b);
        foreach (var reading in Readings(a))
        {
            if (right.Contains(reading))
            {
                return true;
            }
        }

        return false;
    }

    private static UnihanTables Load()
    {
        var simplified = new char[char.MaxValue + 1];
        var lineNumber = 0;
        foreach (var line in ReadLines(SimplifiedResource))
        {
            lineNumber++;
            if (line.Length != 2 || char.IsSurrogate(line[0]) || char.IsSurrogate(line[1]))
            {
                throw Bad(SimplifiedResource, lineNumber, "expected a traditional and a simplified BMP character");
            }

            simplified[line[0]] = line[1];
        }

        var primary = new ushort[LastHan - FirstHan + 1];
        var further = new Dictionary<char, List<ushort>>();
        var syllables = new List<string>();
        lineNumber = 0;
        foreach (var line in ReadLines(PinyinResource))
        {
            lineNumber++;
            var fields = line.Split('\t');
            if (fields.Length != 3)
            {
                throw Bad(PinyinResource, lineNumber, $"expected 3 tab-separated fields, found {fields.Length}");
            }

            var syllable = fields[0];
            if (syllable.Length == 0 || !syllable.All(char.IsAsciiLetterLower))
            {
                throw Bad(PinyinResource, lineNumber, $"syllable '{syllable}' is not lower-case a-z");
            }

            syllables.Add(syllable);
            var number = checked((ushort)syllables.Count);
            foreach (var c in fields[1])
            {
                if (c is < FirstHan or > LastHan)
                {
                    throw Bad(PinyinResource, lineNumber, $"character U+{(int)c:X4} is outside U+3400-U+FAFF");
                }

                if (primary[c - FirstHan] != 0)
                {
                    throw Bad(PinyinResource, lineNumber, $"character {c} already has a most common reading");
                }

                primary[c - FirstHan] = number;
            }

            foreach (var c in fields[2])
            {
                if (c is < FirstHan or > LastHan)
                {
                    throw Bad(PinyinResource, lineNumber, $"character U+{(int)c:X4} is outside U+3400-U+FAFF");
                }

                if (!further.TryGetValue(c, out var list))
                {
                    further[c] = list = [];
                }

                list.Add(number);
            }
        }

        var polyphones = new Dictionary<char, ushort[]>(further.Count);
        foreach (var (c, list) in further)
        {
            var first = primary[c - FirstHan];
            if (first == 0)
            {
                throw Bad(PinyinResource, 0, $"character {c} has further readings but no most common one");
            }

            polyphones[c] = [first, .. list];
        }

        return new UnihanTables(simplified, primary, polyphones, [.. syllables]);
    }

    private static IEnumerable<string> ReadLines(string resource)
    {
        using var stream = typeof(UnihanTables).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from the Zhiwang.Linkage assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static InvalidDataException Bad(string resource, int lineNumber, string reason) =>
        new($"{resource}, line {lineNumber}: {reason}.");
}
