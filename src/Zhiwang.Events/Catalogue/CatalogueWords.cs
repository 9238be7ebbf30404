namespace Zhiwang.Events.Catalogue;

/// <summary>The words catalogue.json uses for the enums, in one place so reading and writing cannot drift apart.</summary>
internal static class CatalogueWords
{
    public static readonly IReadOnlyDictionary<string, EventKind> Kinds = new Dictionary<string, EventKind>(StringComparer.Ordinal)
    {
        ["dispute"] = EventKind.Dispute,
        ["hazard"] = EventKind.Hazard,
    };

    public static readonly IReadOnlyDictionary<string, Urgency> Urgencies = new Dictionary<string, Urgency>(StringComparer.Ordinal)
    {
        ["normal"] = Urgency.Normal,
        ["urgent"] = Urgency.Urgent,
        ["emergency"] = Urgency.Emergency,
    };

    public static readonly IReadOnlyDictionary<string, Level> Levels = new Dictionary<string, Level>(StringComparer.Ordinal)
    {
        ["community"] = Level.Community,
        ["street"] = Level.Street,
        ["district"] = Level.District,
        ["city"] = Level.City,
    };

    public static readonly IReadOnlyDictionary<string, AttributeType> Types = new Dictionary<string, AttributeType>(StringComparer.Ordinal)
    {
        ["text"] = AttributeType.Text,
        ["integer"] = AttributeType.Integer,
        ["number"] = AttributeType.Number,
        ["boolean"] = AttributeType.Boolean,
        ["date"] = AttributeType.Date,
        ["choice"] = AttributeType.Choice,
    };

    public static string Name(EventKind kind) => Word(Kinds, kind);

    public static string Name(Urgency urgency) => Word(Urgencies, urgency);

    /// <summary>A level as stored and shown: <c>community</c>, <c>street</c>, <c>district</c>, <c>city</c>.</summary>
    public static string Name(Level level) => Word(Levels, level);

    /// <summary>The level a word names, or null when it names none.</summary>
    public static Level? ParseLevel(string? word) => word is not null && Levels.TryGetValue(word, out var level) ? level : null;

    public static string Word<T>(IReadOnlyDictionary<string, T> words, T value)
        where T : struct, Enum =>
        words.First(pair => EqualityComparer<T>.Default.Equals(pair.Value, value)).Key;
}
