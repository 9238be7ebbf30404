namespace Zhiwang.Linkage.Text;

/// <summary>Folding and pinyin for Chinese text (filled in by the Chinese-text work).</summary>
public static class ChineseText
{
    /// <summary>Full-width to half-width, traditional to simplified, whitespace trimmed and collapsed.</summary>
    public static string Fold(string value) => throw new NotImplementedException();

    /// <summary>Toneless pinyin of the folded text, the most common reading of each Han character, lower case, no separators.</summary>
    public static string ToPinyin(string value) => throw new NotImplementedException();

    /// <summary>True when a and b read the same ignoring tones (any reading of a polyphonic character may match).</summary>
    public static bool SamePinyin(string a, string b) => throw new NotImplementedException();
}
