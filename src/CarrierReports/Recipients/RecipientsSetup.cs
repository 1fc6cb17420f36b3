using Microsoft.Extensions.DependencyInjection;

namespace CarrierReports.Recipients;

public static class RecipientsSetup
{
    /// <summary>Who receives what: the look-up behind <c>/api/v1/recipients</c> (the change itself goes through the subscription store).</summary>
    public static IServiceCollection AddRecipients(this IServiceCollection services) =>
        services.AddSingleton<RecipientDeliveries>();
}
