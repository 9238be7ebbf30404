using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Zhiwang.Geo;
using Zhiwang.MasterData.Keys;
using Zhiwang.Synthetic.Reference;

namespace Zhiwang.Synthetic;

/// <summary>
/// Everything decided before any grid is generated: how many persons, houses, buildings, legal entities
/// and city components each grid gets, where the city-wide serials of each grid start, and how grids
/// are grouped into chunks. Anything one chunk needs from another (an employer's credit code and name)
/// is a pure function of this plan, so chunks never wait for each other.
/// </summary>
internal sealed class CityPlan
{
    // Per-grid shares at full scale (18 M persons): 0.9 houses and 0.1 legal entities per person,
    // about 14 houses per building, and a city component for every three or so persons.
    public const double HousesPerPerson = 0.9;
    public const double EntitiesPerPerson = 0.1;
    public const double HousesPerBuilding = 14.0;
    public const double ComponentsPerPerson = 0.3;

    /// <summary>Persons per chunk: big enough to keep both cores busy, small enough to keep memory flat.</summary>
    public const int ChunkPersons = 8192;

    // A bijection on [0, 10^8): a multiplier coprime with 10^8 spreads consecutive entities over the
    // organisation-code space, so codes look random yet are unique by construction.
    private const long OrganisationSpace = 100_000_000;
    private const long OrganisationMultiplier = 37_139_213;

    public CityPlan(long seed, int persons, IReadOnlyList<Grid> grids, IReadOnlyList<Division> divisions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(persons);
        if (grids.Count == 0)
        {
            throw new ArgumentException("The city needs at least one grid.", nameof(grids));
        }

        Seed = seed;
        Grids = grids.OrderBy(g => g.Code, StringComparer.Ordinal).ToArray();
        var names = divisions.ToDictionary(d => d.Code, d => d.Name, StringComparer.Ordinal);
        DistrictNames = Grids.Select(g => names.GetValueOrDefault(g.DistrictCode, g.DistrictCode)).ToArray();
        StreetNames = Grids.Select(g => names.GetValueOrDefault(g.StreetCode, g.StreetCode)).ToArray();
        CommunityNames = Grids.Select(g => names.GetValueOrDefault(g.CommunityCode, g.CommunityCode)).ToArray();
        DistrictCodes = Grids.Select(g => int.Parse(g.DistrictCode, CultureInfo.InvariantCulture)).ToArray();

        var shares = Grids.Select(g => Math.Max(g.HouseShare, 0)).ToArray();
        if (shares.Sum() <= 0)
        {
            Array.Fill(shares, 1.0);
        }

        var personCounts = Allocate(persons, shares);
        var houseCounts = Allocate((int)Math.Round(persons * HousesPerPerson), shares);
        var entityCounts = Allocate(Math.Max(1, (int)Math.Round(persons * EntitiesPerPerson)), personCounts.Select(p => (double)p).ToArray());
        var componentCounts = Allocate((int)Math.Round(persons * ComponentsPerPerson), shares);
        var buildingCounts = new int[Grids.Length];
        for (var g = 0; g < Grids.Length; g++)
        {
            // Everyone lives in a house, and every entity has premises.
            if (houseCounts[g] == 0 && (personCounts[g] > 0 || entityCounts[g] > 0))
            {
                houseCounts[g] = 1;
            }

            buildingCounts[g] = houseCounts[g] == 0 ? 0 : Math.Max(1, (int)Math.Round(houseCounts[g] / HousesPerBuilding));
        }

        PersonStart = Prefix(personCounts);
        HouseStart = Prefix(houseCounts);
        BuildingStart = Prefix(buildingCounts);
        EntityStart = Prefix(entityCounts);
        ComponentStart = Prefix(componentCounts);
        if (BuildingStart[^1] > 9_999_999)
        {
            throw new InvalidOperationException("More than 9,999,999 buildings do not fit the 7-digit building serial.");
        }

        var chunkStarts = new List<int> { 0 };
        var inChunk = 0;
        for (var g = 0; g < Grids.Length; g++)
        {
            inChunk += personCounts[g];
            if (inChunk >= ChunkPersons && g + 1 < Grids.Length)
            {
                chunkStarts.Add(g + 1);
                inChunk = 0;
            }
        }

        chunkStarts.Add(Grids.Length);
        ChunkGridStart = chunkStarts.ToArray();
        OrganisationOffset = (long)(Rng.Hash(seed, 0x0C0DE) % OrganisationSpace);
        EmployerMultiplier = CoprimeNear(EntityCount, 0.6180339887 * EntityCount);
        EmployerOffset = (long)(Rng.Hash(seed, 0xE4B) % (ulong)EntityCount);
        _profiles = new EntityProfile?[Math.Min(MaxProfileSlots, (int)BitOperations.RoundUpToPowerOf2((uint)EntityCount))];
    }

    /// <summary>Slots of the shared profile cache: a power of two, at most 2^18 (~100 MB of profiles).</summary>
    private const int MaxProfileSlots = 1 << 18;

    private readonly EntityProfile?[] _profiles;

    public long Seed { get; }

    public Grid[] Grids { get; }

    public string[] DistrictNames { get; }

    public string[] StreetNames { get; }

    public string[] CommunityNames { get; }

    public int[] DistrictCodes { get; }

    public int[] PersonStart { get; }

    public int[] HouseStart { get; }

    public int[] BuildingStart { get; }

    public int[] EntityStart { get; }

    public int[] ComponentStart { get; }

    /// <summary>First grid of each chunk, with the grid count appended.</summary>
    public int[] ChunkGridStart { get; }

    public int ChunkCount => ChunkGridStart.Length - 1;

    public int PersonCount => PersonStart[^1];

    public int EntityCount => EntityStart[^1];

    public int HouseCount => HouseStart[^1];

    public int BuildingCount => BuildingStart[^1];

    public int ComponentCount => ComponentStart[^1];

    private long OrganisationOffset { get; }

    private long EmployerMultiplier { get; }

    private long EmployerOffset { get; }

    /// <summary>
    /// An employer for a worker from a uniform draw: squaring the draw gives a few large employers and
    /// many small ones, and a permutation scatters the large ones over the city.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int EmployerOf(double u)
    {
        var rank = Math.Min(EntityCount - 1, (long)(u * u * EntityCount));
        // Only an active entity employs; the next ranks are tried (a few at most: 86% are active).
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var entity = (int)(((((rank + attempt) % EntityCount) * EmployerMultiplier) + EmployerOffset) % EntityCount);
            if (LifeOf(entity).Status == EntityStatus.Active)
            {
                return entity;
            }
        }

        return (int)(((rank * EmployerMultiplier) + EmployerOffset) % EntityCount);
    }

    /// <summary>
    /// When an entity was registered and whether it is still active: a function of the seed and its
    /// index, so an employer's status is known wherever the worker is generated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (int RegisteredDay, EntityStatus Status) LifeOf(int entity)
    {
        var hash = Rng.Hash(Seed, entity + 0x5EED_0000_0000L);
        // Triangular over the last 30 years with its mode 3 years ago, from the hash's top 32 bits.
        const double min = 0, mode = 3 * 365, max = 30 * 365;
        var u = (hash >> 32) / 4294967296.0;
        var c = (mode - min) / (max - min);
        var ageDays = (int)(u < c
            ? min + Math.Sqrt(u * (max - min) * (mode - min))
            : max - Math.Sqrt((1 - u) * (max - min) * (max - mode)));
        var v = (hash & 0xFFFF_FFFF) / 4294967296.0;
        var status = ageDays > 3 * 365 && v < 0.14
            ? (v < 0.042 ? EntityStatus.Revoked : EntityStatus.Deregistered)
            : EntityStatus.Active;
        return (ChunkBuilder.AsOf.DayNumber - ageDays, status);
    }

    private static long CoprimeNear(long n, double target)
    {
        for (var m = Math.Max(1, (long)target); ; m++)
        {
            var (a, b) = (m, n);
            while (b != 0)
            {
                (a, b) = (b, a % b);
            }

            if (a == 1)
            {
                return m;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int GridOfEntity(int entity)
    {
        var i = Array.BinarySearch(EntityStart, entity);
        if (i < 0)
        {
            return ~i - 1;
        }

        // Grids with no entities share a start; the entity belongs to the last grid starting there.
        while (i + 1 < EntityStart.Length - 1 && EntityStart[i + 1] == entity)
        {
            i++;
        }

        return i;
    }

    /// <summary>
    /// <see cref="ProfileOf"/> through a cache shared by all workers. Direct-mapped and bounded, so memory
    /// stays flat at any city size; a profile is a pure function of the seed and the entity, so a race
    /// that builds one twice or a slot that is overwritten changes no output. Per-workspace caches
    /// built each profile again in every workspace: about 30% of the bytes formatting allocated.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public EntityProfile Profile(int entity)
    {
        ref var slot = ref _profiles[entity & (_profiles.Length - 1)];
        var profile = Volatile.Read(ref slot);
        if (profile is null || profile.Index != entity)
        {
            profile = ProfileOf(entity);
            Volatile.Write(ref slot, profile);
        }

        return profile;
    }

    /// <summary>The name, kind and industry of a legal entity: a function of the seed and its index alone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public EntityProfile ProfileOf(int entity)
    {
        var rng = new Rng(Seed, entity, 0xE7);
        var kind = Economy.Kinds.Draw(rng);
        var industry = Economy.Industries.Draw(rng);
        var grid = GridOfEntity(entity);
        var trade = string.Concat(rng.Pick(Economy.TradeWords), rng.Pick(Economy.TradeWords));
        var word = rng.Pick(industry.Words);
        string name;
        string shortName;
        switch (kind.Type)
        {
            case '2' when kind.Authority == '9':
                // 个体工商户: the district and the owner's shop name, not a company form.
                name = string.Concat(DistrictNames[grid], trade, word, "店");
                shortName = string.Concat(trade, word);
                break;
            case '1' when kind.Authority == '9':
                name = string.Concat("深圳市", trade, word, "有限公司");
                shortName = string.Concat(trade, word);
                break;
            default:
                name = string.Concat("深圳市", DistrictNames[grid], trade, word, kind.Suffix);
                shortName = string.Concat(trade, kind.Suffix);
                break;
        }

        var organisation = ((OrganisationMultiplier * entity) + OrganisationOffset) % OrganisationSpace;
        var code = CreditCode.Build(kind.Authority, kind.Type, Grids[grid].DistrictCode,
            organisation.ToString("00000000", CultureInfo.InvariantCulture));
        return new EntityProfile(entity, code, name, shortName, kind, industry, grid);
    }

    /// <summary>Splits total over the weights by largest remainder, so the parts add up exactly.</summary>
    public static int[] Allocate(int total, double[] weights)
    {
        var sum = weights.Sum();
        var counts = new int[weights.Length];
        if (total <= 0 || sum <= 0)
        {
            return counts;
        }

        var remainders = new (double Remainder, int Index)[weights.Length];
        var assigned = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var exact = total * weights[i] / sum;
            counts[i] = (int)Math.Floor(exact);
            assigned += counts[i];
            remainders[i] = (exact - counts[i], i);
        }

        Array.Sort(remainders, (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (var k = 0; k < total - assigned; k++)
        {
            counts[remainders[k % remainders.Length].Index]++;
        }

        return counts;
    }

    private static int[] Prefix(int[] counts)
    {
        var start = new int[counts.Length + 1];
        for (var i = 0; i < counts.Length; i++)
        {
            start[i + 1] = start[i] + counts[i];
        }

        return start;
    }
}

/// <summary>What anyone can know about a legal entity from its index: its key, names, kind and industry.</summary>
internal sealed record EntityProfile(
    int Index,
    string CreditCode,
    string Name,
    string ShortName,
    Economy.EntityKind Kind,
    Economy.Industry Industry,
    int Grid);
