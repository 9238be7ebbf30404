using System.Text.Json;
using Zhiwang.Linkage.Text;

namespace Zhiwang.Linkage.Settings;

/// <summary>Which pairs are candidates: within one input, only across inputs, or both.</summary>
public enum LinkType
{
    DedupeOnly,
    LinkOnly,
    LinkAndDedupe,
}

/// <summary>How a blocking column's value is reduced to a key.</summary>
public enum ColumnTransform
{
    None,
    First,
    Last,
    Pinyin,
    Fold,
    Lower,
    Year,
    Digits,
}

/// <summary>One column of a blocking rule; <see cref="Length"/> is N for first-N and last-N.</summary>
public sealed record BlockingColumn(string Column, ColumnTransform Transform, int Length);

/// <summary>Records agreeing on every column (after its transform) are candidate pairs.</summary>
public sealed record BlockingRule(IReadOnlyList<BlockingColumn> Columns)
{
    public override string ToString() => string.Join(" & ", Columns.Select(c => c.Transform switch
    {
        ColumnTransform.None => c.Column,
        ColumnTransform.First or ColumnTransform.Last => $"{c.Transform.ToString().ToLowerInvariant()}_{c.Length}({c.Column})",
        _ => $"{c.Transform.ToString().ToLowerInvariant()}({c.Column})",
    }));
}

/// <summary>Cleaning applied to a comparison's values before its levels are tested.</summary>
public enum Standardisation
{
    Trim,
    Lower,
    Fold,
    Digits,
}

public enum LevelKind
{
    Exact,
    JaroWinkler,
    Levenshtein,
    DamerauLevenshtein,
    DateEqual,
    DateWithinDays,
    DateDayMonthSwapped,
    AbsoluteDifference,
    RelativeDifference,
    DistanceKm,
    FoldedEqual,
    PinyinEqual,
    IdNumber,
}

/// <summary>
/// One level of a comparison. <see cref="Value"/> is the level's parameter: the Jaro-Winkler threshold, the maximum
/// edit distance, days, difference or kilometres. <see cref="Relations"/> are the ID-number relations it accepts.
/// </summary>
public sealed record LevelSettings(LevelKind Kind, double Value, IReadOnlySet<IdNumberRelation> Relations, string Label);

/// <summary>A comparison of one column (two for distances: latitude, longitude) with ordered levels; the first that holds wins.</summary>
public sealed record ComparisonSettings(
    string Name,
    IReadOnlyList<string> Columns,
    IReadOnlyList<Standardisation> Standardise,
    IReadOnlyList<LevelSettings> Levels,
    bool TermFrequencyAdjustments);

/// <summary>Agglomerative clustering: clusters merge when their links carry at least <see cref="MinLinkShare"/> per member of the smaller.</summary>
public sealed record ClusteringSettings(double MinLinkShare, bool OneRecordPerSource);

/// <summary>Training: how many random pairs estimate u, the seed, and the EM iteration cap.</summary>
public sealed record TrainingSettings(int MaxRandomPairs, int Seed, int MaxIterations)
{
    /// <summary>EM sees at most about this many of a blocking rule's candidate pairs, drawn with the seed.</summary>
    public int MaxPairsPerRule { get; init; } = DefaultMaxPairsPerRule;

    public const int DefaultMaxPairsPerRule = 1_000_000;
}

/// <summary>The settings of one linkage job, read from JSON by <see cref="Parse"/> or <see cref="Load"/> (format: docs/LINKAGE.md).</summary>
public sealed class LinkageSettings
{
    private LinkageSettings(JsonElement json)
    {
        Json = json;
    }

    public string UniqueIdColumn { get; private init; } = "";

    public LinkType LinkType { get; private init; }

    public IReadOnlyList<BlockingRule> BlockingRules { get; private init; } = [];

    public IReadOnlyList<ComparisonSettings> Comparisons { get; private init; } = [];

    /// <summary>The prior, fixed instead of estimated when set.</summary>
    public double? ProbabilityTwoRandomRecordsMatch { get; private init; }

    /// <summary>The match weight at or above which a pair is a link; null = posterior probability 0.5.</summary>
    public double? ThresholdMatchWeight { get; private init; }

    /// <summary>Scored pairs below this probability are not kept as edges.</summary>
    public double EdgeFloorProbability { get; private init; }

    public ClusteringSettings Clustering { get; private init; } = new(0.5, false);

    public TrainingSettings Training { get; private init; } = new(1_000_000, 42, 100);

    /// <summary>A blocking rule's blocks above this many records are skipped (with a warning): they are quadratic.</summary>
    public int MaxBlockSize { get; private init; } = DefaultMaxBlockSize;

    public const int DefaultMaxBlockSize = 5_000;

    /// <summary>The settings as read, kept so a trained model can carry them.</summary>
    public JsonElement Json { get; }

    /// <summary>Every column the settings name: the unique id, blocking and comparison columns.</summary>
    public IReadOnlyList<string> Columns =>
        new[] { UniqueIdColumn }.Concat(BlockingRules.SelectMany(r => r.Columns.Select(c => c.Column))).Concat(Comparisons.SelectMany(c => c.Columns))
            .Distinct(StringComparer.Ordinal).ToArray();

    public static LinkageSettings Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new LinkageSettingsException(path, "$", $"cannot be read: {e.Message}");
        }

        return Parse(text, path);
    }

    /// <summary>Reads settings; <paramref name="source"/> names them in errors (a file name).</summary>
    public static LinkageSettings Parse(string json, string source = "settings")
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new LinkageSettingsException(source, "$", $"is not valid JSON: {e.Message}");
        }

        using (document)
        {
            return new Reader(source).ReadRoot(document.RootElement.Clone());
        }
    }

    private sealed class Reader(string source)
    {
        private static readonly string[] RootKeys =
        [
            "unique_id_column", "link_type", "blocking_rules", "comparisons", "probability_two_random_records_match", "threshold",
            "edge_floor_probability", "clustering", "training", "max_block_size",
        ];

        public LinkageSettings ReadRoot(JsonElement root)
        {
            Object(root, "$", RootKeys);
            var idColumn = RequiredString(root, "$", "unique_id_column");
            var linkType = Optional(root, "link_type") is { } lt
                ? Enum(lt, "$.link_type", new Dictionary<string, LinkType>
                {
                    ["dedupe_only"] = LinkType.DedupeOnly, ["link_only"] = LinkType.LinkOnly, ["link_and_dedupe"] = LinkType.LinkAndDedupe,
                })
                : LinkType.DedupeOnly;
            var rulesElement = Required(root, "$", "blocking_rules");
            var rules = Array(rulesElement, "$.blocking_rules", minimum: 1).Select((r, i) => ReadRule(r, $"$.blocking_rules[{i}]")).ToArray();
            var comparisonsElement = Required(root, "$", "comparisons");
            var comparisons = Array(comparisonsElement, "$.comparisons", minimum: 1).Select((c, i) => ReadComparison(c, $"$.comparisons[{i}]")).ToArray();
            var duplicate = comparisons.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw Error("$.comparisons", $"two comparisons are named '{duplicate.Key}'");
            }

            double? prior = Optional(root, "probability_two_random_records_match") is { } p
                ? Number(p, "$.probability_two_random_records_match", 0, 1, exclusive: true)
                : null;
            double? threshold = null;
            if (Optional(root, "threshold") is { } t)
            {
                Object(t, "$.threshold", "match_probability", "match_weight");
                var probability = Optional(t, "match_probability");
                var weight = Optional(t, "match_weight");
                if ((probability is null) == (weight is null))
                {
                    throw Error("$.threshold", "give exactly one of match_probability and match_weight");
                }

                threshold = probability is { } pv
                    ? Model.MatchWeights.FromProbability(Number(pv, "$.threshold.match_probability", 0, 1, exclusive: true))
                    : Number(weight!.Value, "$.threshold.match_weight", -100, 100);
            }

            var floor = Optional(root, "edge_floor_probability") is { } f ? Number(f, "$.edge_floor_probability", 0, 1) : 0.01;
            var clustering = new ClusteringSettings(0.5, false);
            if (Optional(root, "clustering") is { } c)
            {
                Object(c, "$.clustering", "min_link_share", "one_record_per_source");
                clustering = new ClusteringSettings(
                    Optional(c, "min_link_share") is { } s ? Number(s, "$.clustering.min_link_share", 0, 1) : 0.5,
                    Optional(c, "one_record_per_source") is { } o && Bool(o, "$.clustering.one_record_per_source"));
            }

            var training = new TrainingSettings(1_000_000, 42, 100);
            if (Optional(root, "training") is { } tr)
            {
                Object(tr, "$.training", "max_random_pairs", "seed", "max_iterations", "max_pairs_per_rule");
                training = new TrainingSettings(
                    Optional(tr, "max_random_pairs") is { } m ? (int)Number(m, "$.training.max_random_pairs", 1, int.MaxValue, integer: true) : 1_000_000,
                    Optional(tr, "seed") is { } sd ? (int)Number(sd, "$.training.seed", int.MinValue, int.MaxValue, integer: true) : 42,
                    Optional(tr, "max_iterations") is { } mi ? (int)Number(mi, "$.training.max_iterations", 1, 10_000, integer: true) : 100)
                {
                    MaxPairsPerRule = Optional(tr, "max_pairs_per_rule") is { } mp
                        ? (int)Number(mp, "$.training.max_pairs_per_rule", 1, int.MaxValue, integer: true)
                        : TrainingSettings.DefaultMaxPairsPerRule,
                };
            }

            var maxBlockSize = Optional(root, "max_block_size") is { } mb
                ? (int)Number(mb, "$.max_block_size", 2, int.MaxValue, integer: true)
                : DefaultMaxBlockSize;

            return new LinkageSettings(root)
            {
                UniqueIdColumn = idColumn,
                LinkType = linkType,
                BlockingRules = rules,
                Comparisons = comparisons,
                ProbabilityTwoRandomRecordsMatch = prior,
                ThresholdMatchWeight = threshold,
                EdgeFloorProbability = floor,
                Clustering = clustering,
                Training = training,
                MaxBlockSize = maxBlockSize,
            };
        }

        private BlockingRule ReadRule(JsonElement rule, string path)
        {
            var columns = Array(rule, path, minimum: 1).Select((c, i) => ReadBlockingColumn(c, $"{path}[{i}]")).ToArray();
            return new BlockingRule(columns);
        }

        private BlockingColumn ReadBlockingColumn(JsonElement element, string path)
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                return new BlockingColumn(NonEmpty(element, path), ColumnTransform.None, 0);
            }

            Object(element, path, "column", "transform");
            var column = RequiredString(element, path, "column");
            if (Optional(element, "transform") is not { } t)
            {
                return new BlockingColumn(column, ColumnTransform.None, 0);
            }

            var name = NonEmpty(t, path + ".transform");
            foreach (var (prefix, transform) in new[] { ("first_", ColumnTransform.First), ("last_", ColumnTransform.Last) })
            {
                if (name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    if (!int.TryParse(name.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 1)
                    {
                        throw Error(path + ".transform", $"'{name}': expected {prefix}N with N a positive whole number");
                    }

                    return new BlockingColumn(column, transform, n);
                }
            }

            var kind = name switch
            {
                "none" => ColumnTransform.None,
                "pinyin" => ColumnTransform.Pinyin,
                "fold" => ColumnTransform.Fold,
                "lower" => ColumnTransform.Lower,
                "year" => ColumnTransform.Year,
                "digits" => ColumnTransform.Digits,
                _ => throw Error(path + ".transform", $"unknown transform '{name}' (known: none, first_N, last_N, pinyin, fold, lower, year, digits)"),
            };
            return new BlockingColumn(column, kind, 0);
        }

        private ComparisonSettings ReadComparison(JsonElement element, string path)
        {
            Object(element, path, "name", "column", "columns", "standardise", "levels", "term_frequency_adjustments");
            var column = Optional(element, "column");
            var columnsElement = Optional(element, "columns");
            if ((column is null) == (columnsElement is null))
            {
                throw Error(path, "give exactly one of column and columns");
            }

            string[] columns = column is { } one
                ? [NonEmpty(one, path + ".column")]
                : Array(columnsElement!.Value, path + ".columns", minimum: 1).Select((c, i) => NonEmpty(c, $"{path}.columns[{i}]")).ToArray();
            var name = Optional(element, "name") is { } n ? NonEmpty(n, path + ".name") : string.Join("_", columns);
            var standardise = Optional(element, "standardise") is { } s
                ? Array(s, path + ".standardise", minimum: 0).Select((x, i) => Enum(x, $"{path}.standardise[{i}]", new Dictionary<string, Standardisation>
                {
                    ["trim"] = Standardisation.Trim, ["lower"] = Standardisation.Lower, ["fold"] = Standardisation.Fold, ["digits"] = Standardisation.Digits,
                })).ToArray()
                : [Standardisation.Trim];
            var levels = Array(Required(element, path, "levels"), path + ".levels", minimum: 1)
                .Select((l, i) => ReadLevel(l, $"{path}.levels[{i}]", columns.Length)).ToArray();
            var tf = Optional(element, "term_frequency_adjustments") is { } tfe && Bool(tfe, path + ".term_frequency_adjustments");
            if (tf && !levels.Any(l => l.Kind == LevelKind.Exact))
            {
                throw Error(path + ".term_frequency_adjustments", "needs an exact level to adjust");
            }

            var isDistance = levels.Any(l => l.Kind == LevelKind.DistanceKm);
            if (isDistance && (columns.Length != 2 || levels.Any(l => l.Kind is not (LevelKind.DistanceKm or LevelKind.Exact))))
            {
                throw Error(path, "a distance_km comparison has two columns (latitude, longitude) and only exact or distance_km levels");
            }

            if (!isDistance && columns.Length != 1)
            {
                throw Error(path + ".columns", "only distance_km comparisons take two columns");
            }

            return new ComparisonSettings(name, columns, standardise, levels, tf);
        }

        private LevelSettings ReadLevel(JsonElement element, string path, int columnCount)
        {
            if (element.ValueKind == JsonValueKind.String)
            {
                element = JsonDocument.Parse($"{{\"type\":{JsonSerializer.Serialize(element.GetString())}}}").RootElement.Clone();
            }

            var type = RequiredString(element, path, "type");
            var (kind, parameter) = type switch
            {
                "exact" => (LevelKind.Exact, null),
                "jaro_winkler" => (LevelKind.JaroWinkler, "threshold"),
                "levenshtein" => (LevelKind.Levenshtein, "max"),
                "damerau_levenshtein" => (LevelKind.DamerauLevenshtein, "max"),
                "date_equal" => (LevelKind.DateEqual, null),
                "date_within_days" => (LevelKind.DateWithinDays, "days"),
                "date_day_month_swapped" => (LevelKind.DateDayMonthSwapped, null),
                "absolute_difference" => (LevelKind.AbsoluteDifference, "max"),
                "relative_difference" => (LevelKind.RelativeDifference, "max"),
                "distance_km" => (LevelKind.DistanceKm, "max"),
                "folded_equal" => (LevelKind.FoldedEqual, null),
                "pinyin_equal" => (LevelKind.PinyinEqual, null),
                "id_number" => (LevelKind.IdNumber, (string?)null),
                _ => throw Error(path + ".type", $"unknown level type '{type}' (known: exact, jaro_winkler, levenshtein, damerau_levenshtein, date_equal, " +
                    "date_within_days, date_day_month_swapped, absolute_difference, relative_difference, distance_km, folded_equal, pinyin_equal, id_number)"),
            };
            var allowed = new List<string> { "type", "label" };
            if (parameter is not null)
            {
                allowed.Add(parameter);
            }

            if (kind == LevelKind.IdNumber)
            {
                allowed.Add("relations");
            }

            Object(element, path, [.. allowed]);
            var value = parameter is null ? 0 : kind switch
            {
                LevelKind.JaroWinkler => Number(Required(element, path, parameter), $"{path}.{parameter}", 0, 1),
                LevelKind.Levenshtein or LevelKind.DamerauLevenshtein or LevelKind.DateWithinDays =>
                    Number(Required(element, path, parameter), $"{path}.{parameter}", 0, 1_000_000, integer: true),
                _ => Number(Required(element, path, parameter), $"{path}.{parameter}", 0, double.MaxValue),
            };
            var relations = new HashSet<IdNumberRelation>();
            if (kind == LevelKind.IdNumber)
            {
                var names = new Dictionary<string, IdNumberRelation>
                {
                    ["exact"] = IdNumberRelation.Exact,
                    ["wrong_check_character"] = IdNumberRelation.WrongCheckCharacter,
                    ["adjacent_transposition"] = IdNumberRelation.AdjacentTransposition,
                    ["one_digit_typo"] = IdNumberRelation.OneDigitTypo,
                    ["one_digit_missing"] = IdNumberRelation.OneDigitMissing,
                };
                foreach (var (r, i) in Array(Required(element, path, "relations"), path + ".relations", minimum: 1).Select((r, i) => (r, i)))
                {
                    relations.Add(Enum(r, $"{path}.relations[{i}]", names));
                }
            }

            if (kind == LevelKind.DistanceKm && columnCount != 2)
            {
                throw Error(path, "distance_km needs columns: [latitude, longitude]");
            }

            var label = Optional(element, "label") is { } l ? NonEmpty(l, path + ".label") : DefaultLabel(type, parameter is null ? null : value, relations);
            return new LevelSettings(kind, value, relations, label);
        }

        private static string DefaultLabel(string type, double? value, HashSet<IdNumberRelation> relations) =>
            relations.Count > 0 ? $"{type}({string.Join("|", relations)})"
            : value is { } v ? $"{type}({v.ToString(System.Globalization.CultureInfo.InvariantCulture)})"
            : type;

        private LinkageSettingsException Error(string path, string message) => new(source, path, message);

        private void Object(JsonElement element, string path, params string[] allowed)
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, $"expected an object, found {Kind(element)}");
            }

            foreach (var property in element.EnumerateObject())
            {
                if (!allowed.Contains(property.Name, StringComparer.Ordinal))
                {
                    throw Error($"{path}.{property.Name}", $"unknown key (allowed here: {string.Join(", ", allowed)})");
                }
            }
        }

        private static JsonElement? Optional(JsonElement element, string name) =>
            element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        private JsonElement Required(JsonElement element, string path, string name) =>
            Optional(element, name) ?? throw Error($"{path}.{name}", "is required");

        private string RequiredString(JsonElement element, string path, string name) => NonEmpty(Required(element, path, name), $"{path}.{name}");

        private string NonEmpty(JsonElement element, string path)
        {
            if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
            {
                throw Error(path, $"expected a non-empty string, found {Kind(element)}");
            }

            return element.GetString()!;
        }

        private JsonElement[] Array(JsonElement element, string path, int minimum)
        {
            if (element.ValueKind != JsonValueKind.Array)
            {
                throw Error(path, $"expected an array, found {Kind(element)}");
            }

            var items = element.EnumerateArray().ToArray();
            if (items.Length < minimum)
            {
                throw Error(path, $"needs at least {minimum} item(s)");
            }

            return items;
        }

        private bool Bool(JsonElement element, string path) => element.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(path, $"expected true or false, found {Kind(element)}"),
        };

        private double Number(JsonElement element, string path, double minimum, double maximum, bool exclusive = false, bool integer = false)
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var value))
            {
                throw Error(path, $"expected a number, found {Kind(element)}");
            }

            var outside = exclusive ? value <= minimum || value >= maximum : value < minimum || value > maximum;
            if (outside || (integer && value != Math.Floor(value)))
            {
                var range = exclusive ? $"strictly between {minimum} and {maximum}" : $"from {minimum} to {maximum}";
                throw Error(path, $"{element.GetRawText()} is out of range: expected {(integer ? "a whole number" : "a number")} {range}");
            }

            return value;
        }

        private T Enum<T>(JsonElement element, string path, Dictionary<string, T> names)
        {
            var name = NonEmpty(element, path);
            return names.TryGetValue(name, out var value)
                ? value
                : throw Error(path, $"unknown value '{name}' (known: {string.Join(", ", names.Keys)})");
        }

        private static string Kind(JsonElement element) => element.ValueKind.ToString().ToLowerInvariant();
    }
}

/// <summary>Settings that cannot be used: where (the source and JSON path) and why.</summary>
public sealed class LinkageSettingsException(string source, string path, string reason)
    : Exception($"{source}: {path}: {reason}")
{
    public string SettingsSource { get; } = source;

    public string JsonPath { get; } = path;
}
