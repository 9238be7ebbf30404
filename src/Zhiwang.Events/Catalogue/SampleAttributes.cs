using System.Text.Json;

namespace Zhiwang.Events.Catalogue;

/// <summary>
/// A plausible value for each attribute of a class, one that passes <see cref="EventCatalogue.CheckAttributes"/>: for the
/// demo city's events, the load generator's reports and the tests' reports.
/// </summary>
public static class SampleAttributes
{
    /// <summary>The class's required attributes, each with the same value every time.</summary>
    public static Dictionary<string, JsonElement> Required(EventClass eventClass) =>
        eventClass.Attributes.Where(a => a.Required).ToDictionary(a => a.Name, a => Value(a), StringComparer.Ordinal);

    /// <summary>
    /// A value of the attribute's type; drawn from <paramref name="random"/> when one is given (a varied demo), otherwise
    /// always the same (2, 2.5, true, the first option …).
    /// </summary>
    public static JsonElement Value(ClassAttribute attribute, Random? random = null) => attribute.Type switch
    {
        AttributeType.Integer => JsonSerializer.SerializeToElement(random?.Next(1, 20) ?? 2),
        AttributeType.Number => JsonSerializer.SerializeToElement(random is null ? 2.5 : Math.Round(random.NextDouble() * 100, 1)),
        AttributeType.Boolean => JsonSerializer.SerializeToElement(random is null || random.NextDouble() < 0.5),
        AttributeType.Date => JsonSerializer.SerializeToElement("2026-11-20"),
        AttributeType.Choice => JsonSerializer.SerializeToElement(attribute.Options[random?.Next(attribute.Options.Count) ?? 0]),
        _ => JsonSerializer.SerializeToElement("见现场照片"),
    };
}
