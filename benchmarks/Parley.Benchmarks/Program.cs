using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Parley.Benchmarks -- --filter '*' --job short
// dotnet run -c Release --project benchmarks/Parley.Benchmarks -- --cpu [invocations] [filter]   (the writer in CPU time)
if (args is ["--cpu", ..])
{
    await Parley.Benchmarks.CpuTimeRunner.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200,
        args.Length > 2 ? args[2] : "");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Parley.Benchmarks.FrameBenchmarks).Assembly).Run(args);
