using System.Text;
using Zhiwang.Linkage.Text;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// Rules for persons without a usable key where the linkage engine (<see cref="Linking.EngineStep"/>) cannot decide:
/// a valid ID number not yet known that joins an earlier keyless record (read time, before any model), and every
/// keyless person while there is no model (a first import too small to train, nothing stored). Same birth date and
/// sex in the same house (or the same address), and the same folded name or one differing character (a typo or a
/// variant such as 陈/陳); else the same name beside the same golden record in a row; else the same folded name,
/// birth date and sex anywhere in the city when exactly one record has them.
/// </summary>
internal sealed class ProbablePersonMatch
{
    private readonly Dictionary<string, List<(string GoldenId, string Name)>> _byPlace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _byContext = new(StringComparer.Ordinal);

    /// <summary>The golden record the person most probably is and the weight of the evidence, or null when none or several fit.</summary>
    public (string GoldenId, double Weight)? Find(
        string? name, string? birthDate, string? sex, string? place, string? phone, IReadOnlyCollection<string>? context = null, Func<string, bool>? allowed = null)
    {
        context = [.. context ?? [], .. OwnContext(place, phone)];
        var folded = FoldName(name);
        if (folded.Length == 0)
        {
            return null;
        }

        var hasBirth = !string.IsNullOrEmpty(birthDate);
        if (hasBirth && !string.IsNullOrEmpty(place) && _byPlace.TryGetValue(PlaceKey(birthDate!, sex, place), out var near))
        {
            var exact = Distinct(near.Where(c => c.Name == folded).Select(c => c.GoldenId), allowed);
            if (exact.Count == 1)
            {
                return (exact[0], 1.0);
            }

            var close = Distinct(near.Where(c => OneCharacterApart(c.Name, folded)).Select(c => c.GoldenId), allowed);
            if (exact.Count == 0 && close.Count == 1)
            {
                return (close[0], 0.85);
            }
        }

        if (context is { Count: > 0 })
        {
            var shared = Distinct(context.SelectMany(c => _byContext.GetValueOrDefault(ContextKey(folded, c)) ?? []), allowed);
            if (shared.Count == 1)
            {
                return (shared[0], 0.9);
            }
        }

        if (hasBirth && _byName.TryGetValue(NameKey(folded, birthDate!, sex), out var anywhere))
        {
            var candidates = Distinct(anywhere, allowed);
            if (candidates.Count == 1)
            {
                return (candidates[0], 0.7);
            }
        }

        return null;
    }

    /// <summary>Remembers that a person of this name appears beside another golden record (an employer, a house).</summary>
    public void AddContext(string goldenId, string? name, string contextGoldenId)
    {
        var folded = FoldName(name);
        if (folded.Length == 0)
        {
            return;
        }

        var key = ContextKey(folded, contextGoldenId);
        if (!_byContext.TryGetValue(key, out var set))
        {
            _byContext[key] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(goldenId);
    }

    public void Add(string goldenId, string? name, string? birthDate, string? sex, string? place, string? phone)
    {
        var folded = FoldName(name);
        foreach (var own in OwnContext(place, phone))
        {
            AddContext(goldenId, name, own);
        }

        if (folded.Length == 0 || string.IsNullOrEmpty(birthDate))
        {
            return;
        }

        if (!string.IsNullOrEmpty(place))
        {
            var key = PlaceKey(birthDate, sex, place);
            if (!_byPlace.TryGetValue(key, out var list))
            {
                _byPlace[key] = list = [];
            }

            if (!list.Contains((goldenId, folded)))
            {
                list.Add((goldenId, folded));
            }
        }

        var nameKey = NameKey(folded, birthDate, sex);
        if (!_byName.TryGetValue(nameKey, out var set))
        {
            _byName[nameKey] = set = new HashSet<string>(StringComparer.Ordinal);
        }

        set.Add(goldenId);
    }

    /// <summary>Folded (full-width to ASCII, traditional to simplified: 陳 is 陈), spaces and middle dots dropped.</summary>
    public static string FoldName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        var normalized = ChineseText.Fold(name);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (!char.IsWhiteSpace(c) && c != '·' && c != '•')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>Same length and at most one character different: how a one-character typo or variant looks.</summary>
    public static bool OneCharacterApart(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        var differences = 0;
        for (var i = 0; i < a.Length && differences <= 1; i++)
        {
            if (a[i] != b[i])
            {
                differences++;
            }
        }

        return differences <= 1;
    }

    private static List<string> Distinct(IEnumerable<string> ids, Func<string, bool>? allowed) =>
        ids.Where(id => allowed is null || allowed(id)).Distinct(StringComparer.Ordinal).Take(2).ToList();

    private static string PlaceKey(string birthDate, string? sex, string place) => string.Concat(birthDate, "|", sex, "|", place);

    /// <summary>Where a row says the person lives and the phone it gives: shared with another row of the same name, they are evidence even without a birth date.</summary>
    private static IEnumerable<string> OwnContext(string? place, string? phone)
    {
        if (!string.IsNullOrEmpty(place))
        {
            yield return "@" + place;
        }

        if (!string.IsNullOrEmpty(phone))
        {
            yield return "tel:" + phone;
        }
    }

    private static string ContextKey(string folded, string contextGoldenId) => string.Concat(folded, "|", contextGoldenId);

    private static string NameKey(string folded, string birthDate, string? sex) => string.Concat(folded, "|", birthDate, "|", sex);
}
