using System.ComponentModel.DataAnnotations;
using CarrierReports.Audit;
using CarrierReports.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CarrierReports.Identity;

public static class IdentitySetup
{
    /// <summary>Local accounts, password sign-in with lockout, and API keys, in the service database (with the audit trail their changes write to).</summary>
    public static IServiceCollection AddIdentityStore(this IServiceCollection services)
    {
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountOptions>, DataAnnotationsValidator<AccountOptions>>();
        services.TryAddSingleton<IPasswordHasher<UserAccount>, PasswordHasher<UserAccount>>();
        services.AddAudit();
        services.AddSingleton<IdentitySchema>();
        services.AddSingleton<ISchemaPart>(s => s.GetRequiredService<IdentitySchema>());
        services.AddSingleton<UserStore>();
        services.AddSingleton<PasswordSignIn>();
        services.AddSingleton<ApiKeyStore>();
        return services;
    }
}

/// <summary>
/// Checks an options object's DataAnnotations and reports each failure as its own message, which already names the
/// setting; the stock validator wraps them in a sentence about the type and the member.
/// </summary>
public sealed class DataAnnotationsValidator<T> : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(results.Select(r => r.ErrorMessage ?? string.Join(',', r.MemberNames)));
    }
}
