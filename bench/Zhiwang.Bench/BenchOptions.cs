using System.Globalization;

namespace Zhiwang.Bench;

/// <summary>
/// A bench's options: "--name value" pairs and bare flags. An unknown name or a name without its value is refused
/// with the bench's usage on standard error (<see cref="Parse"/> returns null; the bench exits with 2).
/// </summary>
public sealed class BenchOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    private BenchOptions()
    {
    }

    /// <param name="usage">What the bench expects, e.g. <c>--persons N [--out D]</c>.</param>
    /// <param name="names">The options that take a value.</param>
    /// <param name="flags">The options that take none.</param>
    public static BenchOptions? Parse(string[] args, string usage, IReadOnlyCollection<string> names, params string[] flags)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            if (flags.Contains(args[i]))
            {
                options._flags.Add(args[i]);
            }
            else if (!names.Contains(args[i]))
            {
                Console.Error.WriteLine($"unknown option {args[i]}; expected {usage}");
                return null;
            }
            else if (i + 1 >= args.Length)
            {
                Console.Error.WriteLine($"option {args[i]} needs a value; expected {usage}");
                return null;
            }
            else
            {
                options._values[args[i]] = args[++i];
            }
        }

        return options;
    }

    public string? Text(string name) => _values.GetValueOrDefault(name);

    public string Text(string name, string fallback) => _values.GetValueOrDefault(name) ?? fallback;

    public int Int(string name, int fallback) => _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public long Long(string name, long fallback) => _values.TryGetValue(name, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public bool Flag(string name) => _flags.Contains(name);
}
