using System.Text;
using Zhiwang.MasterData.Intake;

namespace Zhiwang.MasterData.Hub;

/// <summary>
/// What one mention in one source record says about one golden record; <paramref name="Order"/> ranks recency (later
/// is larger). <paramref name="Said"/> holds the mention's values for the attributes of its kind's golden record
/// (<see cref="SourceOfTruth.For"/>, in that order), packed by <see cref="SaidValues"/>.
/// </summary>
/// <remarks>
/// A batch keeps every contribution until its golden records are built: a million of them per 330,000 persons. Held
/// as the mention's field dictionary, each cost about 900 bytes and ten objects for the collector to trace; packed into
/// one string, about 250 bytes and one object.
/// </remarks>
internal sealed record Contribution(
    string GoldenId,
    string Department,
    string RecordId,
    string Role,
    string Said,
    long Order)
{
    /// <summary>The contribution of a mention whose fields are <paramref name="fields"/> (only its kind's attributes are kept).</summary>
    public static Contribution Of(string goldenId, string department, string recordId, string role, IReadOnlyDictionary<string, string?> fields, long order) =>
        new(goldenId, department, recordId, role, SaidValues.Pack(SaidValues.FieldsOf(Hub.GoldenId.KindOf(goldenId)), fields), order);
}

/// <summary>
/// Packs the values a mention gives for a list of fields into one string and reads them back: per field, its length
/// in one char (two for 32,767 chars or more) and then its chars; <see cref="Null"/> for a field it leaves out.
/// Lengths rather than a separator, so any value (a separator character included) comes back as it went in.
/// </summary>
internal static class SaidValues
{
    private const char Null = '\uFFFF';
    private const int Long = 0x7FFF;

    private static readonly string[] PersonFields = SourceOfTruth.For(MentionKind.Person).Select(rule => rule.Field).ToArray();
    private static readonly string[] EntityFields = SourceOfTruth.For(MentionKind.LegalEntity).Select(rule => rule.Field).ToArray();

    [ThreadStatic]
    private static StringBuilder? _builder;

    /// <summary>The fields a golden record of the kind is built from, in the order they are packed; none for houses.</summary>
    public static string[] FieldsOf(MentionKind kind) => kind switch
    {
        MentionKind.Person => PersonFields,
        MentionKind.LegalEntity => EntityFields,
        _ => [],
    };

    public static string Pack(string[] fields, IReadOnlyDictionary<string, string?> values)
    {
        var builder = _builder ??= new StringBuilder(256);
        builder.Clear();
        foreach (var field in fields)
        {
            if (!values.TryGetValue(field, out var value) || value is null)
            {
                builder.Append(Null);
            }
            else if (value.Length < Long)
            {
                builder.Append((char)value.Length).Append(value);
            }
            else
            {
                // High bit set on the first char: the length goes on in the second (up to 2^30 chars).
                builder.Append((char)(0x8000 | (value.Length >> 15))).Append((char)(value.Length & Long)).Append(value);
            }
        }

        return builder.ToString();
    }

    /// <summary>Writes the packed values into <paramref name="into"/> from <paramref name="offset"/>, one per field packed.</summary>
    public static void Unpack(string packed, string?[] into, int offset)
    {
        var position = 0;
        var index = offset;
        while (position < packed.Length)
        {
            var head = packed[position++];
            if (head == Null)
            {
                into[index++] = null;
                continue;
            }

            var length = head < 0x8000 ? head : ((head & Long) << 15) | packed[position++];
            into[index++] = packed.Substring(position, length);
            position += length;
        }
    }
}

/// <summary>Row order within the hub: batch first, then row, so "most recent" means the later file and the later row.</summary>
internal static class ContributionOrder
{
    public static long Of(long batchId, long row) => (batchId * 10_000_000_000L) + row;
}
