using CarrierReports.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CarrierReports.Delivery;

public static class DeliverySetup
{
    /// <summary>Registers <see cref="MailDelivery"/> and the configured <see cref="IMailSender"/>; settings are checked at host start.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services)
    {
        services.AddSettings<MailOptions>(MailOptions.Section);
        services.AddSingleton<IValidateOptions<MailOptions>, MailOptionsValidator>();
        services.AddSingleton<IValidateOptions<MailOptions>, MailPasswordSource>();
        services.AddSingleton<SmtpMailSender>();
        services.AddSingleton<PickupFolderMailSender>();
        services.AddSingleton<IMailSender>(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value.Transport == MailTransport.Smtp
            ? sp.GetRequiredService<SmtpMailSender>()
            : sp.GetRequiredService<PickupFolderMailSender>());
        services.AddSingleton<MailDelivery>();
        return services;
    }
}
