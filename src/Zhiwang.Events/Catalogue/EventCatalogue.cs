using System.Globalization;
using System.Text.Json;

namespace Zhiwang.Events.Catalogue;

/// <summary>
/// The event catalogue: the 48 dispute and 136 hazard classes (an administrator may add more), the departments
/// that handle them, and the rules that send some events elsewhere by place or urgency. Immutable: a changed
/// catalogue is a new version, so an event keeps the rules it was dispatched under.
/// </summary>
public sealed class EventCatalogue
{
    /// <summary>The city's division code: the city level's unit is here whatever the place.</summary>
    public const string CityCode = "440300";

    /// <summary>The longest text a text attribute may hold.</summary>
    public const int MaxTextLength = 2000;

    private const string DefaultResource = "Catalogue/catalogue.json";

    // Read once at start-up (it is small); parsed on first use.
    private static readonly string DefaultText = ReadDefaultJson();
    private static readonly Lazy<EventCatalogue> DefaultCatalogue = new(() => Parse(DefaultText, 1));

    private readonly Dictionary<string, EventClass> _classes;
    private readonly Dictionary<string, Department> _departments;
    private readonly Dictionary<string, EventGroup> _groups;

    private EventCatalogue(int version, CatalogueContent content)
    {
        Version = version;
        // Copies behind read-only views: a catalogue version never changes once parsed.
        Departments = content.Departments.ToList().AsReadOnly();
        Groups = content.Groups.ToList().AsReadOnly();
        Classes = content.Classes.ToList().AsReadOnly();
        Rules = content.Rules.ToList().AsReadOnly();
        _classes = content.Classes.ToDictionary(eventClass => eventClass.Code, StringComparer.Ordinal);
        _departments = content.Departments.ToDictionary(department => department.Code, StringComparer.Ordinal);
        _groups = content.Groups.ToDictionary(group => group.Code, StringComparer.Ordinal);
    }

    /// <summary>The version the store gave this catalogue; events record it.</summary>
    public int Version { get; }

    public IReadOnlyList<Department> Departments { get; }

    public IReadOnlyList<EventGroup> Groups { get; }

    public IReadOnlyList<EventClass> Classes { get; }

    public IReadOnlyList<DispatchRule> Rules { get; }

    /// <summary>The catalogue shipped with Zhiwang (catalogue.json), as version 1.</summary>
    public static EventCatalogue Default => DefaultCatalogue.Value;

    /// <summary>The text of the shipped catalogue.json.</summary>
    public static string DefaultJson => DefaultText;

    /// <summary>
    /// Reads and checks a catalogue. Throws <see cref="CatalogueException"/> listing every problem found (up to 20),
    /// each with its JSON path.
    /// </summary>
    public static EventCatalogue Parse(string json, int version)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        return new EventCatalogue(version, CatalogueReader.Read(json));
    }

    /// <summary>The catalogue as catalogue.json; <see cref="Parse"/> reads it back to an equal catalogue.</summary>
    public string ToJson() => CatalogueWriter.Write(this);

    public EventClass? Find(string classCode) =>
        classCode is not null && _classes.TryGetValue(classCode, out var eventClass) ? eventClass : null;

    public Department? FindDepartment(string code) =>
        code is not null && _departments.TryGetValue(code, out var department) ? department : null;

    public EventGroup? FindGroup(string code) =>
        code is not null && _groups.TryGetValue(code, out var group) ? group : null;

    /// <summary>
    /// Where an event of this class and urgency, placed in grid <paramref name="gridCode"/> (18 digits), goes first;
    /// when <paramref name="level"/> is given, the unit at that level (escalation).
    /// </summary>
    /// <remarks>
    /// The starting level is the class's, unless a matching rule sets one. The department at the level is the class's,
    /// unless a matching rule names one for that level (a rule naming a department without a level names it for the
    /// level the event starts at). Among matching rules the most specific wins: a class rule over a group rule over
    /// one for every class, then a longer division prefix, then a rule with an urgency; on a tie the later rule.
    /// So <c>Route(c, u, g)</c> equals <c>Route(c, u, g, Route(c, u, g).Level)</c>.
    /// </remarks>
    public ResponsibleUnit Route(EventClass eventClass, Urgency urgency, string gridCode, Level? level = null)
    {
        ArgumentNullException.ThrowIfNull(eventClass);
        ArgumentNullException.ThrowIfNull(gridCode);
        if (gridCode.Length != 18 || !gridCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"'{gridCode}' is not a grid code (18 digits)", nameof(gridCode));
        }

        if (!Enum.IsDefined(urgency))
        {
            throw new ArgumentOutOfRangeException(nameof(urgency), urgency, "not an urgency");
        }

        if (level is { } given && !Enum.IsDefined(given))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "not a level");
        }

        var matching = Rules
            .Select((rule, index) => (Rule: rule, Index: index))
            .Where(entry => Matches(entry.Rule, eventClass, urgency, gridCode))
            .OrderByDescending(entry => Specificity(entry.Rule, entry.Index))
            .Select(entry => entry.Rule)
            .ToList();

        var levelRule = matching.FirstOrDefault(rule => rule.Level is not null);
        var start = levelRule?.Level ?? eventClass.StartLevel;
        var target = level ?? start;
        var departmentRule = matching.FirstOrDefault(rule =>
            rule.Department is not null && (rule.Level == target || (rule.Level is null && target == start)));

        string department;
        if (departmentRule is not null)
        {
            department = departmentRule.Department!;
        }
        else if (!eventClass.Departments.TryGetValue(target, out department!))
        {
            throw new InvalidOperationException($"Class {eventClass.Code} names no department at the {target} level");
        }

        var decidedBy = departmentRule ?? (target == start ? levelRule : null);
        return new ResponsibleUnit(target, department, DivisionCode(gridCode, target), decidedBy);
    }

    /// <summary>The code of the division at <paramref name="level"/> that contains the grid (or any longer code).</summary>
    public static string DivisionCode(string gridCode, Level level)
    {
        ArgumentNullException.ThrowIfNull(gridCode);
        return level switch
        {
            Level.Community => gridCode[..15],
            Level.Street => gridCode[..12],
            Level.District => gridCode[..6],
            Level.City => CityCode,
            _ => throw new ArgumentOutOfRangeException(nameof(level), level, "not a level"),
        };
    }

    /// <summary>
    /// The problems with an event's attributes for its class, each naming the attribute (<c>attributes.parties: required</c>):
    /// names the class does not have, a required one missing, a value of the wrong type. Empty when all is well.
    /// A JSON null counts as absent.
    /// </summary>
    public IReadOnlyList<string> CheckAttributes(EventClass eventClass, IReadOnlyDictionary<string, JsonElement>? attributes)
    {
        ArgumentNullException.ThrowIfNull(eventClass);
        var problems = new List<string>();
        foreach (var attribute in eventClass.Attributes)
        {
            JsonElement value = default;
            var present = attributes is not null
                && attributes.TryGetValue(attribute.Name, out value)
                && value.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);
            if (!present)
            {
                if (attribute.Required)
                {
                    problems.Add($"attributes.{attribute.Name}: required");
                }

                continue;
            }

            if (CheckValue(attribute, value) is { } problem)
            {
                problems.Add($"attributes.{attribute.Name}: {problem}");
            }
        }

        if (attributes is not null)
        {
            foreach (var name in attributes.Keys.Order(StringComparer.Ordinal))
            {
                if (eventClass.FindAttribute(name) is null)
                {
                    problems.Add($"attributes.{name}: not an attribute of {eventClass.Code}");
                }
            }
        }

        return problems;
    }

    private static string? CheckValue(ClassAttribute attribute, JsonElement value)
    {
        switch (attribute.Type)
        {
            case AttributeType.Text:
                if (value.ValueKind != JsonValueKind.String)
                {
                    return "expected text, got " + Describe(value);
                }

                var text = value.GetString()!;
                if (attribute.Required && string.IsNullOrWhiteSpace(text))
                {
                    return "required";
                }

                return text.Length > MaxTextLength
                    ? string.Create(CultureInfo.InvariantCulture, $"longer than {MaxTextLength:N0} characters")
                    : null;

            case AttributeType.Integer:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _)
                    ? null
                    : "expected a whole number, got " + Describe(value);

            case AttributeType.Number:
                return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
                    ? null
                    : "expected a number, got " + Describe(value);

            case AttributeType.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False
                    ? null
                    : "expected true or false, got " + Describe(value);

            case AttributeType.Date:
                return value.ValueKind == JsonValueKind.String
                    && DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    ? null
                    : $"{Describe(value)} is not a date (expected yyyy-MM-dd)";

            case AttributeType.Choice:
                return value.ValueKind == JsonValueKind.String && attribute.Options.Contains(value.GetString()!, StringComparer.Ordinal)
                    ? null
                    : $"{Describe(value)} is not one of {string.Join(", ", attribute.Options)}";

            default:
                return "has a type the catalogue does not know";
        }
    }

    // What the reporter sent, briefly: enough to find the mistake without echoing a whole text back.
    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String when value.GetString()!.Length <= 40 => "'" + value.GetString() + "'",
        JsonValueKind.String => "a long text",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        _ => "nothing",
    };

    private static bool Matches(DispatchRule rule, EventClass eventClass, Urgency urgency, string gridCode) =>
        (rule.Class is null || string.Equals(rule.Class, eventClass.Code, StringComparison.Ordinal))
        && (rule.Group is null || string.Equals(rule.Group, eventClass.Group, StringComparison.Ordinal))
        && (rule.Division is null || gridCode.StartsWith(rule.Division, StringComparison.Ordinal))
        && (rule.Urgency is null || rule.Urgency == urgency);

    private static (int Scope, int Division, int Urgency, int Index) Specificity(DispatchRule rule, int index) =>
        (rule.Class is not null ? 2 : rule.Group is not null ? 1 : 0, rule.Division?.Length ?? 0, rule.Urgency is not null ? 1 : 0, index);

    private static string ReadDefaultJson()
    {
        using var stream = typeof(EventCatalogue).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"The embedded resource {DefaultResource} is missing from {typeof(EventCatalogue).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
