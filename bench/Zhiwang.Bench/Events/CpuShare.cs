using System.Diagnostics;
using System.Globalization;

namespace Zhiwang.Bench.Events;

/// <summary>
/// Where the machine's CPU went during a run, in cores: the server, this load generator, PostgreSQL (every process
/// named <c>postgres</c>: backends, WAL writer, checkpointer, autovacuum), what stayed idle, and what the hypervisor
/// took (steal). On two cores shared by all three, this says who the latency competes with. Read from <c>/proc</c>
/// (Linux); elsewhere it says it cannot tell.
/// </summary>
public sealed class CpuShare
{
    // /proc reports CPU time in clock ticks of 1/100 s on Linux (USER_HZ).
    private const double TicksPerSecond = 100;

    private readonly int _serverId;
    private readonly long _startedAt;
    private readonly Sample _start;

    private CpuShare(int serverId)
    {
        _serverId = serverId;
        _startedAt = Stopwatch.GetTimestamp();
        _start = Read(serverId);
    }

    /// <summary>Starts counting now, for the server process <paramref name="serverId"/>.</summary>
    public static CpuShare Start(int serverId) => new(serverId);

    /// <summary>The share since <see cref="Start"/>, as one line.</summary>
    public string Line()
    {
        if (!File.Exists("/proc/stat"))
        {
            return "CPU by process: not measured (no /proc on this system)";
        }

        var end = Read(_serverId);
        var seconds = Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;
        double Cores(long ticks) => ticks / TicksPerSecond / seconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU over the run, in cores of {Environment.ProcessorCount}: server {Cores(end.Server - _start.Server):F2}, "
            + $"load generator {Cores(end.LoadGenerator - _start.LoadGenerator):F2}, PostgreSQL {Cores(end.PostgreSql - _start.PostgreSql):F2}, "
            + $"idle {Cores(end.Idle - _start.Idle):F2}, stolen by the hypervisor {Cores(end.Steal - _start.Steal):F2}");
    }

    private static Sample Read(int serverId)
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        // "cpu  user nice system idle iowait irq softirq steal …": idle counts iowait too.
        var total = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var idle = long.Parse(total[4], CultureInfo.InvariantCulture) + long.Parse(total[5], CultureInfo.InvariantCulture);
        var steal = long.Parse(total[8], CultureInfo.InvariantCulture);
        long postgres = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            // With the time of the backends that already ended (a pooled connection closed), which the postmaster
            // collected as its children's: without it, a backend that ended during the run would take its CPU along.
            if (int.TryParse(Path.GetFileName(directory), out var id) && ProcessTicks(id, withEndedChildren: true) is { Name: "postgres" } process)
            {
                postgres += process.Ticks;
            }
        }

        return new Sample(
            ProcessTicks(serverId)?.Ticks ?? 0, ProcessTicks(Environment.ProcessId)?.Ticks ?? 0, postgres, idle, steal);
    }

    /// <summary>A process's name and its user plus system time (and its ended children's), or null once it has gone.</summary>
    private static (string Name, long Ticks)? ProcessTicks(int id, bool withEndedChildren = false)
    {
        try
        {
            // "pid (name) state ppid …": the name may hold spaces, so the fields are counted after its closing bracket.
            var stat = File.ReadAllText($"/proc/{id}/stat");
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            // utime, stime, cutime and cstime are fields 14 to 17 of the whole line, 12 to 15 after "pid (name) ".
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (withEndedChildren)
            {
                ticks += long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }

            return (stat[(open + 1)..close], ticks);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private readonly record struct Sample(long Server, long LoadGenerator, long PostgreSql, long Idle, long Steal);
}
