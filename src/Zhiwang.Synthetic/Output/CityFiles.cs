using System.Runtime.CompilerServices;
using Zhiwang.Synthetic.Reference;

namespace Zhiwang.Synthetic.Output;

/// <summary>The five city files the server bulk-loads, and how a chunk's rows are written into them.</summary>
internal static class CityFiles
{
    public static readonly OutputFile Persons = new("persons.csv", FileFormat.Csv,
        ["id_number", "name", "sex", "birth_date", "ethnicity", "hukou", "registered_area_code", "phone", "household_id",
         "relation_to_head", "house_code", "grid_code", "employer_credit_code", "education"]);

    public static readonly OutputFile LegalEntities = new("legal_entities.csv", FileFormat.Csv,
        ["credit_code", "name", "short_name", "legal_representative_id_number", "industry", "registered_date", "house_code",
         "grid_code", "status"]);

    public static readonly OutputFile Buildings = new("buildings.csv", FileFormat.Csv,
        ["building_code", "address", "grid_code", "longitude", "latitude", "floors", "kind"]);

    public static readonly OutputFile Houses = new("houses.csv", FileFormat.Csv,
        ["house_code", "building_code", "grid_code", "address", "use", "area_m2", "owner_id_number", "owner_credit_code"]);

    public static readonly OutputFile Components = new("city_components.csv", FileFormat.Csv,
        ["component_code", "class", "subclass", "grid_code", "longitude", "latitude", "owning_department", "status"]);

    public static readonly IReadOnlyList<OutputFile> All = [Persons, LegalEntities, Buildings, Houses, Components];

    private static readonly string[] Relations = ["head", "spouse", "child", "parent"];
    private static readonly string[] Kinds = ["residential", "urban-village", "commercial", "industrial"];
    private static readonly string[] Uses = ["vacant", "owner-occupied", "rented", "commercial"];
    private static readonly string[] Statuses = ["active", "revoked", "deregistered"];
    private static readonly string[] ComponentStatuses = ["in-use", "damaged", "missing"];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WritePersons(CityPlan plan, ChunkModel chunk, TextSink sink)
    {
        for (var p = 0; p < chunk.Persons.Count; p++)
        {
            ref var person = ref chunk.Persons[p];
            var gridCode = plan.Grids[person.Grid].Code;
            sink.Field(person.IdNumber)
                .Field(person.Name)
                .Field(person.Male ? "male" : "female")
                .Field(DateOnly.FromDayNumber(person.BirthDay), DateStyle.Iso)
                .Field(person.Ethnicity)
                .Field(person.Registered ? "registered" : "floating")
                .Field(person.AreaCode);
            if (person.Phone != 0)
            {
                sink.Field(person.Phone);
            }
            else
            {
                sink.Empty();
            }

            sink.Field(gridCode);
            sink.Number(person.HouseholdSequence, 4);
            sink.Field(Relations[(int)person.Relation])
                .Field(chunk.Houses[person.House].Code)
                .Field(gridCode)
                .Field(person.EmployerProfile?.CreditCode)
                .Field(ChunkBuilder.EducationLabel(person.Education));
            sink.EndLine();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteLegalEntities(CityPlan plan, ChunkModel chunk, TextSink sink)
    {
        for (var e = 0; e < chunk.Entities.Count; e++)
        {
            ref var entity = ref chunk.Entities[e];
            var profile = entity.Profile;
            sink.Field(profile.CreditCode)
                .Field(profile.Name)
                .Field(profile.ShortName)
                .Field(chunk.Persons[entity.LegalRepresentative].IdNumber)
                .Empty();
            sink.Raw(profile.Industry.Section);
            sink.Raw(' ');
            sink.Raw(profile.Industry.Name);
            sink.Field(DateOnly.FromDayNumber(entity.RegisteredDay), DateStyle.Iso)
                .Field(chunk.Houses[entity.Premises].Code)
                .Field(plan.Grids[profile.Grid].Code)
                .Field(Statuses[(int)entity.Status]);
            sink.EndLine();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteBuildings(CityPlan plan, ChunkModel chunk, TextSink sink)
    {
        for (var b = 0; b < chunk.Buildings.Count; b++)
        {
            ref var building = ref chunk.Buildings[b];
            sink.Field(building.Code)
                .Field(building.Address)
                .Field(plan.Grids[building.Grid].Code)
                .Field(building.Longitude, decimals: 6)
                .Field(building.Latitude, decimals: 6)
                .Field(building.Floors)
                .Field(Kinds[(int)building.Kind]);
            sink.EndLine();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteHouses(CityPlan plan, ChunkModel chunk, TextSink sink)
    {
        for (var h = 0; h < chunk.Houses.Count; h++)
        {
            ref var house = ref chunk.Houses[h];
            ref var building = ref chunk.Buildings[house.Building];
            sink.Field(house.Code)
                .Field(building.Code)
                .Field(plan.Grids[house.Grid].Code)
                .Field(building.Address);
            sink.Number(house.Room);
            sink.Raw('室');
            sink.Field(Uses[(int)house.Use])
                .Field(house.AreaDecimetres / 10.0, decimals: 1)
                .Field(house.OwnerPerson >= 0 ? chunk.Persons[house.OwnerPerson].IdNumber : null)
                .Field(house.OwnerEntity >= 0 ? plan.Profile(house.OwnerEntity).CreditCode : null);
            sink.EndLine();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WriteComponents(CityPlan plan, ChunkModel chunk, TextSink sink)
    {
        var catalogue = ComponentCatalogue.Subclasses.Items;
        for (var c = 0; c < chunk.Components.Count; c++)
        {
            ref var component = ref chunk.Components[c];
            var subclass = catalogue[component.Subclass.Index];
            sink.Empty();
            sink.Raw(plan.Grids[component.Grid].DistrictCode);
            sink.Number(subclass.Class, 2);
            sink.Number(subclass.Code, 2);
            sink.Number(component.Serial, 8);
            sink.Field(subclass.ClassName)
                .Field(subclass.Name)
                .Field(plan.Grids[component.Grid].Code)
                .Field(component.Longitude, decimals: 6)
                .Field(component.Latitude, decimals: 6)
                .Field(subclass.Department)
                .Field(ComponentStatuses[component.Status]);
            sink.EndLine();
        }
    }
}
