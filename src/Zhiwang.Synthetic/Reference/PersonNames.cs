using System.Runtime.CompilerServices;

namespace Zhiwang.Synthetic.Reference;

/// <summary>Surnames and given-name characters with realistic frequencies (see docs/SYNTHETIC.md).</summary>
internal static class PersonNames
{
    // Approximate national shares in percent (Ministry of Public Security 2020 surname report and the
    // 2010s surname surveys); the long tail is cut, and the table is renormalised.
    private static readonly (string Surname, double Share)[] SurnameShares =
    [
        ("王", 7.12), ("李", 7.00), ("张", 6.74), ("刘", 5.10), ("陈", 4.61), ("杨", 3.22), ("黄", 2.45), ("赵", 2.00),
        ("吴", 1.97), ("周", 1.88), ("徐", 1.45), ("孙", 1.38), ("马", 1.29), ("朱", 1.28), ("胡", 1.16), ("郭", 1.13),
        ("何", 1.06), ("林", 1.02), ("罗", 0.94), ("高", 0.93), ("郑", 0.86), ("梁", 0.84), ("谢", 0.78), ("宋", 0.74),
        ("唐", 0.73), ("许", 0.69), ("韩", 0.66), ("冯", 0.64), ("邓", 0.63), ("曹", 0.62), ("彭", 0.59), ("曾", 0.56),
        ("肖", 0.54), ("田", 0.52), ("董", 0.50), ("袁", 0.49), ("潘", 0.49), ("于", 0.48), ("蒋", 0.47), ("蔡", 0.46),
        ("余", 0.45), ("杜", 0.42), ("叶", 0.41), ("程", 0.40), ("苏", 0.39), ("魏", 0.38), ("吕", 0.37), ("丁", 0.36),
        ("任", 0.35), ("沈", 0.34), ("姚", 0.33), ("卢", 0.32), ("姜", 0.31), ("崔", 0.30), ("钟", 0.30), ("谭", 0.29),
        ("陆", 0.28), ("汪", 0.27), ("范", 0.27), ("金", 0.26), ("石", 0.26), ("廖", 0.25), ("贾", 0.24), ("夏", 0.24),
        ("韦", 0.24), ("付", 0.23), ("方", 0.23), ("白", 0.22), ("邹", 0.22), ("孟", 0.21), ("熊", 0.21), ("秦", 0.21),
        ("邱", 0.20), ("江", 0.20), ("尹", 0.20), ("薛", 0.19), ("闫", 0.19), ("段", 0.18), ("雷", 0.18), ("侯", 0.18),
        ("龙", 0.17), ("史", 0.17), ("陶", 0.16), ("黎", 0.16), ("贺", 0.16), ("顾", 0.15), ("毛", 0.15), ("郝", 0.15),
        ("龚", 0.15), ("邵", 0.14), ("万", 0.14), ("钱", 0.14), ("严", 0.13), ("覃", 0.13), ("武", 0.13), ("戴", 0.13),
        ("莫", 0.12), ("孔", 0.12), ("向", 0.12), ("汤", 0.12), ("欧阳", 0.05), ("司马", 0.01), ("上官", 0.01),
    ];

    public static readonly WeightedTable<string> Surnames = new(SurnameShares.Select(s => (s.Surname, s.Share)));

    // Given-name characters by sex and birth cohort, most popular first; drawn with Zipf weights 1/(rank+2).
    private static readonly string[][] MaleCharacters =
    [
        ["国", "建", "明", "华", "军", "平", "伟", "强", "忠", "德", "文", "林", "海", "福", "荣", "永", "志", "光", "东", "金", "兴", "成", "生", "春", "学"],
        ["伟", "勇", "军", "磊", "涛", "斌", "强", "鹏", "杰", "峰", "超", "波", "辉", "刚", "健", "明", "亮", "俊", "飞", "华", "平", "龙", "海", "文", "志"],
        ["浩", "宇", "轩", "杰", "博", "涛", "鑫", "鹏", "晨", "俊", "豪", "磊", "帅", "阳", "凯", "文", "宁", "航", "明", "子", "一", "思", "嘉", "昊", "睿"],
        ["子", "宇", "浩", "轩", "梓", "睿", "沐", "辰", "泽", "一", "宸", "铭", "奕", "俊", "皓", "逸", "昊", "锦", "航", "瑞", "煜", "晨", "佑", "诺", "阳"],
    ];

    private static readonly string[][] FemaleCharacters =
    [
        ["秀", "英", "兰", "华", "玉", "芳", "珍", "凤", "桂", "琴", "美", "淑", "丽", "翠", "云", "梅", "红", "敏", "霞", "春", "萍", "月", "素", "娟", "莲"],
        ["丽", "敏", "静", "燕", "艳", "娟", "霞", "芳", "玲", "婷", "红", "洁", "琳", "慧", "萍", "颖", "璐", "晶", "莉", "雪", "琼", "倩", "佳", "欣", "梅"],
        ["婷", "雪", "佳", "欣", "琪", "悦", "雨", "思", "晴", "怡", "颖", "倩", "璐", "梦", "瑶", "琳", "丹", "嘉", "文", "心", "蕾", "诗", "月", "涵", "萌"],
        ["梓", "涵", "子", "欣", "诗", "一", "雨", "可", "依", "语", "汐", "沐", "若", "芯", "妍", "悦", "彤", "萱", "琪", "馨", "佳", "晨", "思", "怡", "安"],
    ];

    // Share of one-character given names by cohort: common before 1990, rare for today's children.
    private static readonly double[] SingleCharacterShare = [0.30, 0.35, 0.20, 0.10];

    private static readonly WeightedTable<string>[] Male = MaleCharacters.Select(Zipf).ToArray();
    private static readonly WeightedTable<string>[] Female = FemaleCharacters.Select(Zipf).ToArray();

    /// <summary>Every given-name character, for typos that swap one for another.</summary>
    public static readonly string[] AllGivenCharacters =
        MaleCharacters.Concat(FemaleCharacters).SelectMany(c => c).Distinct().ToArray();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Draw(Rng rng, bool male, int birthYear, out string surname)
    {
        var cohort = birthYear switch
        {
            < 1970 => 0,
            < 1990 => 1,
            < 2005 => 2,
            _ => 3,
        };
        var table = male ? Male[cohort] : Female[cohort];
        surname = Surnames.Draw(rng);
        return rng.Chance(SingleCharacterShare[cohort])
            ? string.Concat(surname, table.Draw(rng))
            : string.Concat(surname, table.Draw(rng), table.Draw(rng));
    }

    /// <summary>Given-name draw for a child who takes the father's surname.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string DrawWithSurname(Rng rng, bool male, int birthYear, string surname)
    {
        var cohort = birthYear switch
        {
            < 1970 => 0,
            < 1990 => 1,
            < 2005 => 2,
            _ => 3,
        };
        var table = male ? Male[cohort] : Female[cohort];
        return rng.Chance(SingleCharacterShare[cohort])
            ? string.Concat(surname, table.Draw(rng))
            : string.Concat(surname, table.Draw(rng), table.Draw(rng));
    }

    /// <summary>
    /// Traditional forms and same-sound characters that departments' systems and clerks really
    /// substitute (陈→陳, 伟→偉/玮): the name looks different but is the same person.
    /// </summary>
    public static readonly Dictionary<char, string> Variants = new()
    {
        ['陈'] = "陳", ['伟'] = "偉玮炜", ['刘'] = "劉", ['张'] = "張", ['杨'] = "楊扬", ['黄'] = "黃", ['赵'] = "趙",
        ['吴'] = "吳", ['孙'] = "孫", ['郑'] = "鄭", ['邓'] = "鄧", ['华'] = "華", ['国'] = "國", ['丽'] = "麗俪",
        ['红'] = "紅虹", ['军'] = "軍君", ['东'] = "東", ['龙'] = "龍", ['杰'] = "傑洁", ['涛'] = "濤韬", ['辉'] = "輝晖",
        ['鹏'] = "鵬", ['强'] = "強", ['玲'] = "灵琳", ['静'] = "靜婧", ['敏'] = "民", ['磊'] = "蕾", ['娟'] = "鹃",
        ['燕'] = "艳", ['艳'] = "艷燕", ['婷'] = "亭", ['琳'] = "林玲", ['欣'] = "馨昕", ['宇'] = "羽雨", ['浩'] = "皓昊",
        ['轩'] = "萱", ['梓'] = "子", ['涵'] = "含晗", ['俊'] = "骏", ['峰'] = "锋", ['斌'] = "彬", ['明'] = "铭",
        ['文'] = "雯", ['志'] = "智", ['海'] = "凯", ['平'] = "萍", ['春'] = "椿", ['马'] = "馬", ['叶'] = "葉",
        ['罗'] = "羅", ['许'] = "許", ['谢'] = "謝", ['韩'] = "韓", ['冯'] = "馮", ['邹'] = "鄒", ['钟'] = "鍾",
        ['苏'] = "蘇", ['卢'] = "盧", ['汤'] = "湯", ['龚'] = "龔", ['钱'] = "錢", ['陆'] = "陸", ['贺'] = "賀",
        ['梁'] = "樑", ['林'] = "琳", ['王'] = "汪", ['李'] = "理", ['周'] = "週", ['徐'] = "许", ['胡'] = "鬍",
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static WeightedTable<string> Zipf(string[] characters) =>
        new(characters.Select((c, rank) => (c, 1.0 / (rank + 2))));
}

/// <summary>China's ethnic groups as they appear among Shenzhen's residents.</summary>
internal static class Ethnicities
{
    public static readonly WeightedTable<string> Table = new(
    [
        ("汉族", 96.5), ("壮族", 1.0), ("土家族", 0.5), ("瑶族", 0.3), ("苗族", 0.3), ("侗族", 0.2), ("回族", 0.2),
        ("满族", 0.2), ("蒙古族", 0.1), ("彝族", 0.1), ("布依族", 0.1), ("畲族", 0.1), ("朝鲜族", 0.1), ("白族", 0.1),
        ("黎族", 0.1), ("维吾尔族", 0.1),
    ]);
}
