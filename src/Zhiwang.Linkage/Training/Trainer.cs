using Zhiwang.Linkage.Comparisons;
using Zhiwang.Linkage.Model;
using Zhiwang.Linkage.Records;
using Zhiwang.Linkage.Settings;

namespace Zhiwang.Linkage.Training;

/// <summary>
/// Unsupervised training, as Splink does it: u from random pairs, then m by expectation-maximisation over the blocked
/// candidate pairs with u held fixed, one EM session per blocking rule in which the comparisons on that rule's columns
/// are left out (their agreement is forced by the blocking, so it says nothing about m); a comparison's m is the mean
/// over the sessions that estimated it. The prior is the fixed point of λ = E[matches among candidates] / all pairs.
/// </summary>
internal static class Trainer
{
    /// <summary>No level's probability goes below this: a level never seen in training must not veto a pair.</summary>
    private const double MinimumProbability = 1e-6;

    public static LinkageModel Train(LinkageSettings settings, RecordTable table, LinkageOptions options)
    {
        var prepared = PreparedTable.For(settings, table);
        var comparisons = prepared.Comparisons;
        var u = EstimateU(prepared, options, out var randomPairs);

        prepared.SkipOversizedBlocks(options);

        // EM needs the mix of patterns, not every pair: past MaxPairsPerRule a rule's pairs are sampled (by a hash
        // of the seed and the pair, so the sample is the same on any thread count) and the union weighs each sampled
        // pair by 1 / rate for the prior. Scoring then compares every candidate once more; training stays bounded.
        var perRule = new Dictionary<long, double>[settings.BlockingRules.Count];
        var union = new Dictionary<long, double>();
        long candidates = 0;
        var scratch = new PairScratch();
        for (var r = 0; r < settings.BlockingRules.Count; r++)
        {
            options.Progress?.Report(new LinkageProgress($"training: comparing pairs of rule {r + 1}/{settings.BlockingRules.Count}", r, settings.BlockingRules.Count));
            var ruleCounts = perRule[r] = new Dictionary<long, double>();
            var locals = new List<(Dictionary<long, double> Rule, Dictionary<long, double> New)>();
            var lockObject = new object();
            var counts = prepared.ForEachPair(
                r,
                onlyNew: false,
                settings.Training.MaxPairsPerRule,
                settings.Training.Seed,
                options,
                () => (Rule: new Dictionary<long, double>(), New: new Dictionary<long, double>()),
                (left, right, isNew, local) =>
                {
                    var pattern = Pattern(comparisons, left, right);
                    Add(local.Rule, pattern, 1);
                    if (isNew)
                    {
                        Add(local.New, pattern, 1);
                    }
                },
                local =>
                {
                    lock (lockObject)
                    {
                        locals.Add(local);
                    }
                },
                scratch);

            // Whole counts first (exact in a double, so the thread order does not matter), scaled once per pattern.
            var newCounts = new Dictionary<long, double>();
            foreach (var local in locals)
            {
                foreach (var (k, v) in local.Rule)
                {
                    Add(ruleCounts, k, v);
                }

                foreach (var (k, v) in local.New)
                {
                    Add(newCounts, k, v);
                }
            }

            foreach (var (k, v) in newCounts)
            {
                Add(union, k, v / counts.SampleRate);
            }

            candidates += counts.NewPairs;
        }

        var mSums = comparisons.Select(c => new double[c.LevelCount]).ToArray();
        var sessions = new int[comparisons.Length];
        var maxIterations = 0;
        for (var r = 0; r < perRule.Length; r++)
        {
            options.Progress?.Report(new LinkageProgress("training: expectation-maximisation", r, perRule.Length));
            var ruleColumns = settings.BlockingRules[r].Columns.Select(c => c.Column).ToHashSet(StringComparer.Ordinal);
            var included = comparisons.Select(c => !c.Settings.Columns.Any(ruleColumns.Contains)).ToArray();
            if (!included.Any(i => i) || perRule[r].Count == 0)
            {
                continue;
            }

            var (m, iterations) = Expectation(comparisons, perRule[r], included, u, settings.Training.MaxIterations);
            maxIterations = Math.Max(maxIterations, iterations);
            for (var c = 0; c < comparisons.Length; c++)
            {
                if (included[c])
                {
                    sessions[c]++;
                    for (var l = 0; l < m[c].Length; l++)
                    {
                        mSums[c][l] += m[c][l];
                    }
                }
            }
        }

        if (sessions.Any(s => s == 0) && union.Count > 0)
        {
            // Comparisons on columns every rule blocks on: estimated over all candidates, biased towards agreement
            // but better than a guess.
            var all = comparisons.Select(_ => true).ToArray();
            var (m, iterations) = Expectation(comparisons, union, all, u, settings.Training.MaxIterations);
            maxIterations = Math.Max(maxIterations, iterations);
            for (var c = 0; c < comparisons.Length; c++)
            {
                if (sessions[c] == 0)
                {
                    sessions[c] = 1;
                    mSums[c] = m[c];
                }
            }
        }

        var mFinal = new double[comparisons.Length][];
        for (var c = 0; c < comparisons.Length; c++)
        {
            mFinal[c] = sessions[c] == 0 ? InitialM(comparisons[c].LevelCount) : Normalise(mSums[c].Select(x => x / sessions[c]).ToArray());
        }

        var prior = settings.ProbabilityTwoRandomRecordsMatch ?? EstimatePrior(comparisons, union, mFinal, u, prepared.AllowedPairCount());
        var models = new ComparisonModel[comparisons.Length];
        for (var c = 0; c < comparisons.Length; c++)
        {
            var comparison = comparisons[c];
            var labels = comparison.Settings.Levels.Select(l => l.Label).Append("else").ToArray();
            var levels = labels.Select((label, l) => new LevelModel(label, mFinal[c][l], u[c][l])).ToArray();
            models[c] = new ComparisonModel(comparison.Settings.Name, levels, comparison.Settings.TermFrequencyAdjustments ? TermFrequencies(comparison, table.Count) : null);
        }

        options.Progress?.Report(new LinkageProgress("training: done", 1, 1));
        return new LinkageModel(settings, prior, models, new TrainingSummary(table.Count, randomPairs, candidates, maxIterations));
    }

    /// <summary>Gamma of every comparison packed into one number, each in a digit of base (levels + 2).</summary>
    internal static long Pattern(PreparedComparison[] comparisons, int left, int right)
    {
        long pattern = 0;
        for (var c = comparisons.Length - 1; c >= 0; c--)
        {
            pattern = (pattern * (comparisons[c].LevelCount + 1)) + comparisons[c].Gamma(left, right) + 1;
        }

        return pattern;
    }

    private static int[] Unpack(PreparedComparison[] comparisons, long pattern)
    {
        var gammas = new int[comparisons.Length];
        for (var c = 0; c < comparisons.Length; c++)
        {
            var radix = comparisons[c].LevelCount + 1;
            gammas[c] = (int)(pattern % radix) - 1;
            pattern /= radix;
        }

        return gammas;
    }

    private static double[][] EstimateU(PreparedTable prepared, LinkageOptions options, out long randomPairs)
    {
        var comparisons = prepared.Comparisons;
        var n = prepared.Table.Count;
        var settings = prepared.Settings.Training;
        var totalPairs = prepared.AllowedPairCount();
        var counts = comparisons.Select(c => new long[c.LevelCount]).ToArray();
        var lockObject = new object();
        long sampled = 0;
        options.Progress?.Report(new LinkageProgress("training: u from random pairs", 0, 1));
        if (totalPairs <= settings.MaxRandomPairs)
        {
            // Few enough to take every pair: no sampling error.
            Parallel.For(
                0,
                n,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = options.CancellationToken },
                () => comparisons.Select(c => new long[c.LevelCount]).ToArray(),
                (i, _, local) =>
                {
                    for (var j = i + 1; j < n; j++)
                    {
                        if (prepared.Allowed(i, j))
                        {
                            Count(comparisons, local, i, j);
                        }
                    }

                    return local;
                },
                local => Merge(lockObject, counts, local));
            sampled = (long)totalPairs;
        }
        else
        {
            var chunks = Math.Max(1, options.MaxDegreeOfParallelism) * 4;
            var perChunk = settings.MaxRandomPairs / chunks;
            Parallel.For(
                0,
                chunks,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxDegreeOfParallelism), CancellationToken = options.CancellationToken },
                chunk =>
                {
                    // One generator per chunk, seeded from the settings: the same settings give the same u whatever the thread count.
                    // Not HashCode.Combine: its seed is random per process, which made u (and the edges) differ run to run.
                    var random = new Random(unchecked((settings.Seed * 1_000_003) + chunk));
                    var local = comparisons.Select(c => new long[c.LevelCount]).ToArray();
                    var taken = 0;
                    for (var attempt = 0; taken < perChunk && attempt < perChunk * 50; attempt++)
                    {
                        var i = random.Next(n);
                        var j = random.Next(n);
                        if (i == j || !prepared.Allowed(i, j))
                        {
                            continue;
                        }

                        Count(comparisons, local, i, j);
                        taken++;
                    }

                    Merge(lockObject, counts, local);
                    Interlocked.Add(ref sampled, taken);
                });
        }

        randomPairs = sampled;
        return counts.Select(c =>
        {
            // Half a pair for a level never seen among the random pairs, so it keeps a finite (large) weight.
            var total = c.Sum() + (0.5 * c.Length);
            return Normalise(c.Select(x => Math.Max((x + 0.5) / total, MinimumProbability)).ToArray());
        }).ToArray();
    }

    private static void Count(PreparedComparison[] comparisons, long[][] counts, int i, int j)
    {
        for (var c = 0; c < comparisons.Length; c++)
        {
            var gamma = comparisons[c].Gamma(i, j);
            if (gamma >= 0)
            {
                counts[c][gamma]++;
            }
        }
    }

    private static void Merge(object lockObject, long[][] counts, long[][] local)
    {
        lock (lockObject)
        {
            for (var c = 0; c < counts.Length; c++)
            {
                for (var l = 0; l < counts[c].Length; l++)
                {
                    counts[c][l] += local[c][l];
                }
            }
        }
    }

    private static (double[][] M, int Iterations) Expectation(PreparedComparison[] comparisons, Dictionary<long, double> patterns, bool[] included, double[][] u, int maxIterations)
    {
        var gammas = patterns.Keys.Select(p => Unpack(comparisons, p)).ToArray();
        var weights = patterns.Values.ToArray();
        var m = comparisons.Select(c => InitialM(c.LevelCount)).ToArray();
        var lambda = 0.1;
        var iteration = 0;
        while (iteration < maxIterations)
        {
            iteration++;
            var sums = comparisons.Select(c => new double[c.LevelCount]).ToArray();
            double matches = 0;
            double total = 0;
            for (var p = 0; p < gammas.Length; p++)
            {
                double bayesFactor = 1;
                for (var c = 0; c < comparisons.Length; c++)
                {
                    var g = gammas[p][c];
                    if (included[c] && g >= 0)
                    {
                        bayesFactor *= m[c][g] / u[c][g];
                    }
                }

                var posterior = lambda * bayesFactor / ((lambda * bayesFactor) + (1 - lambda));
                var expected = weights[p] * posterior;
                matches += expected;
                total += weights[p];
                for (var c = 0; c < comparisons.Length; c++)
                {
                    var g = gammas[p][c];
                    if (g >= 0)
                    {
                        sums[c][g] += expected;
                    }
                }
            }

            double change = 0;
            for (var c = 0; c < comparisons.Length; c++)
            {
                if (!included[c])
                {
                    continue;
                }

                var sum = sums[c].Sum();
                if (sum <= 0)
                {
                    continue;
                }

                var updated = Normalise(sums[c].Select(x => Math.Max(x / sum, MinimumProbability)).ToArray());
                for (var l = 0; l < updated.Length; l++)
                {
                    change = Math.Max(change, Math.Abs(updated[l] - m[c][l]));
                }

                m[c] = updated;
            }

            var newLambda = Math.Clamp(matches / total, MinimumProbability, 1 - MinimumProbability);
            change = Math.Max(change, Math.Abs(newLambda - lambda));
            lambda = newLambda;
            if (change < 1e-6)
            {
                break;
            }
        }

        return (m, iteration);
    }

    /// <summary>
    /// λ such that λ × (all pairs) = the expected number of matches among the candidates under λ: the candidates
    /// are assumed to hold (nearly) every match, every other pair a non-match. Iterated to its fixed point.
    /// </summary>
    private static double EstimatePrior(PreparedComparison[] comparisons, Dictionary<long, double> union, double[][] m, double[][] u, double allPairs)
    {
        var factors = new List<(double BayesFactor, double Count)>();
        foreach (var (pattern, count) in union)
        {
            var gammas = Unpack(comparisons, pattern);
            double bayesFactor = 1;
            for (var c = 0; c < comparisons.Length; c++)
            {
                if (gammas[c] >= 0)
                {
                    bayesFactor *= m[c][gammas[c]] / u[c][gammas[c]];
                }
            }

            factors.Add((bayesFactor, count));
        }

        if (allPairs <= 0 || factors.Count == 0)
        {
            return 1e-4;
        }

        var lambda = Math.Clamp(factors.Sum(f => f.Count) / allPairs / 2, 1e-12, 0.5);
        for (var i = 0; i < 10_000; i++)
        {
            var expected = factors.Sum(f => f.Count * lambda * f.BayesFactor / ((lambda * f.BayesFactor) + (1 - lambda)));
            var next = Math.Clamp(expected / allPairs, 1e-12, 0.5);
            if (Math.Abs(next - lambda) <= lambda * 1e-9)
            {
                return next;
            }

            lambda = next;
        }

        return lambda;
    }

    private static TermFrequencyTable TermFrequencies(PreparedComparison comparison, int records)
    {
        var counts = new int[comparison.StandardCount];
        long present = 0;
        for (var i = 0; i < records; i++)
        {
            var code = comparison.StandardCode(i);
            if (code >= 0)
            {
                counts[code]++;
                present++;
            }
        }

        var stored = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var code = 0; code < counts.Length; code++)
        {
            if (counts[code] >= 2)
            {
                stored[comparison.StandardValue(code)] = counts[code];
            }
        }

        return new TermFrequencyTable(present, stored);
    }

    private static double[] InitialM(int levels)
    {
        // Agreement likely among matches: the top level holds most of the mass, else the least.
        var m = new double[levels];
        for (var l = 0; l < levels; l++)
        {
            m[l] = l == 0 ? 0.7 : l == levels - 1 ? 0.05 : 0.25 / Math.Max(1, levels - 2);
        }

        return Normalise(m);
    }

    private static double[] Normalise(double[] values)
    {
        var sum = values.Sum();
        return values.Select(v => v / sum).ToArray();
    }

    private static void Add(Dictionary<long, double> counts, long key, double value) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, key, out _) += value;
}
