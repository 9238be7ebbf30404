using System.Security.Cryptography;
using System.Text;
using Zhiwang.Linkage.Records;

namespace Zhiwang.Linkage.Tests;

/// <summary>
/// The compact layout (character arenas, narrow column codes, one prepared table shared by train, predict and the
/// linker, int cluster codes) keeps every value and every link the string-per-value layout had.
/// </summary>
public sealed class MemoryLayoutTests
{
    [Fact]
    public void A_pool_gives_back_every_value_before_and_after_its_arena_widens()
    {
        var pool = new ValuePool();
        string[] values = ["GA000000000001", "44030319900512123X", "café", "13927377374", "张伟", "深圳市罗湖区桂园街道前海路376号", "ÿ", "x"];
        var codes = new List<int>();
        foreach (var value in values)
        {
            codes.Add(pool.Intern(value));
            if (value == "13927377374")
            {
                // Latin-1 so far (é and ÿ included): one byte a character.
                pool.IsNarrow.ShouldBeTrue();
            }
        }

        pool.IsNarrow.ShouldBeFalse();
        codes.ShouldBe(Enumerable.Range(0, values.Length));
        Span<char> shortBuffer = stackalloc char[2];
        for (var i = 0; i < values.Length; i++)
        {
            pool[codes[i]].ShouldBe(values[i]);
            pool.Find(values[i]).ShouldBe(codes[i]);
            pool.Intern(values[i]).ShouldBe(codes[i]);
            pool.Length(codes[i]).ShouldBe(values[i].Length);

            // A buffer too short for the value still gives the whole value.
            pool.Chars(codes[i], shortBuffer).ToString().ShouldBe(values[i]);
        }

        pool.Find("张").ShouldBe(-1);
        pool.Find("GA00000000000").ShouldBe(-1);
    }

    [Fact]
    public void A_narrow_pool_widens_values_it_hands_out_as_characters()
    {
        var pool = new ValuePool();
        var code = pool.Intern("Zoë-1990");
        pool.IsNarrow.ShouldBeTrue();

        pool.Chars(code, stackalloc char[64]).ToString().ShouldBe("Zoë-1990");
        pool.TrimExcess();
        pool.Intern("next").ShouldBe(1);
        pool[code].ShouldBe("Zoë-1990");
    }

    [Fact]
    public void Values_whose_hashes_collide_keep_their_own_codes()
    {
        // A birthday search over short strings finds two with the same 31-bit hash: the pool must tell them apart by
        // their characters, not by the hash.
        var seen = new Dictionary<int, string>();
        (string First, string Second)? collision = null;
        for (var i = 0; collision is null && i < 2_000_000; i++)
        {
            var value = "v" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var hash = ValuePool.Hash(value);
            if (seen.TryGetValue(hash, out var other))
            {
                collision = (other, value);
            }
            else
            {
                seen[hash] = value;
            }
        }

        collision.ShouldNotBeNull();
        var (first, second) = collision.Value;
        ValuePool.Hash(first).ShouldBe(ValuePool.Hash(second));

        var pool = new ValuePool();
        var a = pool.Intern(first);
        var b = pool.Intern(second);
        a.ShouldNotBe(b);
        pool.Find(first).ShouldBe(a);
        pool.Find(second).ShouldBe(b);
        pool[b].ShouldBe(second);
    }

    [Fact]
    public void Many_values_survive_the_lookup_table_growing()
    {
        var pool = new ValuePool();
        for (var i = 0; i < 100_000; i++)
        {
            pool.Intern("id-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(i);
        }

        for (var i = 0; i < 100_000; i += 997)
        {
            var value = "id-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            pool.Find(value).ShouldBe(i);
            pool[i].ShouldBe(value);
        }
    }

    [Fact]
    public void Combined_blocking_key_parts_get_one_dense_code_each()
    {
        var codes = new Zhiwang.Linkage.Blocking.PairCodes();
        var seen = new Dictionary<long, int>();
        for (var left = 0; left < 300; left++)
        {
            for (var right = 0; right < 300; right += 7)
            {
                // Keys alike in their low or high half, the cases a poor hash would pile into one slot.
                var key = ((long)left << 32) | (uint)right;
                var code = codes.GetOrAdd(key);
                code.ShouldBe(seen.Count);
                seen[key] = code;
            }
        }

        foreach (var (key, code) in seen)
        {
            codes.GetOrAdd(key).ShouldBe(code);
        }

        codes.Count.ShouldBe(seen.Count);
    }

    [Fact]
    public void Column_codes_widen_from_bytes_to_ints_without_losing_a_value()
    {
        var table = new RecordTable(["id", "small", "large"]);
        for (var i = 0; i < 70_000; i++)
        {
            var s = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            table.Add("a", [s, i % 7 == 0 ? null : (i % 300).ToString(System.Globalization.CultureInfo.InvariantCulture), "v" + s]);
        }

        for (var i = 0; i < 70_000; i += 13)
        {
            var s = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            table.Value(i, "id").ShouldBe(s);
            table.Value(i, "small").ShouldBe(i % 7 == 0 ? null : (i % 300).ToString(System.Globalization.CultureInfo.InvariantCulture));
            table.Value(i, "large").ShouldBe("v" + s);
        }

        table.Value(42, "small").ShouldBeNull();
        table.Code(42, 1).ShouldBe(-1);
    }

    [Fact]
    public void A_unique_column_holds_no_codes_until_a_value_repeats_or_is_missing()
    {
        var table = new RecordTable(["id"]);
        for (var i = 0; i < 300; i++)
        {
            table.Add("a", ["r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        table.Code(299, 0).ShouldBe(299);
        table.Add("a", ["r5"]);
        table.Add("a", [null]);
        table.Add("a", ["r300"]);

        table.Code(299, 0).ShouldBe(299);
        table.Code(300, 0).ShouldBe(5);
        table.Code(301, 0).ShouldBe(-1);
        table.Code(302, 0).ShouldBe(300);
        table.Value(302, 0).ShouldBe("r300");
    }

    [Fact]
    public void Train_predict_and_the_linker_share_one_prepared_table()
    {
        var table = FebrlTests.Load("dataset1.csv");
        var settings = FebrlTests.LoadSettings("febrl1");
        var model = Linker.Train(settings, table);
        var prepared = table.Prepared;
        prepared.ShouldNotBeNull();

        var prediction = Linker.Predict(model, table);
        table.Prepared.ShouldBeSameAs(prepared);
        _ = new IncrementalLinker(model, table, Linker.Cluster(model, table, prediction.Pairs));
        table.Prepared.ShouldBeSameAs(prepared);

        // The same settings read again (another object, the same JSON) still share it.
        _ = Linker.Predict(Zhiwang.Linkage.Model.LinkageModel.FromJson(model.ToJson()), table);
        table.Prepared.ShouldBeSameAs(prepared);
    }

    [Fact]
    public void Preparing_once_scores_as_preparing_for_each_step()
    {
        var settings = FebrlTests.LoadSettings("febrl2");
        var shared = FebrlTests.Load("dataset2.csv");
        var model = Linker.Train(settings, shared);
        var once = Linker.Predict(model, shared);

        // A second, identical table has nothing prepared: predict builds its own, term frequencies from the model.
        var fresh = FebrlTests.Load("dataset2.csv");
        var separately = Linker.Predict(model, fresh);

        separately.CandidatePairs.ShouldBe(once.CandidatePairs);
        separately.Pairs.ShouldBe(once.Pairs);
        Linker.Cluster(model, fresh, separately.Pairs).Count.ShouldBe(Linker.Cluster(model, shared, once.Pairs).Count);
    }

    [Theory]
    [InlineData("febrl1", 500, "EA6FA6B13407D4B6C274398EB530310307AD73B551141B4126843C7AF7D82569")]
    [InlineData("febrl1-nossn", 505, "848130640FD07E45144D21DACB961CD6C89EB61CFB1F3994A1EAC96F76F8567E")]
    public void Febrl1_gets_the_same_clusters_as_the_string_per_value_engine(string settings, int clusters, string digest)
    {
        // Digests of every record's cluster representative from the engine before the compact layout (FEBRL 1 has
        // fewer pairs than max_random_pairs, so u took every pair and that engine was deterministic there).
        var table = FebrlTests.Load("dataset1.csv");
        var result = Linker.Run(FebrlTests.LoadSettings(settings), table);

        result.Clusters.Count.ShouldBe(clusters);
        var text = string.Join(",", Enumerable.Range(0, table.Count).Select(i => result.Clusters.Representative(i)));
        Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(text))).ShouldBe(digest);
    }

    [Fact]
    public void A_host_s_own_cluster_names_come_back_from_the_linker()
    {
        var table = FebrlTests.Load("dataset1.csv");
        var model = Linker.Train(FebrlTests.LoadSettings("febrl1"), table);
        var batch = Linker.Cluster(model, table, Linker.Predict(model, table).Pairs);

        // The host names clusters its own way ("P" + the batch representative), not by a record id.
        var names = Enumerable.Range(0, table.Count).Select(i => "P" + batch.Representative(i).ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var linker = new IncrementalLinker(model, table, names);
        var values = table.Columns.Select(c => table.Value(0, c)).ToArray();
        var original = values[0]!;
        linker.ClusterOf(original).ShouldBe(names[0]);

        values[0] = original + "-again";
        var result = linker.Link("a", values);
        result.NewCluster.ShouldBeFalse();
        result.ClusterId.ShouldBe(names[0]);
        linker.ClusterOf(values[0]!).ShouldBe(names[0]);
        result.Candidates.ShouldContain(c => c.RecordId == original && c.ClusterId == names[0]);
        linker.Count.ShouldBe(table.Count);
    }
}
