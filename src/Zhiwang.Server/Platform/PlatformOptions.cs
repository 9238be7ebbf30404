namespace Zhiwang.Server.Platform;

/// <summary>
/// The host's own settings (section <c>Zhiwang</c>): where its files live and how big a demo city to
/// build on first run. The database itself is <c>ConnectionStrings:Zhiwang</c> (empty: SQLite under
/// the data directory).
/// </summary>
public sealed class PlatformOptions
{
    public const string Section = "Zhiwang";

    /// <summary>Folder for the SQLite database and the demo city's files; relative to the working directory.</summary>
    public string DataDirectory { get; set; } = "data";

    public DemoOptions Demo { get; set; } = new();
}

public sealed class DemoOptions
{
    /// <summary>
    /// Build a synthetic demo city when the database holds no persons yet. Unset means: on the embedded
    /// SQLite database only, so a production PostgreSQL never fills up with synthetic persons unasked.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// The demo's size. Since the demo is built the way production data arrives (extracts imported and linked through
    /// the hub), 50,000 persons keep a newcomer's first page within about a minute on two cores; set more for a bigger city.
    /// </summary>
    public int Persons { get; set; } = 50_000;

    public int Seed { get; set; } = 20_121_226;

    /// <summary>Synthetic events reported across the demo city, some taken up, handled and closed.</summary>
    public int Events { get; set; } = 500;
}
