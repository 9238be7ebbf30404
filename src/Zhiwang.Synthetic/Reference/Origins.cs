using System.Globalization;
using System.Reflection;

namespace Zhiwang.Synthetic.Reference;

/// <summary>
/// Where the city's people are registered (户籍地): county-level area codes (GB/T 2260), weighted for the
/// floating population by the provinces Shenzhen's migrants really come from (2020 census, rounded).
/// </summary>
internal static class Origins
{
    private static readonly (string Province, double Share)[] MigrantProvinceShares =
    [
        ("44", 30.0), ("43", 15.0), ("45", 10.0), ("36", 8.0), ("42", 8.0), ("41", 6.0), ("51", 5.0), ("35", 3.0),
        ("50", 3.0), ("34", 2.0), ("52", 2.0), ("61", 1.5), ("37", 1.5), ("13", 1.0), ("32", 1.0), ("53", 1.0),
        ("23", 0.5), ("22", 0.5), ("21", 0.5), ("33", 0.5), ("14", 0.5), ("62", 0.3), ("15", 0.2), ("46", 0.5),
        ("11", 0.2), ("31", 0.2), ("12", 0.1), ("64", 0.1), ("63", 0.1), ("65", 0.1),
    ];

    // Shenzhen's own registrations: today's districts, plus the older 440301 city-level code still on
    // many cards issued before the districts had their own.
    private static readonly (int Code, double Share)[] ShenzhenShares =
    [
        (440303, 11.0), (440304, 17.0), (440305, 15.0), (440306, 15.0), (440307, 15.0), (440308, 2.5),
        (440309, 8.0), (440310, 2.5), (440311, 3.0), (440301, 11.0),
    ];

    public static readonly IReadOnlyDictionary<int, string> AreaNames = LoadAreaNames();

    public static readonly WeightedTable<int> Migrant = BuildMigrant();

    public static readonly WeightedTable<int> Shenzhen = new(ShenzhenShares.Select(s => (s.Code, s.Share)));

    public static bool IsShenzhenDistrict(int code) => code is >= 440303 and <= 440311;

    public static string NameOf(int code) =>
        AreaNames.TryGetValue(code, out var name) ? name : code == 440301 ? "深圳市" : code.ToString(CultureInfo.InvariantCulture);

    private static WeightedTable<int> BuildMigrant()
    {
        var byProvince = AreaNames.Keys
            .Where(c => c / 100 != 4403)
            .GroupBy(c => (c / 10000).ToString(CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.Order().ToArray());
        var entries = new List<(int, double)>();
        foreach (var (province, share) in MigrantProvinceShares)
        {
            if (!byProvince.TryGetValue(province, out var codes))
            {
                continue;
            }

            // Within a province each county is equally likely; the province's share is what matters.
            entries.AddRange(codes.Select(c => (c, share / codes.Length)));
        }

        return new WeightedTable<int>(entries);
    }

    private static Dictionary<int, string> LoadAreaNames()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Zhiwang.Synthetic.Data.area-codes.csv")
            ?? throw new InvalidOperationException("The area-code list is not embedded.");
        using var reader = new StreamReader(stream);
        var names = new Dictionary<int, string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith('#') || line.StartsWith("code", StringComparison.Ordinal))
            {
                continue;
            }

            var comma = line.IndexOf(',', StringComparison.Ordinal);
            names[int.Parse(line.AsSpan(0, comma), CultureInfo.InvariantCulture)] = line[(comma + 1)..];
        }

        return names;
    }
}
