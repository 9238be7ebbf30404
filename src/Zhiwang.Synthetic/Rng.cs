using System.Runtime.CompilerServices;

namespace Zhiwang.Synthetic;

/// <summary>
/// xoshiro256** seeded by SplitMix64 from (seed, stream): each grid, chunk and department gets its own
/// stream, so what one part of the city draws never depends on how many draws another part made.
/// </summary>
internal sealed class Rng
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public Rng(long seed, long stream, long substream = 0)
    {
        var x = (ulong)seed ^ (0x9E3779B97F4A7C15UL * ((ulong)stream + 1)) ^ (0xD1B54A32D192ED03UL * ((ulong)substream + 7));
        _s0 = SplitMix(ref x);
        _s1 = SplitMix(ref x);
        _s2 = SplitMix(ref x);
        _s3 = SplitMix(ref x);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform integer in [0, n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Next(int n) => (int)(((NextUInt64() >> 32) * (ulong)n) >> 32);

    /// <summary>A uniform integer in [min, max] (both inclusive).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Between(int min, int max) => min + Next(max - min + 1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Chance(double p) => NextDouble() < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A stateless mix of two numbers, for attributes that must be computable anywhere (an entity's profile).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Hash(long a, long b)
    {
        var x = (ulong)a * 0x9E3779B97F4A7C15UL ^ ((ulong)b + 0x632BE59BD9B4E019UL);
        return SplitMix(ref x);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

/// <summary>Items with weights, drawn by binary search over the cumulative weights.</summary>
internal sealed class WeightedTable<T>
{
    private readonly T[] _items;
    private readonly double[] _cumulative;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public WeightedTable(IEnumerable<(T Item, double Weight)> entries)
    {
        var list = entries.Where(e => e.Weight > 0).ToList();
        _items = list.Select(e => e.Item).ToArray();
        _cumulative = new double[list.Count];
        var sum = 0.0;
        for (var i = 0; i < list.Count; i++)
        {
            sum += list[i].Weight;
            _cumulative[i] = sum;
        }

        for (var i = 0; i < _cumulative.Length; i++)
        {
            _cumulative[i] /= sum;
        }
    }

    public int Count => _items.Length;

    public IReadOnlyList<T> Items => _items;

    public T Draw(Rng rng) => _items[IndexOf(rng.NextDouble())];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(double u)
    {
        var i = Array.BinarySearch(_cumulative, u);
        i = i < 0 ? ~i : i + 1;
        return Math.Min(i, _items.Length - 1);
    }
}
