using System.Reflection;
using System.Text.Json;

namespace Zhiwang.MasterData.Intake;

/// <summary>The feed declarations a city knows, and which one covers a file.</summary>
public sealed class FeedCatalog
{
    /// <summary>The pseudo hub field of a <see cref="MentionShape.PersonOrLegalEntity"/> mention: the column whose shape decides the kind.</summary>
    public const string KeyField = "key";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly HashSet<string> KnownHubFields = typeof(HubFields)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToHashSet(StringComparer.Ordinal);

    private static readonly Lazy<FeedCatalog> Embedded = new(LoadEmbedded);

    public FeedCatalog(IEnumerable<FeedDeclaration> feeds)
    {
        Feeds = feeds.ToList();
        var duplicate = Feeds.GroupBy(feed => feed.Department, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
        {
            throw new FeedDeclarationException(duplicate.Key, "the department is declared twice");
        }
    }

    /// <summary>The eight departments of the synthetic city, from the declarations embedded in this assembly (Feeds/*.json).</summary>
    public static FeedCatalog Default => Embedded.Value;

    public IReadOnlyList<FeedDeclaration> Feeds { get; }

    /// <summary>Reads and checks one declaration (the JSON of Feeds/&lt;department&gt;.json).</summary>
    public static FeedDeclaration Load(string json, string? source = null)
    {
        FeedDeclaration? feed;
        try
        {
            feed = JsonSerializer.Deserialize<FeedDeclaration>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FeedDeclarationException(source ?? "(declaration)", $"not a valid declaration: {e.Message}", e);
        }

        if (feed is null)
        {
            throw new FeedDeclarationException(source ?? "(declaration)", "the declaration is empty");
        }

        Check(feed);
        return feed;
    }

    /// <summary>The declaration covering a file, by its name (the directory is ignored), or null.</summary>
    public FeedDeclaration? Match(string fileName)
    {
        var name = Path.GetFileName(fileName);
        return Feeds.FirstOrDefault(feed => feed.Files.Any(pattern => Glob(pattern, name)));
    }

    /// <summary>The declaration of a department, or null.</summary>
    public FeedDeclaration? Find(string department) =>
        Feeds.FirstOrDefault(feed => string.Equals(feed.Department, department, StringComparison.Ordinal));

    private static FeedCatalog LoadEmbedded()
    {
        var assembly = typeof(FeedCatalog).Assembly;
        var feeds = new List<FeedDeclaration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(name => name.StartsWith("Feeds/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            feeds.Add(Load(reader.ReadToEnd(), resource));
        }

        return new FeedCatalog(feeds);
    }

    private static void Check(FeedDeclaration feed)
    {
        var name = feed.Department;
        void Fail(string reason) => throw new FeedDeclarationException(name, reason);

        if (string.IsNullOrWhiteSpace(name))
        {
            throw new FeedDeclarationException("(declaration)", "the department key is empty");
        }

        if (feed.Files.Count == 0)
        {
            Fail("no file pattern");
        }

        if (feed.Format == FeedFormat.Delimited && string.IsNullOrEmpty(feed.Separator))
        {
            Fail("a delimited feed needs a separator");
        }

        if (feed.Separator is { Length: > 1 })
        {
            Fail($"the separator '{feed.Separator}' is more than one character");
        }

        if (feed.Format == FeedFormat.Xlsx && string.IsNullOrEmpty(feed.Sheet))
        {
            Fail("an xlsx feed needs a sheet-name prefix");
        }

        if (feed.Encoding is not ("utf-8" or "gbk" or "detect"))
        {
            Fail($"encoding '{feed.Encoding}' is not utf-8, gbk or detect");
        }

        if (feed.DateFormats.Count == 0)
        {
            Fail("no date format");
        }

        foreach (var format in feed.DateFormats)
        {
            if (!DateText.IsValidFormat(format))
            {
                Fail($"date format '{format}' needs yyyy and M or MM (and d or dd for a day)");
            }
        }

        if (feed.Mentions.Count == 0)
        {
            Fail("no mention");
        }

        foreach (var field in feed.Values.Keys.Where(field => !KnownHubFields.Contains(field)))
        {
            Fail($"values are given for '{field}', which is not a hub field");
        }

        foreach (var mention in feed.Mentions)
        {
            if (mention.When is not null && feed.Discriminator is null)
            {
                Fail($"mention '{mention.Role}' has a 'when' but the feed has no discriminator");
            }

            if (mention.Fields.Count == 0)
            {
                Fail($"mention '{mention.Role}' maps no field");
            }

            foreach (var field in mention.Fields.Keys.Concat(mention.Constants.Keys))
            {
                var known = KnownHubFields.Contains(field) || (field == KeyField && mention.Kind == MentionShape.PersonOrLegalEntity);
                if (!known)
                {
                    Fail($"mention '{mention.Role}' maps '{field}', which is not a hub field");
                }
            }

            if (mention.Kind == MentionShape.PersonOrLegalEntity && !mention.Fields.ContainsKey(KeyField))
            {
                Fail($"mention '{mention.Role}' is a person or a legal entity by its key, but maps no 'key' column");
            }
        }
    }

    // File-name patterns are * and ? only: a city engineer writes them, not a programmer.
    internal static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> name)
    {
        int p = 0, n = 0, star = -1, mark = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || char.ToLowerInvariant(pattern[p]) == char.ToLowerInvariant(name[n])))
            {
                p++;
                n++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = n;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}

/// <summary>A feed declaration that cannot be used, naming it and what is wrong.</summary>
public sealed class FeedDeclarationException : Exception
{
    public FeedDeclarationException(string declaration, string reason, Exception? inner = null)
        : base($"{declaration}: {reason}", inner)
    {
        Declaration = declaration;
        Reason = reason;
    }

    public string Declaration { get; }

    public string Reason { get; }
}

/// <summary>
/// A file that cannot be read at all (an encoding that is neither UTF-8 nor GBK, a column the declaration names
/// but the file lacks, a workbook that is not a zip), raised before any row is read.
/// </summary>
public sealed class FeedFileException : Exception
{
    public FeedFileException(string feed, string file, string? column, string reason, Exception? inner = null)
        : base($"{file} ({feed}){(column is null ? "" : $", column {column}")}: {reason}", inner)
    {
        Feed = feed;
        File = file;
        Column = column;
        Reason = reason;
    }

    public string Feed { get; }

    public string File { get; }

    public string? Column { get; }

    public string Reason { get; }
}
