using Microsoft.Extensions.Configuration;

namespace CarrierReports.Reports.AsrPerRoute;

/// <summary>Display names of carriers, from the <c>Carriers</c> settings section (<c>"Carriers": { "544": "Acme Telecom" }</c>).</summary>
public static class CarrierNames
{
    public const string Section = "Carriers";

    public static string Lookup(IConfiguration configuration, string carrier) =>
        configuration.GetSection(Section)[carrier] is { Length: > 0 } name ? name : carrier;
}
