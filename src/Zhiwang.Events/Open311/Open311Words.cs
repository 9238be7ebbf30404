using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Zhiwang.Events.Calendar;
using Zhiwang.Events.Catalogue;
using Zhiwang.Events.Lifecycle;
using Zhiwang.Geo;

namespace Zhiwang.Events.Open311;

/// <summary>The two languages the catalogue names things in.</summary>
public enum Open311Locale
{
    Zh,
    En,
}

/// <summary>What the GeoReport documents say in words: names by locale, notices, what a timeline step means, times.</summary>
internal static class Open311Words
{
    /// <summary>
    /// <c>?locale=en</c> (or <c>en_US</c>, <c>zh</c> …) first, then the most preferred of English or Chinese in
    /// Accept-Language; Chinese when neither says.
    /// </summary>
    public static Open311Locale LocaleOf(HttpRequest request)
    {
        if (Parse(request.Query["locale"].FirstOrDefault()) is { } asked)
        {
            return asked;
        }

        if (StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var languages))
        {
            foreach (var language in languages.OrderByDescending(l => l.Quality ?? 1))
            {
                if (Parse(language.Value.Value) is { } preferred)
                {
                    return preferred;
                }
            }
        }

        return Open311Locale.Zh;

        static Open311Locale? Parse(string? tag) =>
            tag is null ? null
            : tag.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? Open311Locale.En
            : tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? Open311Locale.Zh
            : null;
    }

    public static string Name(Open311Locale locale, string zh, string en) => locale == Open311Locale.En ? en : zh;

    /// <summary>W3C date-time in Shenzhen time, as the spec asks (an offset always given): 2026-11-24T09:30:00+08:00.</summary>
    public static string Time(DateTimeOffset time) =>
        time.ToOffset(BusinessCalendar.ChinaOffset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>A time for a sentence, to the minute in Shenzhen: 2026-11-25 18:00.</summary>
    public static string Clock(DateTimeOffset time) =>
        time.ToOffset(BusinessCalendar.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A W3C date or date-time; one without an offset is Shenzhen time (UTC+8).</summary>
    public static DateTimeOffset? ParseTime(string? text) => BusinessCalendar.ParseTime(text);

    /// <summary>Open311 knows two statuses: an event is closed once closed or rejected, open otherwise.</summary>
    public static string Status(string state) => EventStates.TryParse(state) is { } known && known.IsFinal() ? "closed" : "open";

    /// <summary>
    /// The responsible unit as the public knows it: the department and the division it works for,
    /// "社区人民调解委员会（福田区华富街道华富社区）".
    /// </summary>
    public static string? Agency(string? department, string? divisionCode, EventCatalogue catalogue, CityMap map, Open311Locale locale)
    {
        if (department is null)
        {
            return null;
        }

        var name = catalogue.FindDepartment(department) is { } known ? Name(locale, known.Zh, known.En) : department;
        if (divisionCode is null)
        {
            return name;
        }

        var where = DivisionName(divisionCode, map);
        return locale == Open311Locale.En ? $"{name} ({where})" : $"{name}（{where}）";
    }

    /// <summary>What the reporter should expect now, in a sentence.</summary>
    public static string Notice(string state, string? agency, DateTimeOffset? handleDue, long? possibleDuplicateOf, Open311Locale locale)
    {
        var parsed = EventStates.TryParse(state);
        var notice = parsed switch
        {
            EventState.Reported => Name(locale, "已收到，待受理", "Received; awaiting acceptance"),
            EventState.Accepted => Name(locale, "已受理，待指派处置单位", "Accepted; a dispatcher is choosing the unit to handle it"),
            EventState.Dispatched or EventState.InHandling or EventState.Reopened when agency is not null && handleDue is { } due =>
                Name(locale, $"已派至{agency}，应于{Clock(due)}前办结", $"Sent to {agency}; to be handled by {Clock(due)} (UTC+8)"),
            EventState.Dispatched or EventState.InHandling => Name(locale, "处置中", "Being handled"),
            EventState.Reopened => Name(locale, "已重新打开，待再次处置", "Reopened; to be handled again"),
            EventState.Returned => Name(locale, "处置单位已退回，待重新派单", "Returned by the unit; awaiting a new dispatch"),
            EventState.Handled => Name(locale, "已办结，待现场核实", "Handled; awaiting verification on site"),
            EventState.Verified => Name(locale, "已核实，待结案", "Verified on site; awaiting closure"),
            EventState.Closed => Name(locale, "已结案", "Closed"),
            EventState.Rejected => Name(locale, "未予受理", "Not accepted as an event"),
            _ => state,
        };
        if (possibleDuplicateOf is { } other)
        {
            notice += Name(
                locale,
                string.Create(CultureInfo.InvariantCulture, $"（可能与事件{other}重复）"),
                string.Create(CultureInfo.InvariantCulture, $" (possibly the same as request {other})"));
        }

        return notice;
    }

    /// <summary>
    /// Said of every dispute class and to whoever reports a dispute: the public resources show hazards only, since a
    /// dispute is a private matter between named people.
    /// </summary>
    public static string NotPublished(Open311Locale locale) => Name(
        locale,
        "矛盾纠纷涉及当事人隐私，不予公开：不在公开的请求列表和进展中显示。",
        "Disputes are private matters between the parties and are not published: they appear in no public list of requests or updates.");

    /// <summary>A timeline step in words, for an update that gives no reason of its own.</summary>
    public static string Step(string action, Open311Locale locale) => action switch
    {
        "report" => Name(locale, "已上报", "Reported"),
        "accept" => Name(locale, "已受理", "Accepted"),
        "reject" => Name(locale, "未予受理", "Not accepted as an event"),
        "merge" => Name(locale, "已与相同事件合并", "Merged with a request about the same thing"),
        "dispatch" => Name(locale, "已派至处置单位", "Sent to the unit responsible"),
        "reroute" => Name(locale, "已改派其他单位", "Sent to another unit"),
        "return" => Name(locale, "处置单位已退回", "Returned by the unit"),
        "take" => Name(locale, "处置单位已签收", "Taken on by the unit"),
        "ask_joint" => Name(locale, "已请其他单位协同处置", "Another unit asked to help"),
        "note" => Name(locale, "处置进展", "Progress"),
        "handle" => Name(locale, "已办结", "Handled"),
        "verify" => Name(locale, "已现场核实", "Verified on site"),
        "not_solved" => Name(locale, "现场核实未解决，重新处置", "Found unsolved on site; to be handled again"),
        "close" => Name(locale, "已结案", "Closed"),
        "force_close" => Name(locale, "已结案（督办）", "Closed by a supervisor"),
        "rate" => Name(locale, "反映人已评价", "Rated by the reporter"),
        "reopen" => Name(locale, "已重新打开", "Reopened"),
        "escalate" => Name(locale, "已上报上一级处置", "Escalated to the level above"),
        _ => action,
    };

    /// <summary>The division's name below the city, from the district down: "福田区华富街道"; the city's own name for the city.</summary>
    private static string DivisionName(string code, CityMap map)
    {
        var names = new List<string>();
        for (var division = map.Find(code); division is not null; division = division.ParentCode is { } parent ? map.Find(parent) : null)
        {
            if (division.Level == DivisionLevel.City && names.Count > 0)
            {
                break;
            }

            names.Add(division.Name);
        }

        names.Reverse();
        return names.Count == 0 ? code : string.Concat(names);
    }
}
