using System.Text.Json;
using Zhiwang.Linkage.Scoring;

namespace Zhiwang.MasterData.Hub;

/// <summary>One bar of a link's waterfall: the prior, or a comparison at the level it reached, its weight and the running total.</summary>
public sealed record LinkStep(string Label, double Weight, double RunningTotal);

/// <summary>
/// The linkage engine's explanation of an engine link as stored in <c>record_mention.link_explanation</c> (the
/// engine's <see cref="PairExplanation"/> as JSON): the prior and one step per comparison, summing to the link's
/// weight. Other links (a key, a repaired key, a new record) have none.
/// </summary>
public static class LinkExplanation
{
    public static PairExplanation? Read(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<PairExplanation>(json);

    /// <summary>The waterfall's bars: "prior", then "comparison: level" with the term-frequency adjustment folded into the step.</summary>
    public static IReadOnlyList<LinkStep> Steps(PairExplanation explanation) =>
    [
        new LinkStep("prior", explanation.PriorWeight, explanation.PriorWeight),
        .. explanation.Comparisons.Select(c => new LinkStep($"{c.Comparison}: {c.Level}", c.Weight + c.TermFrequencyAdjustment, c.RunningTotal)),
    ];
}
