namespace Zhiwang.Events.Catalogue;

/// <summary>
/// A catalogue that cannot be used. The message lists every problem found, each with its JSON path, so an
/// administrator can fix them all in one pass; <see cref="Problems"/> holds the same lines.
/// </summary>
public sealed class CatalogueException : Exception
{
    public CatalogueException()
        : this([])
    {
    }

    public CatalogueException(string message)
        : this([message])
    {
    }

    public CatalogueException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    public CatalogueException(IReadOnlyList<string> problems, int moreProblems = 0)
        : base(Describe(problems, moreProblems))
    {
        Problems = problems;
    }

    /// <summary>Each problem: a JSON path, a colon, what is wrong (e.g. <c>classes[17].deadline: '5x' is not a duration …</c>).</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems, int moreProblems)
    {
        if (problems.Count == 0)
        {
            return "The event catalogue is not valid.";
        }

        if (problems.Count == 1 && moreProblems == 0)
        {
            return "The event catalogue is not valid: " + problems[0];
        }

        var lines = problems.Select(problem => "  " + problem);
        var more = moreProblems > 0 ? [$"  … and {moreProblems} more"] : Array.Empty<string>();
        return $"The event catalogue has {problems.Count + moreProblems} problems:\n" + string.Join('\n', lines.Concat(more));
    }
}
