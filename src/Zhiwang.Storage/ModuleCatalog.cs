using System.Reflection;

namespace Zhiwang.Storage;

/// <summary>
/// The module assemblies a host carries, found beside it as Zhiwang.*.dll. Modules never share tables
/// (they reach each other through contracts), so their migrations are independent and a new module is
/// picked up without anyone listing it.
/// </summary>
public static class ModuleCatalog
{
    public static IReadOnlyList<Assembly> Modules(string? directory = null)
    {
        var modules = new List<Assembly>();
        foreach (var file in Directory.EnumerateFiles(directory ?? AppContext.BaseDirectory, "Zhiwang.*.dll").Order(StringComparer.Ordinal))
        {
            var assembly = Assembly.Load(AssemblyName.GetAssemblyName(file));
            if (assembly.GetManifestResourceNames().Any(name => name.StartsWith("Sql/", StringComparison.Ordinal)))
            {
                modules.Add(assembly);
            }
        }

        return modules;
    }
}
