namespace Zhiwang.Synthetic.Reference;

/// <summary>Words that make Shenzhen-like road, estate, village and park names for standard addresses.</summary>
internal static class Places
{
    public static readonly string[] RoadStems =
    [
        "深南", "滨河", "北环", "红荔", "华强", "福华", "彩田", "新洲", "沙河", "桃园", "南海", "科技", "创业", "前海",
        "宝安", "新安", "建安", "龙华", "民治", "布龙", "梅林", "莲花", "景田", "香蜜", "侨香", "翠竹", "东门", "人民",
        "解放", "宝岗", "爱国", "沿河", "布吉", "横岗", "坪山", "龙岗", "光明", "公明", "松岗", "沙井", "福永", "西乡",
        "观澜", "大浪", "盐田", "葵涌", "大鹏", "留仙", "学苑", "丽山", "松白", "宝源", "新湖", "龙翔", "清林", "深惠",
    ];

    public static readonly string[] RoadSuffixes = ["路", "路", "路", "大道", "街", "一路", "二路", "三路"];

    public static readonly string[] EstateStems =
    [
        "碧海", "万科", "华侨", "金地", "阳光", "翠湖", "锦绣", "丽景", "星河", "中海", "招商", "百仕达", "桃源", "御景",
        "东方", "半岛", "云顶", "香榭", "海月", "幸福", "和谐", "龙城", "君悦", "兰亭", "天悦", "蔚蓝", "水榭", "春天",
    ];

    public static readonly string[] EstateSuffixes = ["花园", "苑", "新城", "小区", "山庄", "家园", "公馆"];

    public static readonly string[] Villages =
    [
        "岗厦", "白石洲", "水围", "上沙", "下沙", "大冲", "蔡屋围", "湖贝", "石厦", "皇岗", "渔农", "沙尾", "上梅林",
        "下梅林", "新围", "西丽", "塘朗", "平山", "大芬", "岗头", "坂田", "清湖", "樟坑径", "黄贝岭", "田心", "沙湾",
        "南岭", "丹竹头", "沙井", "福永", "固戍", "铁仔山", "石岩", "观澜", "横岗", "龙东", "坪地", "马峦", "松岗",
    ];

    public static readonly string[] CommercialSuffixes = ["大厦", "中心", "广场", "商务中心", "金融中心"];

    public static readonly string[] IndustrialSuffixes = ["工业园", "科技园", "产业园", "工业区"];
}
