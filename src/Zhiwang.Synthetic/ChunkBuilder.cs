using System.Runtime.CompilerServices;
using NetTopologySuite.Geometries;
using Zhiwang.MasterData.Keys;
using Zhiwang.Synthetic.Reference;

namespace Zhiwang.Synthetic;

/// <summary>
/// Builds the buildings, houses, households, persons, legal entities and city components of a chunk's
/// grids. Each grid draws from its own random stream, so a grid's content depends on the seed, the
/// plan and nothing else.
/// </summary>
internal sealed class ChunkBuilder(CityPlan plan)
{
    /// <summary>The date the synthetic city describes; fixed so output never depends on the clock.</summary>
    public static readonly DateOnly AsOf = new(2025, 6, 30);

    private static readonly string[] Education =
        ["none", "preschool", "primary", "junior-secondary", "senior-secondary", "vocational", "college", "bachelor", "master", "doctorate"];

    private static readonly WeightedTable<byte> FloatingAdultEducation =
        new([(2, 8), (3, 35), (4, 22), (5, 10), (6, 13), (7, 10), (8, 2)]);

    private static readonly WeightedTable<byte> RegisteredAdultEducation =
        new([(3, 15), (4, 20), (5, 8), (6, 20), (7, 28), (8, 8), (9, 1)]);

    private static readonly WeightedTable<byte> ElderlyEducation =
        new([(2, 30), (3, 35), (4, 20), (6, 8), (7, 7)]);

    private static readonly int[] MobilePrefixes =
        [130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 176, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199];

    private readonly List<int> _adults = [];
    private readonly List<int> _registeredAdults = [];
    private readonly List<int> _residential = [];
    private readonly List<int> _commercial = [];
    private readonly List<(int Age, bool Male, Relation Relation)> _members = [];

    public static string EducationLabel(byte education) => Education[education];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Build(ChunkModel chunk, int chunkIndex)
    {
        chunk.Clear();
        chunk.ChunkIndex = chunkIndex;
        chunk.FirstGrid = plan.ChunkGridStart[chunkIndex];
        chunk.EndGrid = plan.ChunkGridStart[chunkIndex + 1];
        for (var g = chunk.FirstGrid; g < chunk.EndGrid; g++)
        {
            BuildGrid(chunk, g);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildGrid(ChunkModel chunk, int g)
    {
        var houseCount = plan.HouseStart[g + 1] - plan.HouseStart[g];
        var personCount = plan.PersonStart[g + 1] - plan.PersonStart[g];
        var entityCount = plan.EntityStart[g + 1] - plan.EntityStart[g];
        var componentCount = plan.ComponentStart[g + 1] - plan.ComponentStart[g];
        if (houseCount == 0 && componentCount == 0)
        {
            return;
        }

        var rng = new Rng(plan.Seed, g, 1);
        var sampler = new PointSampler(plan.Grids[g].Boundary);
        var firstHouse = chunk.Houses.Count;
        BuildBuildingsAndHouses(chunk, g, rng, sampler, houseCount);
        var firstPerson = chunk.Persons.Count;
        BuildHouseholds(chunk, g, rng, personCount, firstHouse);
        AssignUsesAndOwners(chunk, g, rng, firstHouse, firstPerson);
        BuildEntities(chunk, g, rng, entityCount);
        BuildComponents(chunk, g, rng, sampler, componentCount);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildBuildingsAndHouses(ChunkModel chunk, int g, Rng rng, PointSampler sampler, int houseCount)
    {
        var buildingCount = plan.BuildingStart[g + 1] - plan.BuildingStart[g];
        if (buildingCount == 0)
        {
            return;
        }

        // A grid has a character (an estate, an urban village, a business or industrial district);
        // most of its buildings share it.
        var character = rng.Next(100) switch
        {
            < 45 => BuildingKind.Residential,
            < 77 => BuildingKind.UrbanVillage,
            < 89 => BuildingKind.Commercial,
            _ => BuildingKind.Industrial,
        };

        // Roads belong to the street, so every grid of a street draws from the same few.
        var streetRng = new Rng(plan.Seed, StableHash(plan.Grids[g].StreetCode), 2);
        var roads = new string[6];
        for (var i = 0; i < roads.Length; i++)
        {
            roads[i] = string.Concat(streetRng.Pick(Places.RoadStems), streetRng.Pick(Places.RoadSuffixes));
        }

        var estate = string.Concat(rng.Pick(Places.EstateStems), rng.Pick(Places.EstateSuffixes));
        var village = rng.Pick(Places.Villages);
        var park = rng.Pick(Places.EstateStems);
        var prefix = string.Concat("深圳市", plan.DistrictNames[g], plan.StreetNames[g]);

        var weights = new double[buildingCount];
        var kinds = new BuildingKind[buildingCount];
        for (var b = 0; b < buildingCount; b++)
        {
            kinds[b] = rng.Chance(0.7) ? character : (BuildingKind)rng.Next(4);
            var kindWeight = kinds[b] switch
            {
                BuildingKind.Residential => 1.3,
                BuildingKind.UrbanVillage => 1.2,
                BuildingKind.Commercial => 0.6,
                _ => 0.4,
            };
            weights[b] = kindWeight * (0.5 + rng.NextDouble());
        }

        // Every building holds at least one house; the rest follow the weights.
        var extra = CityPlan.Allocate(Math.Max(0, houseCount - buildingCount), weights);
        var assigned = 0;
        for (var b = 0; b < buildingCount; b++)
        {
            var serial = plan.BuildingStart[g] + b;
            var kind = kinds[b];
            var count = Math.Min(1 + extra[b], houseCount - assigned);
            var floors = kind switch
            {
                BuildingKind.UrbanVillage => rng.Between(5, 9),
                BuildingKind.Residential => rng.Between(6, 33),
                BuildingKind.Commercial => rng.Between(3, 40),
                _ => rng.Between(2, 6),
            };
            var (x, y) = sampler.Sample(rng);
            var number = rng.Between(1, 399);
            var name = kind switch
            {
                BuildingKind.Residential => string.Concat(estate, (b + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "栋"),
                BuildingKind.UrbanVillage => string.Concat(village, "村", rng.Between(1, 12).ToString(System.Globalization.CultureInfo.InvariantCulture), "坊", (b + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "号"),
                BuildingKind.Commercial => string.Concat(rng.Pick(Places.EstateStems), rng.Pick(Places.CommercialSuffixes)),
                _ => string.Concat(park, rng.Pick(Places.IndustrialSuffixes), (b + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "栋"),
            };
            var code = HouseCode.BuildingCode(plan.Grids[g].DistrictCode, serial);
            ref var building = ref chunk.Buildings.Add();
            building.Code = code;
            building.Grid = g;
            building.Kind = kind;
            building.Floors = floors;
            building.Longitude = x;
            building.Latitude = y;
            building.Address = string.Concat(prefix, roads[rng.Next(roads.Length)], number.ToString(System.Globalization.CultureInfo.InvariantCulture), "号", name);
            building.FirstHouse = chunk.Houses.Count;
            building.HouseCount = count;
            var buildingIndex = chunk.Buildings.Count - 1;
            var perFloor = Math.Max(1, (count + floors - 1) / floors);
            for (var k = 0; k < count; k++)
            {
                ref var house = ref chunk.Houses.Add();
                house.Code = HouseCodeOf(plan.DistrictCodes[g], serial, k + 1);
                house.Building = buildingIndex;
                house.Grid = g;
                house.Room = (((k / perFloor) + 1) * 100) + (k % perFloor) + 1;
                house.OwnerPerson = -1;
                house.OwnerEntity = -1;
                house.AreaDecimetres = kind switch
                {
                    BuildingKind.UrbanVillage => rng.Between(150, 450),
                    BuildingKind.Residential => rng.Between(450, 1400),
                    BuildingKind.Commercial => rng.Between(300, 5000),
                    _ => rng.Between(2000, 30000),
                };
            }

            assigned += count;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildHouseholds(ChunkModel chunk, int g, Rng rng, int personCount, int firstHouse)
    {
        _residential.Clear();
        _commercial.Clear();
        for (var h = firstHouse; h < chunk.Houses.Count; h++)
        {
            ref var house = ref chunk.Houses[h];
            var kind = chunk.Buildings[house.Building].Kind;
            var groundFloorShop = kind == BuildingKind.UrbanVillage && house.Room < 200 && chunk.Buildings[house.Building].HouseCount > 3;
            if ((kind is BuildingKind.Residential or BuildingKind.UrbanVillage) && !groundFloorShop)
            {
                house.Residential = true;
                _residential.Add(h);
            }
            else
            {
                _commercial.Add(h);
            }
        }

        if (_residential.Count == 0)
        {
            // A grid of offices and factories still houses its dormitories somewhere.
            _residential.AddRange(_commercial);
        }

        Shuffle(_residential, rng);
        var nextHouse = 0;
        var districtCode = plan.DistrictCodes[g];
        var remaining = personCount;
        var householdSequence = 0;
        while (remaining > 0)
        {
            var registered = rng.Chance(0.165);
            DrawMembers(rng, registered);
            var size = Math.Min(_members.Count, remaining);
            remaining -= size;
            var house = nextHouse < _residential.Count ? _residential[nextHouse++] : _residential[rng.Next(_residential.Count)];
            chunk.Houses[house].Households++;
            var headArea = registered
                ? (Origins.IsShenzhenDistrict(districtCode) && rng.Chance(0.7) ? districtCode : Origins.Shenzhen.Draw(rng))
                : Origins.Migrant.Draw(rng);
            ref var household = ref chunk.Households.Add();
            household.Head = chunk.Persons.Count;
            household.Size = size;
            household.House = house;
            household.Grid = g;
            var householdIndex = chunk.Households.Count - 1;
            householdSequence++;
            var head = chunk.Persons.Count;
            string? fatherSurname = null;
            var mother = -1;
            for (var m = 0; m < size; m++)
            {
                var (age, male, relation) = _members[m];
                var birthDay = AsOf.DayNumber - (age * 365) - rng.Next(365) - (age / 4);
                var birthYear = DateOnly.FromDayNumber(birthDay).Year;
                string name;
                if (relation == Relation.Child && fatherSurname is not null)
                {
                    name = PersonNames.DrawWithSurname(rng, male, birthYear, fatherSurname);
                }
                else
                {
                    name = PersonNames.Draw(rng, male, birthYear, out var surname);
                    if (male && relation is Relation.Head or Relation.Spouse)
                    {
                        fatherSurname = surname;
                    }
                }

                var area = relation switch
                {
                    Relation.Spouse when !rng.Chance(0.6) => registered && rng.Chance(0.5) ? Origins.Shenzhen.Draw(rng) : Origins.Migrant.Draw(rng),
                    _ => headArea,
                };
                if (!male && relation is Relation.Head or Relation.Spouse)
                {
                    mother = chunk.Persons.Count;
                }

                ref var person = ref chunk.Persons.Add();
                person.Name = name;
                person.Male = male;
                person.BirthDay = birthDay;
                person.AreaCode = area;
                person.Registered = area / 100 == 4403;
                person.IdBody = IdBody(area, birthDay, (rng.Next(500) * 2) + (male ? 1 : 0));
                person.Phone = age >= 12 ? (MobilePrefixes[rng.Next(MobilePrefixes.Length)] * 100_000_000L) + rng.Next(100_000_000) : 0;
                person.Household = householdIndex;
                person.HouseholdSequence = householdSequence;
                person.Relation = relation;
                person.House = house;
                person.Grid = g;
                person.Head = head;
                person.Mother = relation == Relation.Child ? mother : -1;
                person.Ethnicity = Ethnicities.Table.Draw(rng);
                var working = age >= 18 && age < (male ? 60 : 55) && rng.Chance(person.Registered ? 0.70 : 0.82);
                person.Employer = working && plan.EntityCount > 0 ? plan.EmployerOf(rng.NextDouble()) : -1;
                person.Education = age switch
                {
                    < 3 => 0,
                    < 6 => 1,
                    < 12 => 2,
                    < 15 => 3,
                    < 18 => 4,
                    >= 60 => ElderlyEducation.Draw(rng),
                    _ => person.Registered ? RegisteredAdultEducation.Draw(rng) : FloatingAdultEducation.Draw(rng),
                };
            }
        }
    }

    /// <summary>Draws a household's members: ages and sexes consistent within the family.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DrawMembers(Rng rng, bool registered)
    {
        _members.Clear();
        var u = rng.NextDouble();
        // Household types: floating households are mostly young singles and couples, registered ones families.
        var type = registered
            ? u switch { < 0.15 => 0, < 0.32 => 1, < 0.75 => 2, < 0.95 => 3, _ => 4 }
            : u switch { < 0.45 => 0, < 0.60 => 1, < 0.90 => 2, < 0.95 => 3, _ => 4 };
        int headAge;
        bool headMale;
        switch (type)
        {
            case 0:
                headMale = rng.Chance(0.58);
                headAge = registered && rng.Chance(0.3) ? Triangular(rng, 60, 68, 92) : Triangular(rng, 18, 26, 50);
                _members.Add((headAge, headMale, Relation.Head));
                return;
            case 1:
                headMale = rng.Chance(0.8);
                headAge = registered && rng.Chance(0.3) ? Triangular(rng, 55, 66, 90) : Triangular(rng, 21, 30, 58);
                _members.Add((headAge, headMale, Relation.Head));
                _members.Add((SpouseAge(rng, headAge, headMale), !headMale, Relation.Spouse));
                return;
            case 4:
                headMale = rng.Chance(0.3);
                headAge = Triangular(rng, 26, 38, 55);
                _members.Add((headAge, headMale, Relation.Head));
                AddChildren(rng, headAge, 1);
                return;
        }

        headMale = rng.Chance(0.8);
        headAge = type == 3 ? Triangular(rng, 28, 38, 55) : Triangular(rng, 24, 36, 58);
        _members.Add((headAge, headMale, Relation.Head));
        var spouseAge = SpouseAge(rng, headAge, headMale);
        _members.Add((spouseAge, !headMale, Relation.Spouse));
        var children = rng.NextDouble() switch { < 0.62 => 1, < 0.97 => 2, _ => 3 };
        AddChildren(rng, Math.Min(headAge, spouseAge), children);
        if (type == 3)
        {
            // The head's parents, 20-40 years older than the head.
            var fatherAge = headAge + Triangular(rng, 22, 29, 38);
            var motherAge = Math.Max(headAge + 20, fatherAge - rng.Between(0, 4));
            if (fatherAge <= 95 && rng.Chance(0.6))
            {
                _members.Add((fatherAge, true, Relation.Parent));
            }

            if (motherAge <= 97)
            {
                _members.Add((motherAge, false, Relation.Parent));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddChildren(Rng rng, int youngerParentAge, int count)
    {
        for (var c = 0; c < count; c++)
        {
            var gap = Triangular(rng, 20, 28, 40);
            var age = youngerParentAge - gap;
            if (age < 0)
            {
                age = youngerParentAge - 20 >= 0 ? rng.Next(youngerParentAge - 19) : -1;
            }

            if (age >= 0)
            {
                _members.Add((age, rng.Chance(0.53), Relation.Child));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SpouseAge(Rng rng, int headAge, bool headMale) =>
        Math.Max(20, headMale ? headAge - rng.Between(-2, 6) : headAge + rng.Between(-2, 6));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AssignUsesAndOwners(ChunkModel chunk, int g, Rng rng, int firstHouse, int firstPerson)
    {
        _adults.Clear();
        _registeredAdults.Clear();
        var adultDay = AsOf.DayNumber - (18 * 365);
        for (var p = firstPerson; p < chunk.Persons.Count; p++)
        {
            if (chunk.Persons[p].BirthDay <= adultDay)
            {
                _adults.Add(p);
                if (chunk.Persons[p].Registered)
                {
                    _registeredAdults.Add(p);
                }
            }
        }

        var firstHeadOf = new Dictionary<int, int>();
        for (var hh = chunk.Households.Count - 1; hh >= 0 && chunk.Households[hh].Grid == g; hh--)
        {
            firstHeadOf[chunk.Households[hh].House] = chunk.Households[hh].Head;
        }

        var entityFirst = plan.EntityStart[g];
        var entityCount = plan.EntityStart[g + 1] - entityFirst;
        for (var h = firstHouse; h < chunk.Houses.Count; h++)
        {
            ref var house = ref chunk.Houses[h];
            var kind = chunk.Buildings[house.Building].Kind;
            var residential = house.Residential;
            if (firstHeadOf.TryGetValue(h, out var head))
            {
                var registered = chunk.Persons[head].Registered;
                var ownProbability = kind == BuildingKind.UrbanVillage ? (registered ? 0.3 : 0.02) : (registered ? 0.7 : 0.12);
                house.Use = residential && house.Households == 1 && rng.Chance(ownProbability) ? HouseUse.OwnerOccupied : HouseUse.Rented;
                if (house.Use == HouseUse.OwnerOccupied)
                {
                    house.OwnerPerson = head;
                    continue;
                }
            }
            else
            {
                house.Use = residential ? HouseUse.Vacant : HouseUse.Commercial;
            }

            // Landlords: villagers own urban-village buildings; estates are owned by persons, some by firms.
            var entityOwns = house.Use == HouseUse.Commercial ? rng.Chance(0.65) : kind != BuildingKind.UrbanVillage && rng.Chance(0.2);
            var landlord = entityOwns ? -1 : LandlordOf(chunk, h, kind, rng);
            if (landlord < 0)
            {
                house.OwnerEntity = entityCount > 0 ? entityFirst + rng.Next(entityCount) : plan.EmployerOf(rng.NextDouble());
            }
            else
            {
                house.OwnerPerson = landlord;
            }
        }
    }

    /// <summary>
    /// A person of the grid who owns house <paramref name="h"/> and does not live in it (a landlord is never their own
    /// tenant), or -1 when the grid has no such adult (small test cities have grids of one household): a firm owns it then.
    /// </summary>
    private int LandlordOf(ChunkModel chunk, int h, BuildingKind kind, Rng rng)
    {
        var pool = kind == BuildingKind.UrbanVillage && _registeredAdults.Count > 0 ? _registeredAdults : _adults;
        for (var attempt = 0; attempt < 4 && pool.Count > 0; attempt++)
        {
            var candidate = pool[rng.Next(pool.Count)];
            if (chunk.Persons[candidate].House != h)
            {
                return candidate;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildEntities(ChunkModel chunk, int g, Rng rng, int entityCount)
    {
        for (var i = 0; i < entityCount; i++)
        {
            var profile = plan.Profile(plan.EntityStart[g] + i);
            ref var entity = ref chunk.Entities.Add();
            entity.Profile = profile;
            entity.Premises = _commercial.Count > 0 ? _commercial[rng.Next(_commercial.Count)] : _residential[rng.Next(_residential.Count)];
            entity.LegalRepresentative = _adults.Count > 0 ? _adults[rng.Next(_adults.Count)] : -1;
            (entity.RegisteredDay, entity.Status) = plan.LifeOf(profile.Index);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildComponents(ChunkModel chunk, int g, Rng rng, PointSampler sampler, int componentCount)
    {
        for (var i = 0; i < componentCount; i++)
        {
            ref var component = ref chunk.Components.Add();
            component.Subclass = new ComponentCatalogueEntry(ComponentCatalogue.Subclasses.IndexOf(rng.NextDouble()));
            component.Grid = g;
            component.Serial = plan.ComponentStart[g] + i;
            (component.Longitude, component.Latitude) = sampler.Sample(rng);
            component.Status = rng.Next(100) switch { < 92 => 0, < 98 => 1, _ => 2 };
        }
    }

    /// <summary>House code without intermediate strings: the hot path of <see cref="HouseCode.Build"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string HouseCodeOf(int district, int serial, int unit)
    {
        var body = (((district * 10_000_000L) + serial) * 10_000L) + unit;
        return string.Create(HouseCode.Length, body, static (span, b) =>
        {
            span[17] = IdNumber.CheckCharacter(b);
            for (var i = 16; i >= 0; i--)
            {
                span[i] = (char)('0' + (b % 10));
                b /= 10;
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long StableHash(string text)
    {
        // FNV-1a: string.GetHashCode differs between processes, and output must not.
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return (long)(hash >> 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static long IdBody(int area, int birthDay, int sequence)
    {
        var date = DateOnly.FromDayNumber(birthDay);
        return (area * 100_000_000_000L) + ((((date.Year * 100L) + date.Month) * 100 + date.Day) * 1000) + sequence;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Triangular(Rng rng, int min, int mode, int max)
    {
        var u = rng.NextDouble();
        var c = (double)(mode - min) / (max - min);
        var x = u < c
            ? min + Math.Sqrt(u * (max - min) * (mode - min))
            : max - Math.Sqrt((1 - u) * (max - min) * (max - mode));
        return (int)x;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Shuffle(List<int> items, Rng rng)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}

/// <summary>Uniform points inside a grid's polygon, rounded to the 6 decimals the files carry and tested after rounding.</summary>
/// <summary>
/// Random points inside one grid, in coordinates rounded to 6 decimals as every file writes them. A point
/// must lie inside the grid's exact boundary (what <c>GridLocator</c> answers) and inside the boundary as
/// published in grids.geojson, whose corners are rounded to 6 decimals too: near an edge the two can
/// disagree by a few centimetres, and a point there would sit in its grid by one account and not the other.
/// </summary>
internal sealed class PointSampler
{
    /// <summary>The decimals of every published coordinate (about 0.1 m).</summary>
    private const int Decimals = 6;

    private readonly double[] _xs;
    private readonly double[] _ys;
    private readonly double[] _publishedXs;
    private readonly double[] _publishedYs;
    private readonly int[] _ringEnds;
    private readonly Envelope _envelope;
    private readonly Polygon _polygon;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public PointSampler(Polygon polygon)
    {
        var rings = new List<LineString> { polygon.ExteriorRing };
        for (var i = 0; i < polygon.NumInteriorRings; i++)
        {
            rings.Add(polygon.GetInteriorRingN(i));
        }

        var count = rings.Sum(r => r.NumPoints);
        _xs = new double[count];
        _ys = new double[count];
        _ringEnds = new int[rings.Count];
        var v = 0;
        for (var r = 0; r < rings.Count; r++)
        {
            var sequence = rings[r].CoordinateSequence;
            for (var i = 0; i < sequence.Count; i++)
            {
                _xs[v] = sequence.GetX(i);
                _ys[v] = sequence.GetY(i);
                v++;
            }

            _ringEnds[r] = v;
        }

        _publishedXs = Array.ConvertAll(_xs, x => Math.Round(x, Decimals));
        _publishedYs = Array.ConvertAll(_ys, y => Math.Round(y, Decimals));
        _envelope = polygon.EnvelopeInternal;
        _polygon = polygon;
    }

    public (double X, double Y) Sample(Rng rng)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var x = Math.Round(_envelope.MinX + (rng.NextDouble() * _envelope.Width), Decimals);
            var y = Math.Round(_envelope.MinY + (rng.NextDouble() * _envelope.Height), Decimals);
            if (Contains(_xs, _ys, x, y) && Contains(_publishedXs, _publishedYs, x, y))
            {
                return (x, y);
            }
        }

        // Only slivers get here; the interior point is costly, so it is computed only then.
        var fallback = _polygon.InteriorPoint;
        return (Math.Round(fallback.X, Decimals), Math.Round(fallback.Y, Decimals));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Contains(double[] xs, double[] ys, double x, double y)
    {
        var inside = false;
        var start = 0;
        foreach (var end in _ringEnds)
        {
            for (var i = start + 1; i < end; i++)
            {
                var y1 = ys[i - 1];
                var y2 = ys[i];
                if ((y1 > y) != (y2 > y))
                {
                    var xCross = xs[i - 1] + ((y - y1) * (xs[i] - xs[i - 1]) / (y2 - y1));
                    if (x < xCross)
                    {
                        inside = !inside;
                    }
                }
            }

            start = end;
        }

        return inside;
    }
}
