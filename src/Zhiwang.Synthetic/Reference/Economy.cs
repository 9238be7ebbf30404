namespace Zhiwang.Synthetic.Reference;

/// <summary>Industries of GB/T 4754-2017 (sections) weighted like Shenzhen's registered market entities.</summary>
internal static class Economy
{
    public sealed record Industry(char Section, string Name, string[] Words);

    public static readonly WeightedTable<Industry> Industries = new(
    [
        (new Industry('A', "农、林、牧、渔业", ["农业", "水产"]), 0.3),
        (new Industry('C', "制造业", ["电子", "精密", "五金", "塑胶", "电器", "光电", "新材料"]), 12.0),
        (new Industry('D', "电力、热力、燃气及水生产和供应业", ["能源", "燃气"]), 0.3),
        (new Industry('E', "建筑业", ["建筑工程", "装饰工程", "建设"]), 4.0),
        (new Industry('F', "批发和零售业", ["贸易", "商贸", "实业", "进出口"]), 38.0),
        (new Industry('G', "交通运输、仓储和邮政业", ["物流", "运输", "供应链"]), 4.0),
        (new Industry('H', "住宿和餐饮业", ["餐饮管理", "餐饮", "酒店管理"]), 6.0),
        (new Industry('I', "信息传输、软件和信息技术服务业", ["科技", "信息技术", "网络科技", "软件"]), 12.0),
        (new Industry('J', "金融业", ["投资", "资本", "基金管理"]), 2.0),
        (new Industry('K', "房地产业", ["房地产", "物业管理", "置业"]), 3.0),
        (new Industry('L', "租赁和商务服务业", ["企业管理", "商务咨询", "广告", "文化传媒"]), 10.0),
        (new Industry('M', "科学研究和技术服务业", ["技术服务", "检测", "设计"]), 4.0),
        (new Industry('O', "居民服务、修理和其他服务业", ["家政服务", "维修", "美容"]), 2.5),
        (new Industry('P', "教育", ["教育科技", "培训"]), 1.0),
        (new Industry('Q', "卫生和社会工作", ["医疗", "健康管理"]), 0.6),
        (new Industry('R', "文化、体育和娱乐业", ["文化", "体育", "娱乐"]), 1.0),
    ]);

    /// <summary>Trade-name words (字号); two of them make a firm's distinctive name.</summary>
    public static readonly string[] TradeWords =
    [
        "华", "鹏", "腾", "达", "宏", "盛", "创", "新", "联", "信", "通", "恒", "泰", "安", "兴", "荣", "佳", "美", "立",
        "博", "远", "航", "科", "力", "源", "海", "天", "凯", "瑞", "祥", "鑫", "智", "顺", "利", "金", "龙", "星", "辉",
    ];

    /// <summary>Kinds of registrant: registration authority and entity type characters of GB 32100, with shares.</summary>
    public sealed record EntityKind(char Authority, char Type, string Label, string Suffix);

    public static readonly WeightedTable<EntityKind> Kinds = new(
    [
        (new EntityKind('9', '1', "有限责任公司", "有限公司"), 62.0),
        (new EntityKind('9', '2', "个体工商户", "店"), 33.0),
        (new EntityKind('9', '3', "农民专业合作社", "专业合作社"), 0.5),
        (new EntityKind('1', '2', "事业单位", "中心"), 2.0),
        (new EntityKind('5', '1', "社会团体", "协会"), 1.5),
        (new EntityKind('5', '2', "民办非企业单位", "服务中心"), 1.0),
    ]);
}

/// <summary>City components (城市部件) by class and subclass, after the GB/T 30428.2 component classification.</summary>
internal static class ComponentCatalogue
{
    public sealed record Subclass(int Class, string ClassName, int Code, string Name, string Department);

    public static readonly WeightedTable<Subclass> Subclasses = new(
    [
        (new Subclass(1, "公用设施", 1, "上水井盖", "水务局"), 6),
        (new Subclass(1, "公用设施", 2, "污水井盖", "水务局"), 6),
        (new Subclass(1, "公用设施", 3, "雨水井盖", "水务局"), 6),
        (new Subclass(1, "公用设施", 4, "电力井盖", "供电局"), 4),
        (new Subclass(1, "公用设施", 5, "通信井盖", "工业和信息化局"), 4),
        (new Subclass(1, "公用设施", 6, "燃气井盖", "住房和建设局"), 2),
        (new Subclass(1, "公用设施", 7, "消防栓", "消防救援支队"), 4),
        (new Subclass(1, "公用设施", 8, "路灯", "城市管理和综合执法局"), 10),
        (new Subclass(1, "公用设施", 9, "变压器箱", "供电局"), 2),
        (new Subclass(2, "道路交通", 1, "交通信号灯", "公安交通警察局"), 2),
        (new Subclass(2, "道路交通", 2, "交通标志牌", "交通运输局"), 5),
        (new Subclass(2, "道路交通", 3, "道路护栏", "交通运输局"), 4),
        (new Subclass(2, "道路交通", 4, "公交站亭", "交通运输局"), 2),
        (new Subclass(2, "道路交通", 5, "电子眼", "公安交通警察局"), 3),
        (new Subclass(2, "道路交通", 6, "人行天桥", "交通运输局"), 0.3),
        (new Subclass(3, "市容环境", 1, "垃圾箱", "城市管理和综合执法局"), 10),
        (new Subclass(3, "市容环境", 2, "公共厕所", "城市管理和综合执法局"), 1),
        (new Subclass(3, "市容环境", 3, "户外广告牌", "城市管理和综合执法局"), 4),
        (new Subclass(3, "市容环境", 4, "垃圾转运站", "城市管理和综合执法局"), 0.3),
        (new Subclass(4, "园林绿化", 1, "行道树", "城市管理和综合执法局"), 12),
        (new Subclass(4, "园林绿化", 2, "古树名木", "城市管理和综合执法局"), 0.2),
        (new Subclass(4, "园林绿化", 3, "绿地", "城市管理和综合执法局"), 3),
        (new Subclass(5, "房屋土地", 1, "宣传栏", "街道办事处"), 2),
        (new Subclass(5, "房屋土地", 2, "治安岗亭", "公安局"), 0.5),
        (new Subclass(6, "其他设施", 1, "视频监控", "公安局"), 6),
        (new Subclass(6, "其他设施", 2, "自动售货机", "市场监督管理局"), 1),
        (new Subclass(6, "其他设施", 3, "充电桩", "发展和改革委员会"), 2),
    ]);
}
