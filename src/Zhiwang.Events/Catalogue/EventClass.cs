using Zhiwang.Events.Calendar;

namespace Zhiwang.Events.Catalogue;

/// <summary>The kinds of value an event class asks the reporter for.</summary>
public enum AttributeType
{
    Text,
    Integer,
    Number,
    Boolean,
    Date,
    Choice,
}

/// <summary>A department events are sent to (社区工作站, 街道综治办, 住房和建设局 …), the same code at every level it works at.</summary>
public sealed record Department(string Code, string Zh, string En);

/// <summary>A group of classes (邻里纠纷, 消防安全 …); dispatch rules can name a whole group.</summary>
public sealed record EventGroup(string Code, EventKind Kind, string Zh, string En);

/// <summary>One thing a report of this class must or may tell (当事人数, 拖欠金额 …). <c>Options</c> is empty unless the type is Choice.</summary>
public sealed record ClassAttribute(string Name, AttributeType Type, bool Required, string Zh, string En, IReadOnlyList<string> Options)
{
    // Compared by content so that two catalogues (or two versions of one) can be compared class by class.
    public bool Equals(ClassAttribute? other) =>
        other is not null
        && Name == other.Name
        && Type == other.Type
        && Required == other.Required
        && Zh == other.Zh
        && En == other.En
        && Options.SequenceEqual(other.Options, StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Required, Zh, En, Options.Count);
}

/// <summary>
/// An event class (e.g. D0101 噪声扰民纠纷): how urgent it is, where dispatch sends it first, the department
/// responsible at each of the four levels, its deadlines and what a report must tell.
/// </summary>
public sealed record EventClass(
    string Code,
    EventKind Kind,
    string Group,
    string Zh,
    string En,
    Urgency Urgency,
    Level StartLevel,
    IReadOnlyDictionary<Level, string> Departments,
    WorkingDuration AcceptWithin,
    WorkingDuration HandleWithin,
    IReadOnlyList<ClassAttribute> Attributes)
{
    /// <summary>The attribute of this name, or null.</summary>
    public ClassAttribute? FindAttribute(string name) =>
        Attributes.FirstOrDefault(attribute => string.Equals(attribute.Name, name, StringComparison.Ordinal));

    // Compared by content (the collections too), so that Parse → ToJson → Parse gives equal classes.
    public bool Equals(EventClass? other) =>
        other is not null
        && Code == other.Code
        && Kind == other.Kind
        && Group == other.Group
        && Zh == other.Zh
        && En == other.En
        && Urgency == other.Urgency
        && StartLevel == other.StartLevel
        && AcceptWithin == other.AcceptWithin
        && HandleWithin == other.HandleWithin
        && Departments.Count == other.Departments.Count
        && Departments.All(pair => other.Departments.TryGetValue(pair.Key, out var code) && code == pair.Value)
        && Attributes.SequenceEqual(other.Attributes);

    public override int GetHashCode() => HashCode.Combine(Code, Kind, Group, Urgency, StartLevel, AcceptWithin, HandleWithin);
}
