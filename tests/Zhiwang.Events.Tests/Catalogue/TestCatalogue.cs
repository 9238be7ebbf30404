using System.Text.Json;
using System.Text.Json.Nodes;
using Zhiwang.Events.Catalogue;

namespace Zhiwang.Events.Tests.Catalogue;

/// <summary>A small valid catalogue for tests, and ways to break it one field at a time.</summary>
internal static class TestCatalogue
{
    /// <summary>A grid in 南园 street, Futian (440304001000).</summary>
    public const string FutianGrid = "440304001000001001";

    /// <summary>A grid in 园岭 street, Futian.</summary>
    public const string OtherFutianGrid = "440304002000001001";

    /// <summary>A grid in 桂园 street, Luohu.</summary>
    public const string LuohuGrid = "440303001000001001";

    public const string Json = """
        {
          "departments": [
            { "code": "community_workstation", "zh": "社区工作站", "en": "Community workstation" },
            { "code": "street_comprehensive_governance", "zh": "街道综治办", "en": "Street comprehensive governance office" },
            { "code": "street_labour", "zh": "街道劳动办", "en": "Street labour office" },
            { "code": "street_safety", "zh": "街道安监办", "en": "Street work safety office" },
            { "code": "justice", "zh": "司法局", "en": "Justice bureau" },
            { "code": "human_resources", "zh": "人力资源局", "en": "Human resources and labour bureau" },
            { "code": "fire", "zh": "消防救援大队", "en": "Fire and rescue brigade" },
            { "code": "petitions", "zh": "信访局", "en": "Petitions bureau" }
          ],
          "groups": [
            { "code": "neighbourhood", "kind": "dispute", "zh": "邻里纠纷", "en": "Neighbourhood" },
            { "code": "labour", "kind": "dispute", "zh": "劳资纠纷", "en": "Labour and wages" },
            { "code": "fire", "kind": "hazard", "zh": "消防安全", "en": "Fire safety" }
          ],
          "classes": [
            {
              "code": "D0101", "kind": "dispute", "group": "neighbourhood", "zh": "噪声扰民纠纷", "en": "Noise between neighbours",
              "urgency": "normal", "startLevel": "community", "accept": "2h", "deadline": "5d",
              "departments": { "community": "community_workstation", "street": "street_comprehensive_governance", "district": "justice", "city": "justice" },
              "attributes": [
                { "name": "parties", "type": "integer", "required": true, "zh": "当事人数", "en": "Parties involved" },
                { "name": "noise_source", "type": "choice", "required": false, "zh": "噪声来源", "en": "Source", "options": ["renovation", "music", "pets", "other"] },
                { "name": "at_night", "type": "boolean", "zh": "是否夜间发生", "en": "Happens at night" },
                { "name": "first_noticed", "type": "date", "zh": "首次发现日期", "en": "First noticed on" },
                { "name": "note", "type": "text", "zh": "备注", "en": "Note" }
              ]
            },
            {
              "code": "D0201", "kind": "dispute", "group": "labour", "zh": "拖欠工资纠纷", "en": "Wage arrears",
              "urgency": "normal", "startLevel": "community", "accept": "2h", "deadline": "10d",
              "departments": { "community": "community_workstation", "street": "street_labour", "district": "human_resources", "city": "human_resources" },
              "attributes": [
                { "name": "workers", "type": "integer", "required": true, "zh": "涉及人数", "en": "Workers affected" },
                { "name": "amount_owed", "type": "number", "zh": "拖欠金额（元）", "en": "Amount owed (yuan)" },
                { "name": "employer", "type": "text", "zh": "用人单位名称", "en": "Employer name" }
              ]
            },
            {
              "code": "D0202", "kind": "dispute", "group": "labour", "zh": "群体性欠薪纠纷", "en": "Wage arrears of many workers",
              "urgency": "urgent", "startLevel": "street", "accept": "1h", "deadline": "3d",
              "departments": { "community": "community_workstation", "street": "street_labour", "district": "human_resources", "city": "human_resources" },
              "attributes": [
                { "name": "workers", "type": "integer", "required": true, "zh": "涉及人数", "en": "Workers affected" }
              ]
            },
            {
              "code": "H0101", "kind": "hazard", "group": "fire", "zh": "火灾有人员被困", "en": "Fire with people trapped",
              "urgency": "emergency", "startLevel": "district", "accept": "1h", "deadline": "4h",
              "departments": { "community": "community_workstation", "street": "street_safety", "district": "fire", "city": "fire" },
              "attributes": [
                { "name": "trapped", "type": "integer", "required": true, "zh": "被困人数", "en": "People trapped" }
              ]
            }
          ],
          "rules": [
            { "class": "D0101", "division": "440304", "level": "district", "department": "petitions", "why": "A test rule" }
          ]
        }
        """;

    /// <summary>The catalogue with its rules replaced by <paramref name="rulesJson"/> (a JSON list).</summary>
    public static EventCatalogue WithRules(string rulesJson) =>
        EventCatalogue.Parse(Change(node => node["rules"] = JsonNode.Parse(rulesJson)), 1);

    /// <summary>The catalogue's JSON after <paramref name="change"/>.</summary>
    public static string Change(Action<JsonNode> change)
    {
        var node = JsonNode.Parse(Json)!;
        change(node);
        return node.ToJsonString();
    }

    /// <summary>
    /// The catalogue's JSON with the value at <paramref name="path"/> (e.g. <c>classes[0].departments.city</c>) set to
    /// <paramref name="valueJson"/>, or removed when that is null.
    /// </summary>
    public static string Set(string path, string? valueJson) => Change(root =>
    {
        var steps = path.Replace("[", ".[", StringComparison.Ordinal).Split('.', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        for (var i = 0; i < steps.Length - 1; i++)
        {
            parent = Step(parent, steps[i]);
        }

        var last = steps[^1];
        var value = valueJson is null ? null : JsonNode.Parse(valueJson);
        if (last.StartsWith('['))
        {
            parent.AsArray()[int.Parse(last[1..^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else if (value is null)
        {
            parent.AsObject().Remove(last);
        }
        else
        {
            parent[last] = value;
        }
    });

    public static IReadOnlyDictionary<string, JsonElement> Attributes(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().ToDictionary(member => member.Name, member => member.Value.Clone());
    }

    private static JsonNode Step(JsonNode node, string step) =>
        step.StartsWith('[')
            ? node.AsArray()[int.Parse(step[1..^1], System.Globalization.CultureInfo.InvariantCulture)]!
            : node[step]!;
}
