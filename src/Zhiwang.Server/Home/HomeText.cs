namespace Zhiwang.Server.Home;

/// <summary>
/// The home page's texts: HomeText.resx holds the Chinese (the neutral language), HomeText.en.resx the English.
/// </summary>
public sealed class HomeText
{
    /// <summary>Keys the page script needs, handed to it as JSON.</summary>
    internal static readonly string[] ScriptKeys =
    [
        "Persons", "LegalEntities", "Houses", "LevelCity", "LevelDistrict", "LevelStreet", "LevelCommunity", "LevelGrid",
        "Name", "Code", "Subdivisions", "Share", "Loading", "LoadFailed", "NoChildren", "Up",
    ];
}
