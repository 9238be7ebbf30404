using System.Globalization;
using System.Text.Json;
using Zhiwang.Events.Calendar;

namespace Zhiwang.Events.Catalogue;

/// <summary>
/// Attribute values that arrive as text (an Open311 form field, a cell of the online opinion export) given the JSON type
/// their class declares, so that <see cref="EventCatalogue.CheckAttributes"/> judges them as it judges any report.
/// </summary>
public static class AttributeText
{
    /// <summary>
    /// <paramref name="text"/> as the attribute's type when it reads as one (" 2 " → 2, "是" → true, a date-time → its date
    /// in China time); otherwise the text as given, so the check names what is wrong with it. An attribute the class does
    /// not have (null) keeps its text untouched.
    /// </summary>
    public static JsonElement Typed(ClassAttribute? attribute, string text)
    {
        if (attribute is null)
        {
            return JsonSerializer.SerializeToElement(text);
        }

        var trimmed = text.Trim();
        return attribute.Type switch
        {
            AttributeType.Integer when long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole) =>
                JsonSerializer.SerializeToElement(whole),
            AttributeType.Number when double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) =>
                JsonSerializer.SerializeToElement(number),
            AttributeType.Boolean when Truth(trimmed) is { } truth => JsonSerializer.SerializeToElement(truth),
            AttributeType.Date when !IsDate(trimmed) && DateOfTime(trimmed) is { } date => JsonSerializer.SerializeToElement(date),
            _ => JsonSerializer.SerializeToElement(trimmed),
        };
    }

    // What forms and spreadsheets write for yes and no, in English and Chinese.
    private static bool? Truth(string text) => text.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "y" or "on" or "是" => true,
        "false" or "0" or "no" or "n" or "off" or "否" => false,
        _ => null,
    };

    private static bool IsDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string? DateOfTime(string text) =>
        BusinessCalendar.ParseTime(text)?.ToOffset(BusinessCalendar.ChinaOffset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
