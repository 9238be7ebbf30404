using System.Reflection;
using Zhiwang.Storage;

namespace Zhiwang.Server.Tests.Architecture;

/// <summary>Modules reach each other only as ARCHITECTURE.md allows; a new reference must be a decision.</summary>
public sealed class ModuleBoundaryTests
{
    /// <summary>Which Zhiwang assemblies each module may reference. Geo (the hierarchy) is shared by all.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Zhiwang.Storage"] = [],
        ["Zhiwang.Geo"] = ["Zhiwang.Storage"],
        ["Zhiwang.Access"] = ["Zhiwang.Storage", "Zhiwang.Geo"],
        ["Zhiwang.MasterData"] = ["Zhiwang.Storage", "Zhiwang.Geo", "Zhiwang.Linkage"],
        ["Zhiwang.Linkage"] = [],
        ["Zhiwang.Synthetic"] = ["Zhiwang.Geo", "Zhiwang.MasterData"],
        ["Zhiwang.Events"] = ["Zhiwang.Storage", "Zhiwang.Geo", "Zhiwang.Access"],
    };

    [Fact]
    public void Every_module_references_only_the_modules_it_is_allowed_to()
    {
        var violations = new List<string>();
        foreach (var (module, allowed) in Allowed)
        {
            var assembly = Assembly.Load(module);
            var references = assembly.GetReferencedAssemblies()
                .Select(reference => reference.Name!)
                .Where(name => name.StartsWith("Zhiwang.", StringComparison.Ordinal));
            violations.AddRange(references.Except(allowed).Select(reference => $"{module} references {reference}"));
        }

        violations.ShouldBeEmpty();
    }

    [Fact]
    public void No_two_modules_create_the_same_table()
    {
        var owners = new Dictionary<string, string>();
        var clashes = new List<string>();
        foreach (var module in ModuleCatalog.Modules())
        {
            foreach (var migration in Migrations.Of(module, DatabaseProvider.Sqlite))
            {
                foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(
                    migration.Sql, @"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
                {
                    var table = match.Groups[1].Value;
                    if (owners.TryGetValue(table, out var owner) && owner != migration.Module)
                    {
                        clashes.Add($"{table}: {owner} and {migration.Module}");
                    }

                    owners[table] = migration.Module;
                }
            }
        }

        owners.ShouldNotBeEmpty();
        clashes.ShouldBeEmpty();
    }
}
