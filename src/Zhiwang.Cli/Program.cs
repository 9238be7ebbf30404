using Zhiwang.Cli;

return await ZhiwangCommand.RunAsync(args, Console.Out, Console.Error, CancellationToken.None);
