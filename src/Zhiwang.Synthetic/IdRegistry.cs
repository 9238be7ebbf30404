using System.Runtime.CompilerServices;

namespace Zhiwang.Synthetic;

/// <summary>
/// Every ID number body (17 digits as a long) handed out so far: an open-addressing hash set of
/// 8 bytes a slot at most half full, so 18 M persons take about 256 MB. It is used by one thread,
/// in chunk order, which keeps collision repairs, and so the output, deterministic.
/// </summary>
internal sealed class IdRegistry
{
    private readonly long[] _slots;
    private readonly int _mask;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public IdRegistry(int capacity)
    {
        var size = 1024;
        while (size < capacity * 2L)
        {
            size <<= 1;
        }

        _slots = new long[size];
        _mask = size - 1;
    }

    /// <summary>Claims the body, or the next free sequence number of the same sex (+2) if it is taken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Claim(long body)
    {
        for (var attempt = 0; attempt < 500; attempt++)
        {
            if (TryAdd(body))
            {
                return body;
            }

            var sequence = body % 1000;
            body = body - sequence + ((sequence + 2) % 1000);
        }

        throw new InvalidOperationException("All 500 sequence numbers of one area, birth date and sex are taken.");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool TryAdd(long body)
    {
        var i = (int)(Mix(body) & (ulong)_mask);
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0)
            {
                _slots[i] = body;
                return true;
            }

            if (slot == body)
            {
                return false;
            }

            i = (i + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Mix(long value)
    {
        var z = (ulong)value * 0x9E3779B97F4A7C15UL;
        return z ^ (z >> 29);
    }
}
