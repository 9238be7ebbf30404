using Zhiwang.Linkage.Records;

namespace Zhiwang.Linkage.Tests;

public sealed class IncrementalLinkerTests
{
    [Fact]
    public void A_new_record_joins_the_cluster_the_batch_puts_it_in()
    {
        var full = FebrlTests.Load("dataset1.csv");
        var settings = FebrlTests.LoadSettings("febrl1");
        var model = Linker.Train(settings, full);
        var batch = Linker.Cluster(model, full, Linker.Predict(model, full).Pairs);

        // The last 40 records are held out, then linked one at a time against the batch clusters of the rest.
        var heldOut = 40;
        var existing = new RecordTable(full.Columns);
        for (var i = 0; i < full.Count - heldOut; i++)
        {
            existing.Add(full.Source(i), full.Columns.Select(c => full.Value(i, c)).ToArray());
        }

        var existingClusters = Linker.Cluster(model, existing, Linker.Predict(model, existing).Pairs);
        var linker = new IncrementalLinker(model, existing, existingClusters);
        var joined = 0;
        for (var i = full.Count - heldOut; i < full.Count; i++)
        {
            var result = linker.Link(full.Source(i), full.Columns.Select(c => full.Value(i, c)).ToArray());

            result.RecordId.ShouldBe(full.Value(i, "rec_id"));
            result.ClusterId.ShouldBe(batch.ClusterId(i), $"record {result.RecordId}");
            joined += result.NewCluster ? 0 : 1;
            result.Candidates.ShouldBeInOrder(SortDirection.Descending, Comparer<LinkedCandidate>.Create((a, b) => a.MatchWeight.CompareTo(b.MatchWeight)));
            foreach (var candidate in result.Candidates)
            {
                candidate.Explanation.MatchWeight.ShouldBe(candidate.MatchWeight, 1e-9);
            }
        }

        joined.ShouldBeGreaterThan(10);
        linker.Count.ShouldBe(full.Count);
    }

    [Fact]
    public void A_record_the_host_added_to_a_cluster_draws_later_records_into_it()
    {
        var table = FebrlTests.Load("dataset1.csv");
        var settings = FebrlTests.LoadSettings("febrl1");
        var model = Linker.Train(settings, table);
        var firstRecord = table.Columns.Select(c => table.Value(0, c)).ToArray();

        // Only other persons' records are loaded (FEBRL ids are rec-N-org and rec-N-dup-K); the first record comes in
        // as the host's own link to a cluster the host named.
        var person = string.Join('-', firstRecord[0]!.Split('-').Take(2)) + "-";
        var others = new RecordTable(table.Columns);
        for (var i = 1; i < table.Count; i++)
        {
            if (table.Value(i, "rec_id") is { } id && !id.StartsWith(person, StringComparison.Ordinal))
            {
                others.Add(table.Source(i), table.Columns.Select(c => table.Value(i, c)).ToArray());
            }
        }

        var linker = new IncrementalLinker(model, others, Enumerable.Range(0, others.Count).Select(i => "c" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList());
        linker.Add("host", firstRecord, "person-7");
        linker.ClusterOf(firstRecord[0]!).ShouldBe("person-7");

        var again = (string?[])firstRecord.Clone();
        again[0] = firstRecord[0] + "-again";
        var result = linker.Link("b", again);

        result.NewCluster.ShouldBeFalse();
        result.ClusterId.ShouldBe("person-7");
        Should.Throw<LinkageException>(() => linker.Add("host", firstRecord, "person-8"));
    }

    [Fact]
    public void A_removed_record_is_no_longer_a_candidate()
    {
        var table = FebrlTests.Load("dataset1.csv");
        var settings = FebrlTests.LoadSettings("febrl1");
        var model = Linker.Train(settings, table);
        var clusters = Linker.Cluster(model, table, Linker.Predict(model, table).Pairs);
        var linker = new IncrementalLinker(model, table, clusters);
        var values = table.Columns.Select(c => table.Value(0, c)).ToArray();
        var original = values[0]!;
        values[0] = original + "-again";

        var first = linker.Link("a", values);
        first.NewCluster.ShouldBeFalse();
        first.Candidates.ShouldContain(c => c.RecordId == original);

        linker.Remove(original).ShouldBeTrue();
        linker.ClusterOf(original).ShouldBeNull();
        values[0] = original + "-third";
        linker.Link("a", values).Candidates.ShouldNotContain(c => c.RecordId == original);
    }
}
