using BenchmarkDotNet.Running;
using Zhiwang.Bench.Synthetic;

// `generate` is one timed end-to-end run of the synthetic city generator, not a BenchmarkDotNet benchmark:
//   dotnet run -c Release --project bench/Zhiwang.Bench -- generate --persons 1000000 --out /tmp/sz1m
if (args.Length > 0 && args[0] == "generate")
{
    return await GenerateThroughput.RunAsync(args[1..]);
}

// Every benchmark class in this assembly, chosen with --filter, e.g.
//   dotnet run -c Release --project bench/Zhiwang.Bench -- --filter '*GridLocator*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
