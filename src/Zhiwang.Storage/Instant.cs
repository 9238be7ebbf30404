using System.Globalization;

namespace Zhiwang.Storage;

/// <summary>
/// Times as the modules store them in text columns: ISO-8601 UTC with 100 ns ticks (yyyy-MM-ddTHH:mm:ss.fffffffZ). The
/// same text on both providers, so a time reads back exactly as it was written (and hashed into the audit chain), and
/// sorts as text.
/// </summary>
public static class Instant
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ParseOrNull(string? text) => text is null ? null : Parse(text);
}
