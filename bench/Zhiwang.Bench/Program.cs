using BenchmarkDotNet.Running;
using Zhiwang.Bench.Linkage;
using Zhiwang.Bench.Synthetic;

// `generate` is one timed end-to-end run of the synthetic city generator, not a BenchmarkDotNet benchmark:
//   dotnet run -c Release --project bench/Zhiwang.Bench -- generate --persons 1000000 --out /tmp/sz1m
if (args.Length > 0 && args[0] == "generate")
{
    return await GenerateThroughput.RunAsync(args[1..]);
}

// `linkage-accuracy` runs the linkage engine on the FEBRL data sets and scores it against their truth:
//   dotnet run -c Release --project bench/Zhiwang.Bench -- linkage-accuracy
if (args.Length > 0 && args[0] == "linkage-accuracy")
{
    return LinkageAccuracy.Run(args[1..]);
}

// `linkage-scale` links the person records of synthetic cities of growing size and reports time, memory and accuracy;
// `linkage-incremental` links held-out records one at a time into N loaded ones (docs/LINKAGE.md):
//   dotnet run -c Release --project bench/Zhiwang.Bench -- linkage-scale --persons 100000,1000000
//   dotnet run -c Release --project bench/Zhiwang.Bench -- linkage-incremental --persons 1000000 --held-out 10000
if (args.Length > 0 && args[0] is "linkage-scale" or "linkage-incremental")
{
    return args[0] == "linkage-scale" ? await LinkageScale.RunAsync(args[1..]) : await LinkageIncremental.RunAsync(args[1..]);
}

// `hub-accuracy` imports a synthetic city's extracts through the hub and scores the links against its truth:
//   dotnet run -c Release --project bench/Zhiwang.Bench -- hub-accuracy --persons 20000 [--out D] [--db CONN]
if (args.Length > 0 && args[0] == "hub-accuracy")
{
    return await Zhiwang.Bench.Hub.HubAccuracy.RunAsync(args[1..]);
}

// `hub-incremental` submits records one at a time to a warm hub holding a city's golden records and prints the latency:
//   dotnet run -c Release --project bench/Zhiwang.Bench -- hub-incremental --persons 100000 [--records 2000] [--db CONN]
if (args.Length > 0 && args[0] == "hub-incremental")
{
    return await Zhiwang.Bench.Hub.HubIncremental.RunAsync(args[1..]);
}

// `intake` reads, validates and cleanses a synthetic city's extracts with no database and prints rows/s per feed:
//   dotnet run -c Release --project bench/Zhiwang.Bench -- intake --persons 100000
if (args.Length > 0 && args[0] == "intake")
{
    return await Zhiwang.Bench.Intake.IntakeThroughput.RunAsync(args[1..]);
}

// `events-intake` offers reports over HTTP at a fixed rate to the real server (a child process) on PostgreSQL, then checks
// every acknowledged one is stored and dispatched once; `events-sweep` times the deadline sweep with many events stored;
// `events-crash` kills the server mid-load and checks nothing acknowledged is lost or doubled (Events/):
//   dotnet run -c Release --project bench/Zhiwang.Bench -- events-intake --db CONN --rate 1000 --seconds 600 [--concurrency 64] [--preload 0]
//   dotnet run -c Release --project bench/Zhiwang.Bench -- events-sweep --db CONN [--preload 10000000] [--due 1000]
//   dotnet run -c Release --project bench/Zhiwang.Bench -- events-crash --db CONN --rate 500 --seconds 60 --kills 3
if (args.Length > 0 && args[0] is "events-intake" or "events-sweep" or "events-crash")
{
    return args[0] switch
    {
        "events-intake" => await Zhiwang.Bench.Events.EventsIntakeBench.RunAsync(args[1..]),
        "events-sweep" => await Zhiwang.Bench.Events.EventsSweepBench.RunAsync(args[1..]),
        _ => await Zhiwang.Bench.Events.EventsCrashBench.RunAsync(args[1..]),
    };
}

// Every benchmark class in this assembly, chosen with --filter, e.g.
//   dotnet run -c Release --project bench/Zhiwang.Bench -- --filter '*GridLocator*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
