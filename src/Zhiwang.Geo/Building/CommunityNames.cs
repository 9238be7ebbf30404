namespace Zhiwang.Geo.Building;

/// <summary>
/// Plausible community names (社区) in the style of Shenzhen's: two syllables from the words its place names are
/// made of, plus 社区; unique within a street. Synthetic: any likeness to a real community is chance.
/// </summary>
internal static class CommunityNames
{
    private const string Firsts = "新东西南北上下大小长福华龙凤桃莲梅松石沙水河湖田岭金银玉翠碧和平安乐康宁兴旺荔榕竹兰锦丰嘉瑞鹏海港白黄青红";
    private const string Seconds = "园村围岭湖坑田山塘苑城湾岗桥头林洲庄源景花富丽丰岸浦溪";

    public static IReadOnlyList<string> For(string streetCode, int count)
    {
        var random = new Random((int)(long.Parse(streetCode, System.Globalization.CultureInfo.InvariantCulture) % 1_000_003));
        var names = new List<string>(count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        while (names.Count < count)
        {
            var name = $"{Firsts[random.Next(Firsts.Length)]}{Seconds[random.Next(Seconds.Length)]}社区";
            if (used.Add(name))
            {
                names.Add(name);
            }
        }

        return names;
    }
}
