using Zhiwang.Events.Intake;

namespace Zhiwang.Events.Tests.Intake;

/// <summary>Golden records a test declares; counts how often intake asks, to see it asks once per batch.</summary>
public sealed class FakeGoldenRecords : IGoldenRecords
{
    private readonly HashSet<(string Kind, string GoldenId)> _known = [];

    public int Asked { get; private set; }

    public void Add(string kind, string goldenId) => _known.Add((kind, goldenId));

    public Task<IReadOnlySet<(string Kind, string GoldenId)>> UnknownAsync(
        IReadOnlyCollection<(string Kind, string GoldenId)> links, CancellationToken cancellationToken)
    {
        Asked++;
        return Task.FromResult<IReadOnlySet<(string Kind, string GoldenId)>>(links.Where(l => !_known.Contains(l)).ToHashSet());
    }
}

/// <summary>An address base that answers one lookup for every address, and counts how often it is asked.</summary>
public sealed class FakeAddressBase(AddressLookup answer) : IAddressBase
{
    public int Asked { get; private set; }

    public Task<AddressLookup> LocateAsync(string address, CancellationToken cancellationToken)
    {
        Asked++;
        return Task.FromResult(answer);
    }
}
