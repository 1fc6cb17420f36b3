namespace CarrierReports.Cli;

/// <summary>What every command returns: scripts and monitoring read these.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
}
