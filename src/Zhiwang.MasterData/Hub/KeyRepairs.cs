using System.Text;
using Zhiwang.Linkage.Text;
using Zhiwang.MasterData.Keys;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// Valid keys one edit away from an invalid one: a wrong or replaced character, two neighbours swapped, one
/// character dropped or added. The hub accepts a repair only when exactly one candidate is a key it knows.
/// ID numbers use the linkage engine's <see cref="IdNumberSimilarity.Repairs"/>; credit codes and house codes are
/// repaired here the same way over their own alphabets.
/// </summary>
internal static class KeyRepairs
{
    private const string Digits = "0123456789";
    private const string IdCharacters = "0123456789X";

    public static IEnumerable<string> IdNumberCandidates(string value) => IdNumberSimilarity.Repairs(value);

    public static IEnumerable<string> CreditCodeCandidates(string value) => Candidates(value, CreditCode.Length, CreditCode.Alphabet, c => CreditCode.IsValid(c));

    public static IEnumerable<string> HouseCodeCandidates(string value) => Candidates(value, HouseCode.Length, IdCharacters, c => HouseCode.IsValid(c));

    /// <summary>Upper case, full-width characters to ASCII, spaces removed: what a department's key meant to say.</summary>
    public static string Fold(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        var folded = value.Normalize(NormalizationForm.FormKC);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    private static IEnumerable<string> Candidates(string value, int length, string alphabet, Func<string, bool> isValid)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (value.Length == length)
        {
            var chars = value.ToCharArray();
            for (var i = 0; i < length; i++)
            {
                var original = chars[i];
                foreach (var c in i == length - 1 ? alphabet : (alphabet == IdCharacters ? Digits : alphabet))
                {
                    if (c == original)
                    {
                        continue;
                    }

                    chars[i] = c;
                    Offer(new string(chars));
                }

                chars[i] = original;
            }

            for (var i = 0; i + 1 < length; i++)
            {
                if (chars[i] != chars[i + 1])
                {
                    (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                    Offer(new string(chars));
                    (chars[i], chars[i + 1]) = (chars[i + 1], chars[i]);
                }
            }
        }
        else if (value.Length == length - 1)
        {
            for (var i = 0; i <= value.Length; i++)
            {
                foreach (var c in i == value.Length ? alphabet : (alphabet == IdCharacters ? Digits : alphabet))
                {
                    Offer(string.Concat(value.AsSpan(0, i), c.ToString(), value.AsSpan(i)));
                }
            }
        }
        else if (value.Length == length + 1)
        {
            for (var i = 0; i < value.Length; i++)
            {
                Offer(string.Concat(value.AsSpan(0, i), value.AsSpan(i + 1)));
            }
        }

        return seen;

        void Offer(string candidate)
        {
            if (isValid(candidate))
            {
                seen.Add(candidate);
            }
        }
    }
}
