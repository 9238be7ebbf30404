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
/// One registry file written by <c>zhiwang generate</c> (the standard-address and house-code registry, the
/// component census) and the table it seeds. persons.csv and legal_entities.csv are the synthetic city's
/// ground truth, not a source: golden persons and legal entities are built only from department records. Every table also
/// gets <c>district_code</c>, derived from the grid code, so it can be partitioned by district.
/// </summary>
internal sealed record CityFileTable(string FileName, string Table, IReadOnlyList<CityFileColumn> Columns)
{
    public static readonly IReadOnlyList<CityFileTable> All =
    [
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
