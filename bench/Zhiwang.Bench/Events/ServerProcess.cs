using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Zhiwang.Bench.Events;

/// <summary>
/// The real server (<c>Zhiwang.Server.dll</c>, Release) as a child process on PostgreSQL, with its output in a log file.
/// A child rather than an in-process host, so a kill is a real <c>kill -9</c>: no finally block, no flush, no graceful stop.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private bool _logClosed;
    private bool _disposed;

    private ServerProcess(Process process, StreamWriter log, Uri address)
    {
        _process = process;
        _log = log;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The server's Release build: <paramref name="given"/>, else <c>src/Zhiwang.Server/bin/Release/net10.0/Zhiwang.Server.dll</c>
    /// of the checkout this bench runs from.
    /// </summary>
    public static string Locate(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new FileNotFoundException($"no server at {given}");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Zhiwang.slnx")))
            {
                var dll = Path.Combine(directory.FullName, "src", "Zhiwang.Server", "bin", "Release", "net10.0", "Zhiwang.Server.dll");
                return File.Exists(dll)
                    ? dll
                    : throw new FileNotFoundException($"no server at {dll}: build it first with `dotnet build -c Release src/Zhiwang.Server`");
            }
        }

        throw new FileNotFoundException("cannot find the checkout (Zhiwang.slnx) above the bench; name the server with --server PATH");
    }

    /// <summary>Starts the server on <paramref name="port"/> and returns once <c>/health</c> answers 200.</summary>
    /// <param name="settings">More environment settings, e.g. <c>Zhiwang__Events__Sweep__Interval</c>.</param>
    public static async Task<ServerProcess> StartAsync(
        string dll, string connectionString, int port, string logPath, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{port}");
        EnsurePortFree(port);
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        // On the command line: appsettings.json's Urls would win over ASPNETCORE_URLS.
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.ToString());
        start.Environment["ConnectionStrings__Zhiwang"] = connectionString;
        start.Environment["Zhiwang__Demo__Enabled"] = "false";
        start.Environment["Zhiwang__DataDirectory"] = Path.Combine(Path.GetTempPath(), "zhiwang-evbench-data");
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerProcess(process, log, address);
        server.Write($"--- server pid {process.Id} started");
        process.OutputDataReceived += (_, e) => server.Write(e.Data);
        process.ErrorDataReceived += (_, e) => server.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitReadyAsync(logPath, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>The most memory the process has held (VmHWM), in bytes; 0 once it is gone.</summary>
    public long PeakResidentBytes()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // Exited between the check and the read.
        }

        return 0;
    }

    /// <summary>SIGKILL: the process ends at once, whatever it was doing.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
        Write($"--- server pid {_process.Id} killed (SIGKILL)");
    }

    /// <summary>SIGTERM, as a service manager stops it: the host drains and stops; SIGKILL after 30 s.</summary>
    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        Write($"--- server pid {_process.Id} stopped (exit {_process.ExitCode})");
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        lock (_logLock)
        {
            _logClosed = true;
            _log.Dispose();
        }
    }

    private async Task WaitReadyAsync(string logPath, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} while starting; see {logPath}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException($"the server did not answer /health within 120 s; see {logPath}");
    }

    /// <summary>Another process answering on the port would pass for this server's health check.</summary>
    private static void EnsurePortFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"port {port} is in use ({e.SocketErrorCode}); choose another with --port", e);
        }
        finally
        {
            listener.Stop();
        }
    }

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            if (!_logClosed)
            {
                _log.WriteLine(line);
            }
        }
    }
}
