using CarrierReports.Settings;
using Microsoft.Extensions.Options;

namespace CarrierReports.Runs;

/// <summary>The test-only seam is refused unless the process was started with its switch (see <see cref="TestFaultOptions"/>).</summary>
public sealed class TestFaultOptionsValidator : IValidateOptions<TestFaultOptions>
{
    public ValidateOptionsResult Validate(string? name, TestFaultOptions options)
    {
        var errors = new SettingErrors();
        if (options.IsConfigured && !TestFaultOptions.EnabledInProcess)
        {
            errors.Add($"{TestFaultOptions.Section}:PauseAt: the {TestFaultOptions.Section} section is a test-only seam that pauses runs; remove it " +
                $"(it is honoured only when the environment variable {TestFaultOptions.EnableVariable}=1 is set, as the cluster tests do)");
        }

        return errors.Result();
    }
}
