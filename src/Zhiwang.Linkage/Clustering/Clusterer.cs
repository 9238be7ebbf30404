using Zhiwang.Linkage.Scoring;

namespace Zhiwang.Linkage.Clustering;

/// <summary>Which cluster each record is in, named by a member record (the one first in the table).</summary>
public sealed class Clusters
{
    private readonly int[] _representative;
    private readonly Func<int, string> _id;

    internal Clusters(int[] representative, Func<int, string> id)
    {
        _representative = representative;
        _id = id;
        Count = representative.Where((r, i) => r == i).Count();
    }

    public int Records => _representative.Length;

    /// <summary>The number of clusters, singletons included.</summary>
    public int Count { get; }

    /// <summary>The index of the record that names <paramref name="record"/>'s cluster.</summary>
    public int Representative(int record) => _representative[record];

    /// <summary>The cluster id: the unique id of the representative record.</summary>
    public string ClusterId(int record) => _id(_representative[record]);
}

/// <summary>
/// Agglomerative clustering of the links (pairs at or above the threshold) in descending weight order. A record on its
/// own joins a cluster through its strongest link; two clusters of several records merge only when the links between
/// them carry a probability of at least min_link_share per member of the smaller, so one weak (or one strong but
/// lonely) link does not merge two people. With one record per source (link-only across inputs, FEBRL 4), two clusters
/// holding the same source never merge: a one-to-one linkage.
/// </summary>
internal static class Clusterer
{
    public static int[] Cluster(int records, IReadOnlyList<ScoredPair> pairs, double thresholdWeight, double minLinkShare, Func<int, int>? sourceOf)
    {
        var links = new ScoredPair[pairs.Count(p => p.MatchWeight >= thresholdWeight)];
        var n = 0;
        foreach (var pair in pairs)
        {
            if (pair.MatchWeight >= thresholdWeight)
            {
                links[n++] = pair;
            }
        }

        // In place, no key arrays: the links can be tens of millions.
        Array.Sort(links, static (x, y) => x.MatchWeight != y.MatchWeight ? y.MatchWeight.CompareTo(x.MatchWeight)
            : x.Left != y.Left ? x.Left.CompareTo(y.Left) : x.Right.CompareTo(y.Right));
        var (offsets, neighbours, probabilities) = Adjacency(records, links);
        // A cluster's members as a chain through next[] from its root to tail[root], size[root] long: three ints a
        // record and no object per cluster (a list per cluster cost some 60 bytes each at city scale). Merging
        // appends the smaller chain, so members are visited in the order a list's AddRange would keep.
        var parent = new int[records];
        var next = new int[records];
        var tail = new int[records];
        var size = new int[records];
        var sources = new HashSet<int>?[sourceOf is null ? 0 : records];
        for (var i = 0; i < records; i++)
        {
            parent[i] = i;
            next[i] = -1;
            tail[i] = i;
            size[i] = 1;
        }

        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        HashSet<int> Sources(int root) => sources[root] ??= [sourceOf!(root)];

        foreach (var link in links)
        {
            var a = Find(link.Left);
            var b = Find(link.Right);
            if (a == b)
            {
                continue;
            }

            if (sourceOf is not null && Sources(a).Overlaps(Sources(b)))
            {
                continue;
            }

            var (small, large) = size[a] <= size[b] ? (a, b) : (b, a);
            if (size[small] > 1)
            {
                double shared = 0;
                for (var member = small; member >= 0; member = next[member])
                {
                    for (var e = offsets[member]; e < offsets[member + 1]; e++)
                    {
                        if (Find(neighbours[e]) == large)
                        {
                            shared += probabilities[e];
                        }
                    }
                }

                if (shared < minLinkShare * size[small])
                {
                    continue;
                }
            }

            parent[small] = large;
            next[tail[large]] = small;
            tail[large] = tail[small];
            size[large] += size[small];
            if (sourceOf is not null)
            {
                Sources(large).UnionWith(Sources(small));
                sources[small] = null;
            }
        }

        var representative = new int[records];
        var lowest = new int[records];
        Array.Fill(lowest, int.MaxValue);
        for (var i = 0; i < records; i++)
        {
            var root = Find(i);
            lowest[root] = Math.Min(lowest[root], i);
        }

        for (var i = 0; i < records; i++)
        {
            representative[i] = lowest[Find(i)];
        }

        return representative;
    }

    private static (int[] Offsets, int[] Neighbours, double[] Probabilities) Adjacency(int records, ScoredPair[] links)
    {
        var offsets = new int[records + 1];
        foreach (var link in links)
        {
            offsets[link.Left + 1]++;
            offsets[link.Right + 1]++;
        }

        for (var i = 0; i < records; i++)
        {
            offsets[i + 1] += offsets[i];
        }

        var next = offsets[..^1].ToArray();
        var neighbours = new int[links.Length * 2];
        var probabilities = new double[links.Length * 2];
        foreach (var link in links)
        {
            var p = link.MatchProbability;
            neighbours[next[link.Left]] = link.Right;
            probabilities[next[link.Left]++] = p;
            neighbours[next[link.Right]] = link.Left;
            probabilities[next[link.Right]++] = p;
        }

        return (offsets, neighbours, probabilities);
    }
}
