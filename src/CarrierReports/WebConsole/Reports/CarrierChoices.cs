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
public sealed class CarrierChoices(IConfiguration configuration, SubscriptionStore store)
{
    public async Task<IReadOnlyList<CarrierChoice>> ForAsync(Actor actor, CancellationToken cancellationToken)
    {
        IEnumerable<string> ids = actor.Scope.IsAll
            ? configuration.GetSection(CarrierNames.Section).GetChildren().Select(c => c.Key)
                // The carrier column answers this without loading and validating every subscription (0.7 s at 10,000).
                .Concat(await store.CarriersAsync(CarrierScope.All, cancellationToken))
            : actor.Scope.Carriers;
        return [.. ids.Distinct(StringComparer.Ordinal)
            .Select(id => new CarrierChoice(id, CarrierNames.Lookup(configuration, id)))
            .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.Id, StringComparer.Ordinal)];
    }
}
