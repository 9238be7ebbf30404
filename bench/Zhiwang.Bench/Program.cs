using BenchmarkDotNet.Running;

// Every benchmark class in this assembly, chosen with --filter, e.g.
//   dotnet run -c Release --project bench/Zhiwang.Bench -- --filter '*GridLocator*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
