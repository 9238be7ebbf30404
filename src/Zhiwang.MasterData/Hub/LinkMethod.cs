namespace Zhiwang.MasterData.Hub;

/// <summary>How a mention found its golden record.</summary>
public enum LinkMethod
{
    /// <summary>A valid key (ID number, credit code, house code) already known to the hub.</summary>
    Key,

    /// <summary>An invalid key one edit away from exactly one known key whose record agrees on name and birth date.</summary>
    RepairedKey,

    /// <summary>No usable key: the probabilistic step matched it to a known record.</summary>
    Engine,

    /// <summary>Nothing matched: a new golden record was created for it.</summary>
    New,

    /// <summary>Nothing matched and nothing could be created (a house that is not in the house-code registry).</summary>
    Unlinked,
}

public static class LinkMethodNames
{
    /// <summary>The name stored in <c>record_mention.link_method</c> and shown to operators.</summary>
    public static string Name(this LinkMethod method) => method switch
    {
        LinkMethod.Key => "key",
        LinkMethod.RepairedKey => "repaired-key",
        LinkMethod.Engine => "engine",
        LinkMethod.New => "new",
        LinkMethod.Unlinked => "unlinked",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static LinkMethod Parse(string name) => name switch
    {
        "key" => LinkMethod.Key,
        "repaired-key" => LinkMethod.RepairedKey,
        "engine" => LinkMethod.Engine,
        "new" => LinkMethod.New,
        "unlinked" => LinkMethod.Unlinked,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a link method"),
    };
}
