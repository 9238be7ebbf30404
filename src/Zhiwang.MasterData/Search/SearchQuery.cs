using System.Text.RegularExpressions;
using Zhiwang.Linkage.Text;

namespace Zhiwang.MasterData.Search;

/// <summary>What the one search box was given, recognised.</summary>
public enum SearchQueryKind
{
    /// <summary>Nothing usable: empty, too short, or ID digits without a name.</summary>
    Invalid,

    /// <summary>A whole key: an ID number, a credit code or a house code (18 characters).</summary>
    Key,

    /// <summary>A Chinese name with the last 4 to 6 characters of the ID number ("张伟 1234").</summary>
    NameAndIdTail,

    /// <summary>Latin letters: full pinyin ("zhangwei") or initials ("zw").</summary>
    Pinyin,

    /// <summary>
    /// Chinese text: from 3 characters a fragment of a name or an address (<see cref="SearchQuery.IsFragment"/>), shorter
    /// the start of a name.
    /// </summary>
    Text,
}

/// <summary>The search box's text, folded (full-width to half-width, traditional to simplified) and recognised.</summary>
public sealed partial record SearchQuery(string Text, SearchQueryKind Kind, string? Name, string? Tail, string? Problem)
{
    public const int MaxLength = 100;

    /// <summary>The shortest text searched inside names and addresses: trigram indexes need 3 characters.</summary>
    public const int FragmentLength = 3;

    /// <summary>Text to look for anywhere in a name or an address, not only at the start of a name.</summary>
    public bool IsFragment => Kind == SearchQueryKind.Text && Text.EnumerateRunes().Count() >= FragmentLength;

    public static SearchQuery Parse(string? input)
    {
        var text = ChineseText.Fold(input ?? "").Trim();
        if (text.Length == 0)
        {
            return new(text, SearchQueryKind.Invalid, null, null, "empty");
        }

        if (text.Length > MaxLength)
        {
            return new(text[..MaxLength], SearchQueryKind.Invalid, null, null, "too-long");
        }

        var upper = text.ToUpperInvariant();
        if (KeyShape().IsMatch(upper))
        {
            return new(upper, SearchQueryKind.Key, null, null, null);
        }

        if (NameWithTail().Match(text) is { Success: true } withTail)
        {
            return new(text, SearchQueryKind.NameAndIdTail, withTail.Groups["name"].Value, withTail.Groups["tail"].Value.ToUpperInvariant(), null);
        }

        if (TailWithName().Match(text) is { Success: true } tailFirst)
        {
            return new(text, SearchQueryKind.NameAndIdTail, tailFirst.Groups["name"].Value, tailFirst.Groups["tail"].Value.ToUpperInvariant(), null);
        }

        if (DigitsOnly().IsMatch(text))
        {
            // A few digits alone would list thousands of people: an ID tail needs a name beside it.
            return new(text, SearchQueryKind.Invalid, null, null, "digits-need-name");
        }

        var letters = text.Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        if (PinyinShape().IsMatch(letters))
        {
            return letters.Length < 2
                ? new(letters, SearchQueryKind.Invalid, null, null, "too-short")
                : new(letters, SearchQueryKind.Pinyin, null, null, null);
        }

        return new(text, SearchQueryKind.Text, null, null, null);
    }

    [GeneratedRegex("^[0-9A-Z]{18}$")]
    private static partial Regex KeyShape();

    [GeneratedRegex(@"^(?<name>\p{IsCJKUnifiedIdeographs}[\p{IsCJKUnifiedIdeographs}·]{0,15})\s*(?<tail>[0-9]{3,5}[0-9Xx]|[0-9]{4,6})$")]
    private static partial Regex NameWithTail();

    [GeneratedRegex(@"^(?<tail>[0-9]{3,5}[0-9Xx]|[0-9]{4,6})\s*(?<name>\p{IsCJKUnifiedIdeographs}[\p{IsCJKUnifiedIdeographs}·]{0,15})$")]
    private static partial Regex TailWithName();

    [GeneratedRegex("^[0-9Xx ]+$")]
    private static partial Regex DigitsOnly();

    [GeneratedRegex("^[a-z]+$")]
    private static partial Regex PinyinShape();
}
