using CarrierReports.Access;
using CarrierReports.Reports;
using CarrierReports.Subscriptions;
using Microsoft.Extensions.Configuration;

namespace CarrierReports.WebConsole.Reports;

/// <summary>A carrier the picker offers: its id and display name (<see cref="CarrierNames"/>).</summary>
public sealed record CarrierChoice(string Id, string Name)
{
    public string Label => Name == Id ? Id : $"{Name} ({Id})";
}

/// <summary>
/// The carriers a person may pick: exactly their scope when they have one (so no other carrier is even named), else
/// every carrier with a configured name or a subscription.
/// </summary>
public sealed class CarrierChoices(IConfiguration configuration, SubscriptionCatalog catalog)
{
    public async Task<IReadOnlyList<CarrierChoice>> ForAsync(Actor actor, CancellationToken cancellationToken)
    {
        IEnumerable<string> ids = actor.Scope.IsAll
            ? configuration.GetSection(CarrierNames.Section).GetChildren().Select(c => c.Key)
                .Concat((await catalog.LoadAsync(cancellationToken)).Select(s => s.Carrier))
            : actor.Scope.Carriers;
        return [.. ids.Distinct(StringComparer.Ordinal)
            .Select(id => new CarrierChoice(id, CarrierNames.Lookup(configuration, id)))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id, StringComparer.Ordinal)];
    }
}
