using CarrierReports;
using CarrierReports.Benchmarks;

const string usage = "usage: dotnet run -c Release --project tests/CarrierReports.Benchmarks -- aggregation|render|render-profile|process|load|api [options]";
if (args.Length == 0 || args[0] is not ("aggregation" or "render" or "render-case" or "render-profile" or "process" or "load" or "api"))
{
    Console.Error.WriteLine(usage);
    Console.Error.WriteLine();
    Console.Error.WriteLine(BenchOptions.Usage);
    Console.Error.WriteLine(RenderBenchmark.Usage);
    Console.Error.WriteLine(LoadOptions.Usage);
    Console.Error.WriteLine(ApiOptions.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

if (args[0] == "render")
{
    return await RenderBenchmark.RunAllAsync(args[1..], cancel.Token);
}

if (args[0] == "render-profile")
{
    return await RenderProfile.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), cancel.Token);
}

if (args[0] == "render-case")
{
    return await RenderBenchmark.RunCaseAsync(args[1], args[2], int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture), cancel.Token);
}

try
{
    if (args[0] == "api")
    {
        return await ApiBenchmark.RunAsync(ApiOptions.Parse(args[1..], Environment.GetEnvironmentVariable(ApiOptions.ConnectionVariable)), cancel.Token);
    }

    if (args[0] == "process")
    {
        return await ProcessBenchmark.RunAsync(args[1..], cancel.Token);
    }

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
    Console.Error.WriteLine(args[0] switch { "load" => LoadOptions.Usage, "api" => ApiOptions.Usage, _ => BenchOptions.Usage });
    return 2;
}
