using System.Runtime.CompilerServices;
using Zhiwang.Synthetic.Output;

namespace Zhiwang.Synthetic.Extracts;

/// <summary>What a department extract needs to write one chunk: the chunk, its sinks, its noise, and shared lookups.</summary>
internal sealed class ExtractContext
{
    private readonly char[] _recordId = new char[16];
    private int _nextRecord;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ExtractContext(CityPlan plan, ChunkModel chunk, Department department, TextSink data, TextSink truth, NoiseRates rates)
    {
        Plan = plan;
        Chunk = chunk;
        Department = department;
        Truth = truth;
        Writer = new RecordWriter(data, department.File.Format);
        Noise = new Noise(rates, new Rng(plan.Seed, chunk.ChunkIndex, 100 + department.Number));
    }

    public CityPlan Plan { get; }

    public ChunkModel Chunk { get; }

    public Department Department { get; }

    public RecordWriter Writer { get; }

    public TextSink Truth { get; }

    public Noise Noise { get; }

    public Rng Rng => Noise.Rng;

    /// <summary>The department's own record id: its prefix, the chunk and a running number, unique without coordination.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<char> NextRecordId()
    {
        var prefix = Department.RecordPrefix;
        prefix.AsSpan().CopyTo(_recordId);
        var span = _recordId.AsSpan(prefix.Length, 12);
        var number = ((long)Chunk.ChunkIndex * 10_000_000L) + _nextRecord++;
        for (var i = 11; i >= 0; i--)
        {
            span[i] = (char)('0' + (number % 10));
            number /= 10;
        }

        return _recordId.AsSpan(0, prefix.Length + 12);
    }

    /// <summary>Writes the truth row: which person, entity and house the record really refers to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void WriteTruth(ReadOnlySpan<char> recordId, string? idNumber, string? creditCode, string? houseCode, string? relatedIdNumber)
    {
        Truth.Field(recordId).Field(idNumber).Field(creditCode).Field(houseCode).Field(relatedIdNumber);
        Truth.EndLine();
    }

    /// <summary>The standard address of a house: building address and room.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Address(int house)
    {
        ref var h = ref Chunk.Houses[house];
        Writer.Part(Chunk.Buildings[h.Building].Address).Part(h.Room).Part("室").Flush();
    }

    /// <summary>The address as recorded: now and then the previous one (another house of the chunk).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RecordedAddress(int house)
    {
        if (Noise.StaleAddress() && Chunk.Houses.Count > 1)
        {
            var other = Rng.Next(Chunk.Houses.Count - 1);
            Address(other >= house ? other + 1 : other);
            return;
        }

        Address(house);
    }

    /// <summary>A date in the department's usual style, now and then in another.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RecordedDate(DateOnly date, DateStyle usual)
    {
        if (Noise.DateVariant())
        {
            var style = (DateStyle)Rng.Next(5);
            Writer.Date(date, style == usual ? (DateStyle)(((int)style + 1) % 5) : style);
            return;
        }

        Writer.Date(date, usual);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static DateOnly Day(int dayNumber) => DateOnly.FromDayNumber(dayNumber);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Sex(bool male) => male ? "男" : "女";

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int AgeOf(in PersonRow person) => (ChunkBuilder.AsOf.DayNumber - person.BirthDay) / 365;
}

/// <summary>A department whose extract the generator writes, with its record-id prefix and output file.</summary>
internal sealed record Department(int Number, string Key, string ChineseName, string RecordPrefix, OutputFile File, Action<ExtractContext> Write)
{
    public OutputFile TruthFile { get; } = new($"truth/{Key}.csv", FileFormat.Csv, ["record_id", "id_number", "credit_code", "house_code", "related_id_number"]);
}
