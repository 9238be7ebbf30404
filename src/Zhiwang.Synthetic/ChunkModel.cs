namespace Zhiwang.Synthetic;

/// <summary>A growable array of structs handed out by reference, reused from chunk to chunk.</summary>
internal sealed class RowList<T>
    where T : struct
{
    private T[] _items = new T[256];

    public int Count { get; private set; }

    public ref T this[int index] => ref _items[index];

    public ref T Add()
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count] = default;
        return ref _items[Count++];
    }

    public void Clear() => Count = 0;
}

internal enum Relation : byte
{
    Head,
    Spouse,
    Child,
    Parent,
}

internal enum BuildingKind : byte
{
    Residential,
    UrbanVillage,
    Commercial,
    Industrial,
}

internal enum HouseUse : byte
{
    Vacant,
    OwnerOccupied,
    Rented,
    Commercial,
}

internal enum EntityStatus : byte
{
    Active,
    Revoked,
    Deregistered,
}

internal struct PersonRow
{
    public string Name;
    public bool Male;
    public int BirthDay;
    public int AreaCode;
    public bool Registered;
    public long IdBody;
    public string IdNumber;
    public EntityProfile? EmployerProfile;
    public long Phone;
    public int Household;
    public int HouseholdSequence;
    public Relation Relation;
    public int House;
    public int Grid;
    public int Employer;
    public byte Education;
    public string Ethnicity;
    public int Head;
    public int Mother;
}

internal struct HouseholdRow
{
    public int Head;
    public int Size;
    public int House;
    public int Grid;
}

internal struct BuildingRow
{
    public string Code;
    public int Grid;
    public BuildingKind Kind;
    public int Floors;
    public double Longitude;
    public double Latitude;
    public string Address;
    public int FirstHouse;
    public int HouseCount;
}

internal struct HouseRow
{
    public string Code;
    public int Building;
    public int Grid;
    public int Room;
    public HouseUse Use;
    public bool Residential;
    public int AreaDecimetres;
    public int OwnerPerson;
    public int OwnerEntity;
    public int Households;
}

internal struct EntityRow
{
    public EntityProfile Profile;
    public int Premises;
    public int LegalRepresentative;
    public int RegisteredDay;
    public EntityStatus Status;
}

internal struct ComponentRow
{
    public ComponentCatalogueEntry Subclass;
    public int Grid;
    public int Serial;
    public double Longitude;
    public double Latitude;
    public byte Status;
}

/// <summary>Reference to a component subclass, kept small inside the row.</summary>
internal readonly record struct ComponentCatalogueEntry(int Index);

/// <summary>One chunk's city: grids [FirstGrid, EndGrid) with everything in them, before formatting.</summary>
internal sealed class ChunkModel
{
    public int ChunkIndex { get; set; }

    public int FirstGrid { get; set; }

    public int EndGrid { get; set; }

    public RowList<PersonRow> Persons { get; } = new();

    public RowList<HouseholdRow> Households { get; } = new();

    public RowList<BuildingRow> Buildings { get; } = new();

    public RowList<HouseRow> Houses { get; } = new();

    public RowList<EntityRow> Entities { get; } = new();

    public RowList<ComponentRow> Components { get; } = new();

    public void Clear()
    {
        Persons.Clear();
        Households.Clear();
        Buildings.Clear();
        Houses.Clear();
        Entities.Clear();
        Components.Clear();
    }
}
