using System.Globalization;
using System.Text;
using System.Text.Json;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Linkage.Model;

/// <summary>Match weight (log2 odds) and match probability, two views of one number.</summary>
public static class MatchWeights
{
    public static double FromProbability(double probability) => Math.Log2(probability / (1 - probability));

    public static double ToProbability(double weight) => 1 / (1 + Math.Pow(2, -weight));
}

/// <summary>One level of a trained comparison: m = P(level | match), u = P(level | non-match).</summary>
public sealed record LevelModel(string Label, double M, double U)
{
    /// <summary>log2(m/u): what hitting this level adds to a pair's match weight.</summary>
    public double Weight => Math.Log2(M / U);
}

/// <summary>A trained comparison: its levels (declared levels, then "else") and, when adjusted, its value frequencies.</summary>
public sealed record ComparisonModel(string Name, IReadOnlyList<LevelModel> Levels, TermFrequencyTable? TermFrequencies);

/// <summary>How often each standardised value occurs among the training records; values seen once are not stored.</summary>
public sealed class TermFrequencyTable(long records, IReadOnlyDictionary<string, int> counts)
{
    public long Records { get; } = records;

    public IReadOnlyDictionary<string, int> Counts { get; } = counts;

    /// <summary>The share of records holding <paramref name="value"/>; an unseen value counts as seen once.</summary>
    public double Frequency(string value) => (Counts.TryGetValue(value, out var count) ? count : 1) / (double)Math.Max(1, Records);

    /// <summary>As <see cref="Frequency(string)"/> for pooled characters: no string is made when the counts allow a span lookup.</summary>
    internal double Frequency(ReadOnlySpan<char> value)
    {
        if (Counts is Dictionary<string, int> counts && counts.TryGetAlternateLookup<ReadOnlySpan<char>>(out var lookup))
        {
            return (lookup.TryGetValue(value, out var count) ? count : 1) / (double)Math.Max(1, Records);
        }

        return Frequency(value.ToString());
    }
}

/// <summary>
/// A trained linkage model: the settings it was trained with, the prior (probability that two random records match)
/// and every comparison's m and u. Serialises to JSON (<see cref="ToJson"/>, <see cref="FromJson"/>) so a host can
/// store it and score later without retraining.
/// </summary>
public sealed class LinkageModel
{
    public LinkageModel(LinkageSettings settings, double prior, IReadOnlyList<ComparisonModel> comparisons, TrainingSummary training)
    {
        if (comparisons.Count != settings.Comparisons.Count)
        {
            throw new ArgumentException("one comparison model per comparison in the settings", nameof(comparisons));
        }

        Settings = settings;
        Prior = prior;
        Comparisons = comparisons;
        Training = training;
    }

    public LinkageSettings Settings { get; }

    /// <summary>λ: the probability that two records drawn at random match.</summary>
    public double Prior { get; }

    public IReadOnlyList<ComparisonModel> Comparisons { get; }

    public TrainingSummary Training { get; }

    /// <summary>The prior as a match weight, log2(λ / (1 − λ)): where every pair's total starts.</summary>
    public double PriorWeight => Math.Log2(Prior / (1 - Prior));

    /// <summary>The threshold from the settings, else posterior probability 0.5 (match weight 0): see docs/LINKAGE.md.</summary>
    public double ThresholdMatchWeight => Settings.ThresholdMatchWeight ?? 0;

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteNumber("format", 1);
            writer.WritePropertyName("settings");
            Settings.Json.WriteTo(writer);
            writer.WriteNumber("prior", Prior);
            writer.WriteStartObject("training");
            writer.WriteNumber("records", Training.Records);
            writer.WriteNumber("random_pairs", Training.RandomPairs);
            writer.WriteNumber("candidate_pairs", Training.CandidatePairs);
            writer.WriteNumber("em_iterations", Training.EmIterations);
            writer.WriteEndObject();
            writer.WriteStartArray("comparisons");
            foreach (var comparison in Comparisons)
            {
                writer.WriteStartObject();
                writer.WriteString("name", comparison.Name);
                writer.WriteStartArray("levels");
                foreach (var level in comparison.Levels)
                {
                    writer.WriteStartObject();
                    writer.WriteString("label", level.Label);
                    writer.WriteNumber("m", level.M);
                    writer.WriteNumber("u", level.U);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                if (comparison.TermFrequencies is { } tf)
                {
                    writer.WriteStartObject("term_frequencies");
                    writer.WriteNumber("records", tf.Records);
                    writer.WriteStartObject("counts");
                    foreach (var (value, count) in tf.Counts.OrderBy(p => p.Key, StringComparer.Ordinal))
                    {
                        writer.WriteNumber(value, count);
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static LinkageModel FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("format", out var format) || format.GetInt32() != 1)
        {
            throw new FormatException("not a linkage model of format 1");
        }

        var settings = LinkageSettings.Parse(root.GetProperty("settings").GetRawText(), "model settings");
        var training = root.GetProperty("training");
        var summary = new TrainingSummary(
            training.GetProperty("records").GetInt64(),
            training.GetProperty("random_pairs").GetInt64(),
            training.GetProperty("candidate_pairs").GetInt64(),
            training.GetProperty("em_iterations").GetInt32());
        var comparisons = root.GetProperty("comparisons").EnumerateArray().Select(c =>
        {
            var levels = c.GetProperty("levels").EnumerateArray()
                .Select(l => new LevelModel(l.GetProperty("label").GetString()!, l.GetProperty("m").GetDouble(), l.GetProperty("u").GetDouble()))
                .ToArray();
            TermFrequencyTable? tf = null;
            if (c.TryGetProperty("term_frequencies", out var t))
            {
                var counts = t.GetProperty("counts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
                tf = new TermFrequencyTable(t.GetProperty("records").GetInt64(), counts);
            }

            return new ComparisonModel(c.GetProperty("name").GetString()!, levels, tf);
        }).ToArray();
        return new LinkageModel(settings, root.GetProperty("prior").GetDouble(), comparisons, summary);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"prior {Prior:G4}, {Comparisons.Count} comparisons");
}

/// <summary>What training saw: records, random pairs for u, candidate pairs for EM, and EM iterations (the most of any session).</summary>
public sealed record TrainingSummary(long Records, long RandomPairs, long CandidatePairs, int EmIterations);
