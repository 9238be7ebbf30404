namespace Zhiwang.MasterData.Hub;

/// <summary>
/// A 64-bit hash of a few text parts (a folded name, a birth date, a place), used as the key of an in-memory index
/// instead of the parts joined into a string that the index would hold for the whole import: 8 bytes in the
/// dictionary's entry against some 60-100 bytes of string per key. Deterministic (FNV-1a over the characters, each part
/// closed by its length, then a 64-bit finaliser), so the same keys on every run.
/// </summary>
/// <remarks>
/// A look-up meets another key's entries only when its hash equals one of the n keys held: odds n / 2^64, about one in
/// 200 billion with 100 million keys (a whole city), so over the 50 million mentions of a whole city's import about one
/// chance in 4,000 that a single mention is decided otherwise. Used for the evidence of rules that need one candidate
/// alone or check it again (<see cref="ProbablePersonMatch"/>) and for bookkeeping whose miss costs one candidate;
/// keys (ID numbers, credit codes, house codes) stay exact.
/// </remarks>
internal static class IndexKey
{
    private const ulong Offset = 14695981039346656037ul;
    private const ulong Prime = 1099511628211ul;

    public static ulong Of(string? a) => Finish(Part(Offset, a));

    public static ulong Of(string? a, string? b) => Finish(Part(Part(Offset, a), b));

    public static ulong Of(string? a, string? b, string? c) => Finish(Part(Part(Part(Offset, a), b), c));

    private static ulong Part(ulong hash, string? text)
    {
        // Null and empty are the same part, as they were when keys were joined text.
        foreach (var c in text.AsSpan())
        {
            hash = (hash ^ c) * Prime;
        }

        return (hash ^ (ulong)(uint)(text?.Length ?? 0) ^ 0xFF00_0000_0000_0000ul) * Prime;
    }

    /// <summary>The murmur3 finaliser: every input bit reaches the low bits a dictionary buckets by.</summary>
    private static ulong Finish(ulong hash)
    {
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdul;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53ul;
        hash ^= hash >> 33;
        return hash;
    }
}
