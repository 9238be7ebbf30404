namespace Zhiwang.MasterData.Seeding;

/// <summary>How one CSV column becomes one table column.</summary>
internal enum ColumnKind
{
    Text,
    RequiredText,
    Date,
    Integer,
    Real,
}

internal sealed record CityFileColumn(string FileColumn, string TableColumn, ColumnKind Kind);

/// <summary>
/// One file written by <c>zhiwang generate</c> and the golden-record table it seeds. Every table also
/// gets <c>district_code</c>, derived from the grid code, so it can be partitioned by district.
/// </summary>
internal sealed record CityFileTable(string FileName, string Table, IReadOnlyList<CityFileColumn> Columns)
{
    public static readonly IReadOnlyList<CityFileTable> All =
    [
        new("persons.csv", "golden_person",
        [
            new("id_number", "id_number", ColumnKind.RequiredText),
            new("name", "name", ColumnKind.RequiredText),
            new("sex", "sex", ColumnKind.RequiredText),
            new("birth_date", "birth_date", ColumnKind.Date),
            new("ethnicity", "ethnicity", ColumnKind.Text),
            new("hukou", "hukou", ColumnKind.RequiredText),
            new("registered_area_code", "registered_area_code", ColumnKind.Text),
            new("phone", "phone", ColumnKind.Text),
            new("household_id", "household_id", ColumnKind.Text),
            new("relation_to_head", "relation_to_head", ColumnKind.Text),
            new("house_code", "house_code", ColumnKind.Text),
            new("employer_credit_code", "employer_credit_code", ColumnKind.Text),
            new("education", "education", ColumnKind.Text),
            new("grid_code", "grid_code", ColumnKind.RequiredText),
        ]),
        new("legal_entities.csv", "golden_legal_entity",
        [
            new("credit_code", "credit_code", ColumnKind.RequiredText),
            new("name", "name", ColumnKind.RequiredText),
            new("short_name", "short_name", ColumnKind.Text),
            new("legal_representative_id_number", "legal_representative_id_number", ColumnKind.Text),
            new("industry", "industry", ColumnKind.Text),
            new("registered_date", "registered_date", ColumnKind.Date),
            new("house_code", "house_code", ColumnKind.Text),
            new("status", "status", ColumnKind.Text),
            new("grid_code", "grid_code", ColumnKind.RequiredText),
        ]),
        new("buildings.csv", "building",
        [
            new("building_code", "building_code", ColumnKind.RequiredText),
            new("address", "address", ColumnKind.RequiredText),
            new("kind", "kind", ColumnKind.Text),
            new("floors", "floors", ColumnKind.Integer),
            new("longitude", "longitude", ColumnKind.Real),
            new("latitude", "latitude", ColumnKind.Real),
            new("grid_code", "grid_code", ColumnKind.RequiredText),
        ]),
        new("houses.csv", "golden_house",
        [
            new("house_code", "house_code", ColumnKind.RequiredText),
            new("building_code", "building_code", ColumnKind.RequiredText),
            new("address", "address", ColumnKind.RequiredText),
            new("use", "house_use", ColumnKind.RequiredText),
            new("area_m2", "area_m2", ColumnKind.Real),
            new("owner_id_number", "owner_id_number", ColumnKind.Text),
            new("owner_credit_code", "owner_credit_code", ColumnKind.Text),
            new("grid_code", "grid_code", ColumnKind.RequiredText),
        ]),
        new("city_components.csv", "city_component",
        [
            new("component_code", "component_code", ColumnKind.RequiredText),
            new("class", "component_class", ColumnKind.RequiredText),
            new("subclass", "component_subclass", ColumnKind.RequiredText),
            new("owning_department", "owning_department", ColumnKind.Text),
            new("status", "status", ColumnKind.Text),
            new("longitude", "longitude", ColumnKind.Real),
            new("latitude", "latitude", ColumnKind.Real),
            new("grid_code", "grid_code", ColumnKind.RequiredText),
        ]),
    ];
}
