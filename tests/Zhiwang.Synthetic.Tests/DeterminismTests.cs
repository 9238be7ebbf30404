namespace Zhiwang.Synthetic.Tests;

public sealed class DeterminismTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zhiwang-determinism-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_same_seed_gives_byte_identical_files_whatever_the_thread_count()
    {
        var one = Path.Combine(_root, "one");
        var two = Path.Combine(_root, "two");
        GeneratedCity.Generate(one, seed: 11, persons: 6_000, threads: 1);
        GeneratedCity.Generate(two, seed: 11, persons: 6_000, threads: 3);

        var files = Directory.GetFiles(one, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(one, f)).Order().ToList();
        files.Count.ShouldBe(5 + 1 + 8 + 8);
        Directory.GetFiles(two, "*", SearchOption.AllDirectories).Length.ShouldBe(files.Count);
        foreach (var file in files)
        {
            File.ReadAllBytes(Path.Combine(one, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(two, file))).ShouldBeTrue(file);
        }
    }

    [Fact]
    public void A_different_seed_gives_a_different_city()
    {
        var a = Path.Combine(_root, "a");
        var b = Path.Combine(_root, "b");
        GeneratedCity.Generate(a, seed: 1, persons: 3_000);
        GeneratedCity.Generate(b, seed: 2, persons: 3_000);

        var personsA = File.ReadAllLines(Path.Combine(a, "persons.csv"));
        var personsB = File.ReadAllLines(Path.Combine(b, "persons.csv"));
        personsA.Length.ShouldBe(personsB.Length);
        personsA.Skip(1).Intersect(personsB.Skip(1)).Count().ShouldBeLessThan(10);
        File.ReadAllText(Path.Combine(a, "legal_entities.csv")).ShouldNotBe(File.ReadAllText(Path.Combine(b, "legal_entities.csv")));
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
