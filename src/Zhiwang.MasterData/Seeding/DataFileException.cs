namespace Zhiwang.MasterData.Seeding;

/// <summary>A file that cannot be read as promised, with where: file, row (1 = first data row) and field.</summary>
public sealed class DataFileException(string file, long row, string? field, string reason)
    : Exception(field is null ? $"{file}, row {row}: {reason}" : $"{file}, row {row}, field {field}: {reason}")
{
    public string File { get; } = file;

    public long Row { get; } = row;

    public string? Field { get; } = field;

    public string Reason { get; } = reason;
}
