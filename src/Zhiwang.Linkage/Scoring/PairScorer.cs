using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;

namespace Zhiwang.Linkage.Scoring;

/// <summary>A scored candidate pair: record indexes into the table (left &lt; right) and the match weight.</summary>
public readonly record struct ScoredPair(int Left, int Right, double MatchWeight)
{
    public double MatchProbability => MatchWeights.ToProbability(MatchWeight);
}

/// <summary>One step of a pair's waterfall: the level a comparison hit, its m, u and weight, and the total so far.</summary>
public sealed record ComparisonExplanation(
    string Comparison,
    string Level,
    int LevelIndex,
    string? LeftValue,
    string? RightValue,
    double? M,
    double? U,
    double Weight,
    double TermFrequencyAdjustment,
    double RunningTotal);

/// <summary>
/// Why a pair scored what it did: the prior, then one step per comparison (a missing value adds 0), summing to
/// <see cref="MatchWeight"/>. Serialises to JSON as is (the data behind a waterfall chart).
/// </summary>
public sealed record PairExplanation(
    string LeftId,
    string RightId,
    double PriorWeight,
    IReadOnlyList<ComparisonExplanation> Comparisons,
    double MatchWeight,
    double MatchProbability);

/// <summary>
/// Scores and explains pairs of one record table under a trained model. Weight = log2(λ/(1−λ)) + Σ log2(m/u), plus for
/// an exact hit on a term-frequency comparison log2(u_exact / frequency of the value): a shared rare value counts for
/// more than a shared common one.
/// </summary>
public sealed class PairScorer
{
    private readonly double[][] _weights;
    private readonly double[] _exactU;

    // Per term-frequency comparison, the model's frequency of each standard value (by code), null for the others:
    // the prepared table is shared by every model trained on the same settings, the frequencies are this model's.
    private readonly GrowableList<double>?[] _frequencies;

    /// <summary>A scorer over the table's prepared form, which train, predict and the linker share (prepared once).</summary>
    public PairScorer(LinkageModel model, RecordTable records)
        : this(model, PreparedTable.For(model.Settings, records))
    {
    }

    internal PairScorer(LinkageModel model, PreparedTable prepared)
    {
        Model = model;
        Prepared = prepared;
        _weights = model.Comparisons.Select(c => c.Levels.Select(l => l.Weight).ToArray()).ToArray();
        _exactU = new double[model.Comparisons.Count];
        _frequencies = new GrowableList<double>?[model.Comparisons.Count];
        for (var c = 0; c < model.Comparisons.Count; c++)
        {
            var comparison = prepared.Comparisons[c];
            if (model.Comparisons[c].Levels.Count != comparison.LevelCount)
            {
                throw new LinkageException($"the model's comparison '{model.Comparisons[c].Name}' has {model.Comparisons[c].Levels.Count} levels, the settings {comparison.LevelCount}");
            }

            if (model.Comparisons[c].TermFrequencies is { } tf && comparison.ExactLevel >= 0)
            {
                _frequencies[c] = new GrowableList<double>();
                _exactU[c] = model.Comparisons[c].Levels[comparison.ExactLevel].U;
            }
        }

        ExtendFrequencies();
    }

    public LinkageModel Model { get; }

    internal PreparedTable Prepared { get; }

    /// <summary>Catches up with records added to the table since the scorer was made.</summary>
    public void Refresh()
    {
        Prepared.Refresh();
        ExtendFrequencies();
    }

    /// <summary>Looks up the model's frequency of each standard value prepared since the last call.</summary>
    private void ExtendFrequencies()
    {
        Span<char> buffer = stackalloc char[128];
        for (var c = 0; c < _frequencies.Length; c++)
        {
            if (_frequencies[c] is not { } frequencies)
            {
                continue;
            }

            var comparison = Prepared.Comparisons[c];
            var table = Model.Comparisons[c].TermFrequencies!;
            for (var code = frequencies.Count; code < comparison.StandardCount; code++)
            {
                frequencies.Add(table.Frequency(comparison.StandardChars(code, buffer)));
            }
        }
    }

    public double MatchWeight(int left, int right)
    {
        var total = Model.PriorWeight;
        var comparisons = Prepared.Comparisons;
        for (var c = 0; c < comparisons.Length; c++)
        {
            var gamma = comparisons[c].Gamma(left, right);
            if (gamma < 0)
            {
                continue;
            }

            total += _weights[c][gamma] + TermFrequencyAdjustment(c, gamma, left);
        }

        return total;
    }

    public PairExplanation Explain(int left, int right)
    {
        var steps = new List<ComparisonExplanation>();
        var total = Model.PriorWeight;
        var comparisons = Prepared.Comparisons;
        for (var c = 0; c < comparisons.Length; c++)
        {
            var comparison = comparisons[c];
            var gamma = comparison.Gamma(left, right);
            var name = Model.Comparisons[c].Name;
            if (gamma < 0)
            {
                steps.Add(new ComparisonExplanation(name, "null", -1, comparison.Display(left), comparison.Display(right), null, null, 0, 0, total));
                continue;
            }

            var level = Model.Comparisons[c].Levels[gamma];
            var adjustment = TermFrequencyAdjustment(c, gamma, left);
            total += level.Weight + adjustment;
            steps.Add(new ComparisonExplanation(name, level.Label, gamma, comparison.Display(left), comparison.Display(right), level.M, level.U, level.Weight, adjustment, total));
        }

        return new PairExplanation(Prepared.Id(left), Prepared.Id(right), Model.PriorWeight, steps, total, MatchWeights.ToProbability(total));
    }

    private double TermFrequencyAdjustment(int c, int gamma, int left)
    {
        var comparison = Prepared.Comparisons[c];
        if (_exactU[c] <= 0 || gamma != comparison.ExactLevel)
        {
            return 0;
        }

        var frequency = _frequencies[c]![comparison.StandardCode(left)];
        return frequency > 0 ? Math.Log2(_exactU[c] / frequency) : 0;
    }
}
