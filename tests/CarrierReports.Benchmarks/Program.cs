using CarrierReports;
using CarrierReports.Benchmarks;

const string usage = "usage: dotnet run -c Release --project tests/CarrierReports.Benchmarks -- aggregation|load [options]";
if (args.Length == 0 || args[0] is not ("aggregation" or "load"))
{
    Console.Error.WriteLine(usage);
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine(LoadOptions.Usage);
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
    if (args[0] == "load")
    {
        return await LoadBenchmark.RunAsync(LoadOptions.Parse(args[1..]), cancel.Token);
    }

    var options = BenchOptions.Parse(args[1..], Environment.GetEnvironmentVariable(BenchOptions.ConnectionVariable));
    return await AggregationBenchmark.RunAsync(options, cancel.Token);
}
catch (InputException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(args[0] == "load" ? LoadOptions.Usage : BenchOptions.Usage);
    return 2;
}
