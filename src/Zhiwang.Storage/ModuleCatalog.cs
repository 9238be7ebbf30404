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
            Assembly assembly;
            try
            {
                assembly = Assembly.Load(AssemblyName.GetAssemblyName(file));
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                // A file beside the host that is not part of this application (a test assembly next to
                // the server it tests, say) carries no module of ours.
                continue;
            }

            if (assembly.GetManifestResourceNames().Any(name => name.StartsWith("Sql/", StringComparison.Ordinal)))
            {
                modules.Add(assembly);
            }
        }

        return modules;
    }
}
