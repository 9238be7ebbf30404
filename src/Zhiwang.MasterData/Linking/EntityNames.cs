namespace Zhiwang.MasterData.Linking;

/// <summary>
/// The core of a registered name: departments write one entity as 深圳市宏荣运输有限公司, 宏荣运输有限公司 or 宏荣运输,
/// so the city, the district and the legal form are dropped before names are compared.
/// </summary>
internal static class EntityNames
{
    private static readonly string[] Prefixes = ["广东省", "深圳市", "深圳"];

    // Longest first: 股份有限公司 before 有限公司.
    private static readonly string[] LegalForms =
    [
        "股份有限公司", "有限责任公司", "有限公司", "分公司", "公司", "专业合作社", "合作社", "个体工商户", "经营部", "商行", "工作室", "店", "厂",
    ];

    public static string Core(string foldedName)
    {
        var name = foldedName.AsSpan();
        foreach (var prefix in Prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                name = name[prefix.Length..];
                break;
            }
        }

        // A district: two or three characters and 区 (南山区, 宝安区, 大鹏新区).
        var district = name.IndexOf('区');
        if (district is >= 2 and <= 3 && name.Length > district + 2)
        {
            name = name[(district + 1)..];
        }

        foreach (var form in LegalForms)
        {
            if (name.EndsWith(form, StringComparison.Ordinal) && name.Length > form.Length + 1)
            {
                name = name[..^form.Length];
                break;
            }
        }

        return name.ToString();
    }
}
