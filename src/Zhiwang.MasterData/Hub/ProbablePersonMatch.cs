using System.Runtime.InteropServices;
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
    // Held for a whole import (or a warm hub's life), a few entries per golden person: keys are 64-bit hashes of their
    // parts (IndexKey) rather than the parts joined into a string, and a key's golden ids are held as GoldenIds.
    private readonly Dictionary<ulong, PlaceMentions> _byPlace = [];
    private readonly Dictionary<ulong, object> _byName = [];
    private readonly Dictionary<ulong, object> _byContext = [];

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
            var exact = Distinct(near.All().Where(c => c.Name == folded).Select(c => c.GoldenId), allowed);
            if (exact.Count == 1)
            {
                return (exact[0], 1.0);
            }

            var close = Distinct(near.All().Where(c => OneCharacterApart(c.Name, folded)).Select(c => c.GoldenId), allowed);
            if (exact.Count == 0 && close.Count == 1)
            {
                return (close[0], 0.85);
            }
        }

        if (context is { Count: > 0 })
        {
            var shared = Distinct(context.SelectMany(c => GoldenIds.Of(_byContext.GetValueOrDefault(ContextKey(folded, c)))), allowed);
            if (shared.Count == 1)
            {
                return (shared[0], 0.9);
            }
        }

        if (hasBirth && _byName.TryGetValue(NameKey(folded, birthDate!, sex), out var anywhere))
        {
            var candidates = Distinct(GoldenIds.Of(anywhere), allowed);
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

        GoldenIds.Add(_byContext, ContextKey(folded, contextGoldenId), goldenId);
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
            ref var near = ref CollectionsMarshal.GetValueRefOrAddDefault(_byPlace, PlaceKey(birthDate, sex, place), out _);
            near.Add((goldenId, folded));
        }

        GoldenIds.Add(_byName, NameKey(folded, birthDate, sex), goldenId);
    }

    /// <summary>Folded (full-width to ASCII, traditional to simplified: 陳 is 陈), spaces and middle dots dropped.</summary>
    public static string FoldName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "";
        }

        var normalized = ChineseText.Fold(name);
        if (!normalized.Any(Dropped))
        {
            // Nothing to drop: the name itself, not a copy (the indexes and sketches hold folded names for good).
            return normalized;
        }

        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (!Dropped(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();

        static bool Dropped(char c) => char.IsWhiteSpace(c) || c == '·' || c == '•';
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

    private static ulong PlaceKey(string birthDate, string? sex, string place) => IndexKey.Of(birthDate, sex, place);

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

    private static ulong ContextKey(string folded, string contextGoldenId) => IndexKey.Of(folded, contextGoldenId);

    private static ulong NameKey(string folded, string birthDate, string? sex) => IndexKey.Of(folded, birthDate, sex);

    /// <summary>
    /// The (golden id, folded name) pairs met at one birth date, sex and place, in the order first met. Nearly always
    /// one (one person per birth date in a house), held in the dictionary's own entry; a list only from the second.
    /// </summary>
    private struct PlaceMentions
    {
        private (string GoldenId, string Name) _first;
        private List<(string GoldenId, string Name)>? _more;

        public void Add((string GoldenId, string Name) mention)
        {
            if (_first.GoldenId is null)
            {
                _first = mention;
            }
            else if (_first != mention && _more?.Contains(mention) != true)
            {
                (_more ??= []).Add(mention);
            }
        }

        public readonly IEnumerable<(string GoldenId, string Name)> All() => _more is null ? [_first] : [_first, .. _more];
    }
}
