using System.Security.Claims;

namespace Zhiwang.Access.Privacy;

/// <summary>
/// Personal data as shown by default: ID numbers keep their area prefix and last four (4403**********1234), phones
/// their network prefix and last four (138****1234), exact addresses are cut to the street and estate. Who may see a
/// value whole, one record at a time, with a reason that is audited: <see cref="CanReveal"/>.
/// </summary>
public static class Masking
{
    /// <summary>Hub fields that hold personal data and are masked unless revealed.</summary>
    public static IReadOnlySet<string> PersonalFields { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "id_number", "legal_representative_id_number", "owner_id_number", "phone", "address",
    };

    // Where the exact part of an address begins: building, unit, floor and room come after the estate's name.
    private static readonly string[] ExactMarkers = ["栋", "座", "幢", "单元", "号楼", "室", "层", "楼", "坊"];

    /// <summary>Data stewards and administrators may reveal a masked value, for one record, with a reason.</summary>
    public static bool CanReveal(ClaimsPrincipal user) =>
        user.IsInRole(Roles.DataSteward) || user.IsInRole(Roles.Administrator);

    public static bool IsPersonal(string field) => PersonalFields.Contains(field);

    /// <summary>The value of <paramref name="field"/> as shown by default: masked when the field is personal.</summary>
    public static string? Field(string field, string? value) => field switch
    {
        "id_number" or "legal_representative_id_number" or "owner_id_number" => IdNumber(value),
        "phone" => Phone(value),
        "address" => Address(value),
        _ => value,
    };

    /// <summary>18 characters: the first 4 and the last 4 stay. Anything shorter keeps only its last 2 (a mistyped key is still personal).</summary>
    public static string? IdNumber(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        return value.Length >= 12
            ? string.Concat(value.AsSpan(0, 4), new string('*', value.Length - 8), value.AsSpan(value.Length - 4))
            : string.Concat(new string('*', Math.Max(0, value.Length - 2)), value.AsSpan(Math.Max(0, value.Length - 2)));
    }

    /// <summary>Mobile numbers keep the first 3 and the last 4 digits; other lengths only the last 2.</summary>
    public static string? Phone(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        return value.Length >= 11
            ? string.Concat(value.AsSpan(0, 3), new string('*', value.Length - 7), value.AsSpan(value.Length - 4))
            : string.Concat(new string('*', Math.Max(0, value.Length - 2)), value.AsSpan(Math.Max(0, value.Length - 2)));
    }

    /// <summary>
    /// The address down to its street and estate: "深圳市福田区华强北街道华强北路12号赛格花园3栋1201室" becomes
    /// "深圳市福田区华强北街道华强北路12号赛格花园…". The cut is at the first building, unit, floor or room marker
    /// that follows a number or a letter (3栋, B座, 十二层); what is before it names a place hundreds of people share.
    /// </summary>
    public static string? Address(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return value;
        }

        var cut = -1;
        foreach (var marker in ExactMarkers)
        {
            for (var at = value.IndexOf(marker, StringComparison.Ordinal); at > 0; at = value.IndexOf(marker, at + 1, StringComparison.Ordinal))
            {
                if (char.IsAsciiLetterOrDigit(value[at - 1]) || IsChineseNumeral(value[at - 1]))
                {
                    if (cut < 0 || at < cut)
                    {
                        cut = at;
                    }

                    break;
                }
            }
        }

        if (cut < 0)
        {
            // No marker: drop any trailing run of digits, letters and dashes (a room number written bare).
            var end = value.Length;
            while (end > 0 && (char.IsAsciiLetterOrDigit(value[end - 1]) || value[end - 1] is '-' or '#'))
            {
                end--;
            }

            return end == value.Length ? value : value[..end] + "…";
        }

        // Back up over the number in front of the marker (3栋 → the whole "3栋" goes).
        var start = cut;
        while (start > 0 && (char.IsAsciiLetterOrDigit(value[start - 1]) || value[start - 1] is '-' || IsChineseNumeral(value[start - 1])))
        {
            start--;
        }

        return value[..start] + "…";
    }

    private static bool IsChineseNumeral(char c) => "一二三四五六七八九十百零".Contains(c, StringComparison.Ordinal);
}
