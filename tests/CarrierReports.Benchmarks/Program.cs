// Benchmarks are added by the benchmark work (README, Benchmarks); until then this project only builds.
Console.Error.WriteLine("usage: dotnet run -c Release --project tests/CarrierReports.Benchmarks -- <benchmark>");
return 2;
