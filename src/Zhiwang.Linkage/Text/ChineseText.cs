using System.Buffers;
using System.Collections.Frozen;

namespace Zhiwang.Linkage.Text;

/// <summary>
/// Folding and pinyin for Chinese text: the comparison form of names and addresses that different
/// departments typed differently (full-width digits, traditional characters, extra spaces).
/// </summary>
/// <remarks>
/// Pinyin is toneless, lower case, with ü written <c>v</c> (吕 → lv), as pinyin input methods type it.
/// Tables come from Unicode's Unihan database (Data/LICENSES.md) and cover U+3400–U+9FFF and the
/// compatibility ideographs; characters outside them (Extension B and later) fold to themselves and
/// have no reading.
/// </remarks>
public static class ChineseText
{
    private const int StackLimit = 256;

    // Surnames whose reading differs from the character's most common one (曾 is ceng in 曾经 but
    // zeng as a surname); compound surnames first so 单于 is chan-yu, not shan-yu.
    internal static readonly FrozenDictionary<string, string[]> SurnameReadings = new Dictionary<string, string[]>
    {
        ["尉迟"] = ["yu", "chi"], ["万俟"] = ["mo", "qi"], ["澹台"] = ["tan", "tai"], ["单于"] = ["chan", "yu"],
        ["长孙"] = ["zhang", "sun"],
        ["曾"] = ["zeng"], ["单"] = ["shan"], ["解"] = ["xie"], ["仇"] = ["qiu"], ["区"] = ["ou"], ["查"] = ["zha"],
        ["朴"] = ["piao"], ["覃"] = ["qin"], ["乐"] = ["yue"], ["种"] = ["chong"], ["盖"] = ["ge"], ["缪"] = ["miao"],
        ["翟"] = ["zhai"], ["召"] = ["shao"], ["秘"] = ["bi"], ["繁"] = ["po"], ["句"] = ["gou"], ["员"] = ["yun"],
        ["长"] = ["chang"], ["重"] = ["chong"], ["薄"] = ["bo"], ["都"] = ["du"], ["折"] = ["she"], ["宓"] = ["fu"],
        ["阚"] = ["kan"], ["便"] = ["pian"], ["隗"] = ["wei"], ["卜"] = ["bu"], ["角"] = ["jue"], ["佴"] = ["nai"],
        ["乜"] = ["nie"], ["炅"] = ["gui"], ["祭"] = ["zhai"], ["粘"] = ["nian"],
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> SurnameLookup =
        SurnameReadings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Full-width to half-width, traditional to simplified, whitespace trimmed and collapsed.</summary>
    /// <remarks>
    /// Full-width ASCII (U+FF01–U+FF5E) becomes ASCII, every whitespace character (ideographic space,
    /// tab, no-break space) a single space, Latin letters lower case; everything else is kept. Returns
    /// the same instance when nothing changes.
    /// </remarks>
    public static string Fold(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var tables = UnihanTables.Shared;
        var first = FirstChange(value, tables);
        if (first < 0)
        {
            return value;
        }

        char[]? rented = null;
        var buffer = value.Length <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            value.AsSpan(0, first).CopyTo(buffer);
            var length = first;
            var pendingSpace = false;
            foreach (var c in value.AsSpan(first))
            {
                if (char.IsWhiteSpace(c))
                {
                    pendingSpace = length > 0;
                    continue;
                }

                if (pendingSpace)
                {
                    buffer[length++] = ' ';
                    pendingSpace = false;
                }

                buffer[length++] = FoldCharacter(c, tables);
            }

            return new string(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Toneless pinyin of the folded text, the most common reading of each Han character, lower case, no separators.</summary>
    /// <remarks>ASCII letters and digits are kept (lower case); spaces, punctuation and Han characters without a reading are dropped.</remarks>
    public static string ToPinyin(string value) => Spell(Fold(value), initialsOnly: false, useSurnameReadings: false);

    /// <summary>First letter of each Han character's most common reading (张伟 → zw); ASCII letters and digits kept.</summary>
    public static string PinyinInitials(string value) => Spell(Fold(value), initialsOnly: true, useSurnameReadings: false);

    /// <summary>
    /// Like <see cref="ToPinyin"/> for a person's name: the surname (the first one or two characters)
    /// takes its surname reading (曾伟 → zengwei, not cengwei; 单于 → chanyu).
    /// </summary>
    public static string NamePinyin(string name) => Spell(Fold(name), initialsOnly: false, useSurnameReadings: true);

    /// <summary>Initials of <see cref="NamePinyin"/> (曾伟 → zw).</summary>
    public static string NamePinyinInitials(string name) => Spell(Fold(name), initialsOnly: true, useSurnameReadings: true);

    /// <summary>Every toneless reading of a Han character after folding, the most common first; empty when it has none.</summary>
    public static IReadOnlyList<string> Readings(char han)
    {
        var tables = UnihanTables.Shared;
        var readings = tables.Readings(FoldCharacter(han, tables));
        var result = new string[readings.Length];
        for (var i = 0; i < readings.Length; i++)
        {
            result[i] = tables.Syllables[readings[i] - 1];
        }

        return result;
    }

    /// <summary>Whether the character is a Han ideograph of the ranges the tables cover.</summary>
    public static bool IsHan(char c) => UnihanTables.IsHan(c);

    /// <summary>True when a and b read the same ignoring tones (any reading of a polyphonic character may match).</summary>
    /// <remarks>
    /// Both are folded and spaces ignored; they must then have the same length, each pair of Han
    /// characters must share a reading (伟/偉/玮/炜; 曾 as zeng or ceng) and every other character must
    /// be equal. Two empty values are not a match: a missing name says nothing.
    /// </remarks>
    public static bool SamePinyin(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var x = Fold(a);
        var y = Fold(b);
        if (x.Length == 0 || y.Length == 0)
        {
            return false;
        }

        var tables = UnihanTables.Shared;
        var i = 0;
        var j = 0;
        while (true)
        {
            // Spaces say nothing about a Chinese name's sound: 张 伟 is 张伟.
            while (i < x.Length && x[i] == ' ')
            {
                i++;
            }

            while (j < y.Length && y[j] == ' ')
            {
                j++;
            }

            if (i == x.Length || j == y.Length)
            {
                return i == x.Length && j == y.Length;
            }

            if (x[i] != y[j] && !tables.ShareReading(x[i], y[j]))
            {
                return false;
            }

            i++;
            j++;
        }
    }

    private static int FirstChange(string value, UnihanTables tables)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];

            // Han first: most of every value, and no whitespace lies at or above U+3400.
            if (c >= UnihanTables.FirstHan)
            {
                if (tables.Simplify(c) != c || c is >= '\uFF01' and <= '\uFF5E')
                {
                    return i;
                }
            }
            else if (c == ' ')
            {
                if (i == 0 || i == value.Length - 1 || char.IsWhiteSpace(value[i + 1]))
                {
                    return i;
                }
            }
            else if (char.IsWhiteSpace(c) || FoldCharacter(c, tables) != c)
            {
                return i;
            }
        }

        return -1;
    }

    private static char FoldCharacter(char c, UnihanTables tables)
    {
        if (c < '\u0080')
        {
            return char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
        }

        if (c is >= '\uFF01' and <= '\uFF5E')
        {
            var ascii = (char)(c - 0xFEE0);
            return char.IsAsciiLetterUpper(ascii) ? (char)(ascii | 0x20) : ascii;
        }

        // Latin-1 and Latin Extended-A/B (É, Ü in transliterated names).
        if (c < '\u0250')
        {
            return char.ToLowerInvariant(c);
        }

        return c >= UnihanTables.FirstHan ? tables.Simplify(c) : c;
    }

    private static string Spell(string folded, bool initialsOnly, bool useSurnameReadings)
    {
        if (folded.Length == 0)
        {
            return string.Empty;
        }

        var tables = UnihanTables.Shared;
        string[]? surname = null;
        if (useSurnameReadings)
        {
            if (folded.Length >= 2 && SurnameLookup.TryGetValue(folded.AsSpan(0, 2), out var compound))
            {
                surname = compound;
            }
            else if (SurnameLookup.TryGetValue(folded.AsSpan(0, 1), out var single))
            {
                surname = single;
            }
        }

        var capacity = initialsOnly ? folded.Length : folded.Length * tables.LongestSyllable;
        char[]? rented = null;
        var buffer = capacity <= StackLimit
            ? stackalloc char[StackLimit]
            : (rented = ArrayPool<char>.Shared.Rent(capacity));
        try
        {
            var length = 0;
            for (var i = 0; i < folded.Length; i++)
            {
                var c = folded[i];
                if (char.IsAsciiLetterOrDigit(c))
                {
                    buffer[length++] = c;
                    continue;
                }

                string syllable;
                if (surname is not null && i < surname.Length)
                {
                    syllable = surname[i];
                }
                else
                {
                    var reading = tables.PrimaryReading(c);
                    if (reading < 0)
                    {
                        continue;
                    }

                    syllable = tables.Syllables[reading];
                }

                if (initialsOnly)
                {
                    buffer[length++] = syllable[0];
                }
                else
                {
                    syllable.CopyTo(buffer[length..]);
                    length += syllable.Length;
                }
            }

            return new string(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
