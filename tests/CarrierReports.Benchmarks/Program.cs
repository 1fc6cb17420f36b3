using CarrierReports;
using CarrierReports.Benchmarks;

if (args.Length == 0 || args[0] != "aggregation")
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    var options = BenchOptions.Parse(args[1..], Environment.GetEnvironmentVariable(BenchOptions.ConnectionVariable));
    return await AggregationBenchmark.RunAsync(options, cancel.Token);
}
catch (InputException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}
