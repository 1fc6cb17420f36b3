using Microsoft.Extensions.Options;

namespace CarrierReports.Settings;

/// <summary>Collects every failure of a cross-field settings check, so one start-up reports them all.</summary>
public sealed class SettingErrors
{
    private readonly List<string> _errors = [];

    public void Add(string error) => _errors.Add(error);

    /// <summary>Runs a check that throws <see cref="InputException"/> (which already names the setting) and keeps its message.</summary>
    public void Check(Action check)
    {
        try
        {
            check();
        }
        catch (InputException ex)
        {
            _errors.Add(ex.Message);
        }
    }

    public ValidateOptionsResult Result() => _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);
}
