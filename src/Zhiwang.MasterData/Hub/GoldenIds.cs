using System.Runtime.InteropServices;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// The golden ids of one key of an index, held as the dictionary's value: the id itself while there is one, a
/// <see cref="List{T}"/> of distinct ids (in the order first added) from the second. Nearly every key has one id: a heap
/// census of a 330,000-person import found 1.8 million such sets, almost all of one id, each a HashSet of some
/// 150 bytes; here a single id costs nothing beyond the entry.
/// </summary>
internal static class GoldenIds
{
    public static void Add<TKey>(Dictionary<TKey, object> index, TKey key, string goldenId)
        where TKey : notnull
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(index, key, out var exists);
        if (!exists)
        {
            slot = goldenId;
        }
        else if (slot is string one)
        {
            if (!string.Equals(one, goldenId, StringComparison.Ordinal))
            {
                slot = new List<string>(2) { one, goldenId };
            }
        }
        else if (slot is List<string> many && !many.Contains(goldenId, StringComparer.Ordinal))
        {
            many.Add(goldenId);
        }
    }

    /// <summary>The ids of a value found in the index (none for null).</summary>
    public static IEnumerable<string> Of(object? value) => value switch
    {
        null => [],
        string one => [one],
        _ => (List<string>)value,
    };
}
