using System.Text.Json;
using System.Text.RegularExpressions;
using Zhiwang.Events.Calendar;

namespace Zhiwang.Events.Catalogue;

/// <summary>
/// Reads catalogue.json and checks it. It keeps going after a problem so that an administrator editing the file
/// sees every mistake (up to <see cref="MaxProblems"/>) in one message, each with its JSON path.
/// </summary>
internal sealed partial class CatalogueReader
{
    private const int MaxProblems = 20;

    private static readonly string[] RootMembers = ["departments", "groups", "classes", "rules"];
    private static readonly string[] DepartmentMembers = ["code", "zh", "en"];
    private static readonly string[] GroupMembers = ["code", "kind", "zh", "en"];
    private static readonly string[] ClassMembers =
        ["code", "kind", "group", "zh", "en", "urgency", "startLevel", "departments", "accept", "deadline", "attributes"];
    private static readonly string[] AttributeMembers = ["name", "type", "required", "zh", "en", "options"];
    private static readonly string[] RuleMembers = ["class", "group", "division", "urgency", "level", "department", "why"];

    private readonly List<string> _problems = [];

    // Where each code was first seen ("department:fire" → "departments[8]"), to name it in a duplicate's message.
    private readonly Dictionary<string, string> _codePaths = new(StringComparer.Ordinal);
    private int _problemCount;

    private readonly Dictionary<string, Department> _departments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EventGroup> _groups = new(StringComparer.Ordinal);

    // Every class code seen, valid class or not, so that a rule naming a broken class is not reported twice.
    private readonly HashSet<string> _classCodes = new(StringComparer.Ordinal);

    // The group number in class codes (the "01" of D0101) belongs to one group, and each group has one number.
    private readonly Dictionary<string, (string Number, string Path)> _groupNumbers = new(StringComparer.Ordinal);
    private readonly Dictionary<(EventKind, string), (string Group, string Path)> _numberedGroups = [];

    private CatalogueReader()
    {
    }

    public static CatalogueContent Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            // Members given twice are reported as problems with their path (see CheckMembers), not as bad JSON.
            document = JsonDocument.Parse(json);
        }
        catch (JsonException exception)
        {
            var reason = exception.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = cut > 0 ? reason[..cut] : reason;
            var where = exception.LineNumber is { } line
                ? $" at line {line + 1}, byte {exception.BytePositionInLine + 1} of the line"
                : "";
            throw new CatalogueException($"$: not valid JSON{where}: {reason}");
        }

        using (document)
        {
            var reader = new CatalogueReader();
            var content = reader.ReadRoot(document.RootElement);
            if (reader._problemCount > 0)
            {
                throw new CatalogueException(reader._problems, reader._problemCount - reader._problems.Count);
            }

            return content;
        }
    }

    private CatalogueContent ReadRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            Problem("$", "expected an object with departments, groups, classes and rules");
            return new CatalogueContent([], [], [], []);
        }

        CheckMembers(root, "$", RootMembers, rootLevel: true);
        var departments = ReadArray(root, "", "departments", required: true, ReadDepartment);
        var groups = ReadArray(root, "", "groups", required: true, ReadGroup);
        var classes = ReadArray(root, "", "classes", required: true, ReadClass);
        if (root.TryGetProperty("classes", out var classArray) && classArray.ValueKind == JsonValueKind.Array
            && classArray.GetArrayLength() == 0)
        {
            Problem("classes", "the catalogue has no classes");
        }

        var rules = ReadArray(root, "", "rules", required: false, ReadRule);
        return new CatalogueContent(departments, groups, classes, rules);
    }

    private Department? ReadDepartment(JsonElement element, string path)
    {
        if (!CheckMembers(element, path, DepartmentMembers))
        {
            return null;
        }

        var before = _problemCount;
        var code = ReadCode(element, path, "department");
        var zh = ReadString(element, path, "zh", required: true);
        var en = ReadString(element, path, "en", required: true);
        if (code is not null && !_departments.ContainsKey(code) && _problemCount == before)
        {
            var department = new Department(code, zh!, en!);
            _departments[code] = department;
            return department;
        }

        return null;
    }

    private EventGroup? ReadGroup(JsonElement element, string path)
    {
        if (!CheckMembers(element, path, GroupMembers))
        {
            return null;
        }

        var before = _problemCount;
        var code = ReadCode(element, path, "group");
        var kind = ReadWord(element, path, "kind", CatalogueWords.Kinds, required: true);
        var zh = ReadString(element, path, "zh", required: true);
        var en = ReadString(element, path, "en", required: true);
        if (code is not null && !_groups.ContainsKey(code) && _problemCount == before)
        {
            var group = new EventGroup(code, kind!.Value, zh!, en!);
            _groups[code] = group;
            return group;
        }

        return null;
    }

    /// <summary>A department's or group's code: present, snake_case and not used before in its list.</summary>
    private string? ReadCode(JsonElement element, string path, string what)
    {
        var code = ReadString(element, path, "code", required: true);
        if (code is null)
        {
            return null;
        }

        if (!SnakeCase().IsMatch(code))
        {
            Problem(path + ".code", $"'{Shorten(code)}' is not a {what} code (lower-case letters, digits and _, starting with a letter)");
            return null;
        }

        if (!_codePaths.TryAdd(what + ":" + code, path))
        {
            Problem(path + ".code", $"'{code}' is already {_codePaths[what + ":" + code]}");
            return null;
        }

        return code;
    }

    private EventClass? ReadClass(JsonElement element, string path)
    {
        if (!CheckMembers(element, path, ClassMembers))
        {
            return null;
        }

        var before = _problemCount;
        var code = ReadString(element, path, "code", required: true);
        var kind = ReadWord(element, path, "kind", CatalogueWords.Kinds, required: true);
        var groupCode = ReadString(element, path, "group", required: true);
        var zh = ReadString(element, path, "zh", required: true);
        var en = ReadString(element, path, "en", required: true);
        var urgency = ReadWord(element, path, "urgency", CatalogueWords.Urgencies, required: true);
        var startLevel = ReadWord(element, path, "startLevel", CatalogueWords.Levels, required: true);
        var departments = ReadClassDepartments(element, path);
        var accept = ReadDuration(element, path, "accept");
        var deadline = ReadDuration(element, path, "deadline");
        var attributes = ReadAttributes(element, path);

        var codeIsGood = false;
        if (code is not null)
        {
            var match = ClassCode().Match(code);
            if (!match.Success)
            {
                Problem(path + ".code", $"'{Shorten(code)}' is not a class code (D or H, a 2-digit group number, a 2-digit number: e.g. D0101)");
            }
            else if (!_classCodes.Add(code))
            {
                Problem(path + ".code", $"'{code}' is already {_codePaths["class:" + code]}");
            }
            else
            {
                _codePaths["class:" + code] = path;
                codeIsGood = true;
                var codeKind = code[0] == 'D' ? EventKind.Dispute : EventKind.Hazard;
                if (kind is not null && kind != codeKind)
                {
                    Problem(path + ".kind", $"'{Word(CatalogueWords.Kinds, kind.Value)}' does not match the code {code} (D is a dispute, H a hazard)");
                }
            }
        }

        if (groupCode is not null)
        {
            if (!_groups.TryGetValue(groupCode, out var group))
            {
                Problem(path + ".group", $"no group '{Shorten(groupCode)}'");
            }
            else
            {
                if (kind is not null && group.Kind != kind)
                {
                    Problem(path + ".group", $"'{groupCode}' is a {Word(CatalogueWords.Kinds, group.Kind)} group, but this class is a {Word(CatalogueWords.Kinds, kind.Value)}");
                }
                else if (codeIsGood)
                {
                    CheckGroupNumber(code!, group, path);
                }
            }
        }

        if (_problemCount != before)
        {
            return null;
        }

        return new EventClass(code!, kind!.Value, groupCode!, zh!, en!, urgency!.Value, startLevel!.Value, departments!,
            accept!.Value, deadline!.Value, attributes!);
    }

    private void CheckGroupNumber(string code, EventGroup group, string path)
    {
        var number = code.Substring(1, 2);
        if (_groupNumbers.TryGetValue(group.Code, out var known))
        {
            if (known.Number != number)
            {
                Problem(path + ".code", $"{code} is numbered as group {number}, but group {group.Code} is numbered {known.Number} ({known.Path})");
            }

            return;
        }

        if (_numberedGroups.TryGetValue((group.Kind, number), out var other))
        {
            Problem(path + ".code", $"{code} is numbered as group {number}, which is group {other.Group}'s number ({other.Path})");
            return;
        }

        _groupNumbers[group.Code] = (number, path);
        _numberedGroups[(group.Kind, number)] = (group.Code, path);
    }

    private IReadOnlyDictionary<Level, string>? ReadClassDepartments(JsonElement element, string path)
    {
        path += ".departments";
        if (!element.TryGetProperty("departments", out var table) || table.ValueKind == JsonValueKind.Null)
        {
            Problem(path, "required (a department for each level: community, street, district, city)");
            return null;
        }

        if (table.ValueKind != JsonValueKind.Object)
        {
            Problem(path, "expected an object naming a department for each level: community, street, district, city");
            return null;
        }

        var before = _problemCount;
        var found = new Dictionary<Level, string>();
        foreach (var member in table.EnumerateObject())
        {
            var memberPath = path + "." + member.Name;
            if (!CatalogueWords.Levels.TryGetValue(member.Name, out var level))
            {
                Problem(memberPath, "not a level (community, street, district or city)");
            }
            else if (found.ContainsKey(level))
            {
                Problem(memberPath, "given twice");
            }
            else if (member.Value.ValueKind != JsonValueKind.String)
            {
                Problem(memberPath, "expected a department code");
            }
            else if (!_departments.ContainsKey(member.Value.GetString()!))
            {
                Problem(memberPath, $"no department '{Shorten(member.Value.GetString()!)}'");
            }
            else
            {
                found[level] = member.Value.GetString()!;
            }
        }

        foreach (var (word, level) in CatalogueWords.Levels)
        {
            if (!found.ContainsKey(level) && !table.TryGetProperty(word, out _))
            {
                Problem(path + "." + word, "required (every class names a department at all four levels)");
            }
        }

        return _problemCount == before
            ? new SortedDictionary<Level, string>(found).AsReadOnly()
            : null;
    }

    private WorkingDuration? ReadDuration(JsonElement element, string path, string name)
    {
        var text = ReadString(element, path, name, required: true);
        if (text is null)
        {
            return null;
        }

        var duration = WorkingDuration.TryParse(text);
        if (duration is null)
        {
            Problem(path + "." + name, $"'{Shorten(text)}' is not a duration (expected e.g. 4h or 5d)");
        }

        return duration;
    }

    private IReadOnlyList<ClassAttribute>? ReadAttributes(JsonElement element, string path)
    {
        var before = _problemCount;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var attributes = ReadArray(element, path, "attributes", required: true, (attribute, attributePath) =>
        {
            var read = ReadAttribute(attribute, attributePath);
            if (read is not null && !names.TryAdd(read.Name, attributePath))
            {
                Problem(attributePath + ".name", $"'{read.Name}' is already {names[read.Name][(path.Length + 1)..]}");
                return null;
            }

            return read;
        });
        return _problemCount == before ? attributes.AsReadOnly() : null;
    }

    private ClassAttribute? ReadAttribute(JsonElement element, string path)
    {
        if (!CheckMembers(element, path, AttributeMembers))
        {
            return null;
        }

        var before = _problemCount;
        var name = ReadString(element, path, "name", required: true);
        if (name is not null && !AttributeName().IsMatch(name))
        {
            Problem(path + ".name", $"'{Shorten(name)}' is not an attribute name (lower-case letters, digits and _, starting with a letter, at most 40)");
        }

        var type = ReadWord(element, path, "type", CatalogueWords.Types, required: true);
        var required = false;
        if (element.TryGetProperty("required", out var requiredElement) && requiredElement.ValueKind != JsonValueKind.Null)
        {
            if (requiredElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                required = requiredElement.GetBoolean();
            }
            else
            {
                Problem(path + ".required", "expected true or false");
            }
        }

        var zh = ReadString(element, path, "zh", required: true);
        var en = ReadString(element, path, "en", required: true);
        var options = ReadOptions(element, path, type);
        if (_problemCount != before)
        {
            return null;
        }

        return new ClassAttribute(name!, type!.Value, required, zh!, en!, options!);
    }

    private IReadOnlyList<string>? ReadOptions(JsonElement element, string path, AttributeType? type)
    {
        path += ".options";
        var present = element.TryGetProperty("options", out var options) && options.ValueKind != JsonValueKind.Null;
        if (type != AttributeType.Choice)
        {
            if (present && type is not null)
            {
                Problem(path, "only a choice has options");
            }

            return Array.Empty<string>();
        }

        if (!present)
        {
            Problem(path, "required: a choice needs a list of options");
            return null;
        }

        if (options.ValueKind != JsonValueKind.Array || options.GetArrayLength() == 0)
        {
            Problem(path, "a choice needs a non-empty list of options");
            return null;
        }

        var before = _problemCount;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<string>();
        var index = 0;
        foreach (var option in options.EnumerateArray())
        {
            var optionPath = $"{path}[{index++}]";
            if (option.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(option.GetString()))
            {
                Problem(optionPath, "expected a non-empty string");
            }
            else if (!seen.Add(option.GetString()!))
            {
                Problem(optionPath, $"'{Shorten(option.GetString()!)}' is listed twice");
            }
            else
            {
                list.Add(option.GetString()!);
            }
        }

        return _problemCount == before ? list.AsReadOnly() : null;
    }

    private DispatchRule? ReadRule(JsonElement element, string path)
    {
        if (!CheckMembers(element, path, RuleMembers))
        {
            return null;
        }

        var before = _problemCount;
        var classCode = ReadString(element, path, "class", required: false);
        var groupCode = ReadString(element, path, "group", required: false);
        var division = ReadString(element, path, "division", required: false);
        var urgency = ReadWord(element, path, "urgency", CatalogueWords.Urgencies, required: false);
        var level = ReadWord(element, path, "level", CatalogueWords.Levels, required: false);
        var department = ReadString(element, path, "department", required: false);
        var why = ReadString(element, path, "why", required: false);

        if (classCode is not null && !_classCodes.Contains(classCode))
        {
            Problem(path + ".class", $"no class '{Shorten(classCode)}'");
        }

        if (groupCode is not null && !_groups.ContainsKey(groupCode))
        {
            Problem(path + ".group", $"no group '{Shorten(groupCode)}'");
        }

        if (classCode is not null && groupCode is not null)
        {
            Problem(path, "names both a class and a group: name one (a class already belongs to its group)");
        }

        if (division is not null && !DivisionCode().IsMatch(division))
        {
            Problem(path + ".division", $"'{Shorten(division)}' is not a division code (district 6 digits, street 12, community 15)");
        }

        if (department is not null && !_departments.ContainsKey(department))
        {
            Problem(path + ".department", $"no department '{Shorten(department)}'");
        }

        if (level is null && department is null && !element.TryGetProperty("level", out _) && !element.TryGetProperty("department", out _))
        {
            Problem(path, "sets neither a level nor a department, so it changes nothing");
        }

        return _problemCount == before
            ? new DispatchRule(classCode, groupCode, division, urgency, level, department, why)
            : null;
    }

    private List<T> ReadArray<T>(JsonElement parent, string parentPath, string name, bool required, Func<JsonElement, string, T?> readItem)
        where T : class
    {
        var path = parentPath.Length == 0 ? name : parentPath + "." + name;
        var items = new List<T>();
        if (!parent.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem(path, "required");
            }

            return items;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            Problem(path, "expected a list");
            return items;
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var item = readItem(element, $"{path}[{index++}]");
            if (item is not null)
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>False (with a problem) when the element is not an object; reports members the catalogue does not know, which are usually typos.</summary>
    private bool CheckMembers(JsonElement element, string path, string[] allowed, bool rootLevel = false)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            Problem(path, "expected an object");
            return false;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var memberPath = rootLevel ? member.Name : path + "." + member.Name;
            if (!allowed.Contains(member.Name, StringComparer.Ordinal))
            {
                Problem(memberPath, $"unknown member (expected {string.Join(", ", allowed)})");
            }
            else if (!seen.Add(member.Name))
            {
                Problem(memberPath, "given twice");
            }
        }

        return true;
    }

    private string? ReadString(JsonElement element, string path, string name, bool required)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Problem(path + "." + name, "required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Problem(path + "." + name, "expected a string");
            return null;
        }

        var text = value.GetString()!;
        if (string.IsNullOrWhiteSpace(text))
        {
            Problem(path + "." + name, "must not be empty");
            return null;
        }

        return text;
    }

    private T? ReadWord<T>(JsonElement element, string path, string name, IReadOnlyDictionary<string, T> words, bool required)
        where T : struct, Enum
    {
        var text = ReadString(element, path, name, required);
        if (text is null)
        {
            return null;
        }

        if (!words.TryGetValue(text, out var value))
        {
            Problem(path + "." + name, $"'{Shorten(text)}' is not one of {string.Join(", ", words.Keys)}");
            return null;
        }

        return value;
    }

    private static string Word<T>(IReadOnlyDictionary<string, T> words, T value)
        where T : struct, Enum => CatalogueWords.Word(words, value);

    private void Problem(string path, string message)
    {
        _problemCount++;
        if (_problems.Count < MaxProblems)
        {
            _problems.Add(path + ": " + message);
        }
    }

    // Messages quote what the administrator wrote; a pasted paragraph should not flood them.
    private static string Shorten(string text) =>
        text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");

    [GeneratedRegex(@"^[a-z][a-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex SnakeCase();

    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,39}\z", RegexOptions.CultureInvariant)]
    private static partial Regex AttributeName();

    [GeneratedRegex(@"^[DH](?!00)[0-9]{2}(?!00)[0-9]{2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ClassCode();

    [GeneratedRegex(@"^([0-9]{6}|[0-9]{12}|[0-9]{15})\z", RegexOptions.CultureInvariant)]
    private static partial Regex DivisionCode();
}

/// <summary>What a valid catalogue.json holds.</summary>
internal sealed record CatalogueContent(
    IReadOnlyList<Department> Departments,
    IReadOnlyList<EventGroup> Groups,
    IReadOnlyList<EventClass> Classes,
    IReadOnlyList<DispatchRule> Rules);
