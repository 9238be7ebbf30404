using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Zhiwang.Server.Tests.Access;

/// <summary>The real host, unchanged, with its data in a temporary directory and a small demo city.</summary>
public sealed class AccessAppFactory : WebApplicationFactory<Program>
{
    private readonly DirectoryInfo _dataDirectory = Directory.CreateTempSubdirectory("zhiwang-access-tests-");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Zhiwang:DataDirectory", _dataDirectory.FullName);
        builder.UseSetting("Zhiwang:Demo:Persons", "2000");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            _dataDirectory.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held open leaves the directory to the OS's temp cleaner.
        }
    }
}
