namespace CarrierReports.Runs;

/// <summary>Where a run stops for a fault-injection test. See <see cref="TestFaultOptions"/>.</summary>
public enum TestFaultPoint
{
    /// <summary>Never stop (the default).</summary>
    None,

    /// <summary>After the files are rendered, archived and recorded, before any mail is sent.</summary>
    AfterRender,

    /// <summary>After the SMTP server accepted the mails, before the deliveries are recorded in the ledger.</summary>
    AfterSend,
}

/// <summary>
/// A test seam, section <c>TestFaults</c>; off unless <c>TestFaults:PauseAt</c> is set. It exists because the crash
/// tests must kill a node at an exact point of a run (after rendering, or in the window after sending and before the
/// ledger records it), which no amount of sleeping hits reliably. When the run reaches <see cref="PauseAt"/>, it
/// writes <see cref="PauseFile"/> (run id and period) and waits until that file is deleted or
/// <see cref="PauseTimeout"/> has passed; the test waits for the file and kills the process. Only the first run of a
/// process that reaches the point pauses. Never set it in production: a paused run delays its period. It is honoured
/// only in a process whose environment has <c>CARRIERREPORTS_ENABLE_TEST_FAULTS=1</c> (the cluster tests set it for
/// their nodes); without it, a configured section is an error at start, so a stray setting cannot pause production runs.
/// </summary>
public sealed class TestFaultOptions
{
    public const string Section = "TestFaults";

    /// <summary>The environment variable that switches the seam on; only the value <c>1</c> counts.</summary>
    public const string EnableVariable = "CARRIERREPORTS_ENABLE_TEST_FAULTS";

    /// <summary>True when this process was started with the test-only switch.</summary>
    public static bool EnabledInProcess => Environment.GetEnvironmentVariable(EnableVariable) == "1";

    /// <summary>True when any setting of the section differs from its default.</summary>
    public bool IsConfigured => PauseAt != TestFaultPoint.None || PauseFile is not null;

    public TestFaultPoint PauseAt { get; set; } = TestFaultPoint.None;

    /// <summary>The marker file written when the run pauses. Required when <see cref="PauseAt"/> is set.</summary>
    public string? PauseFile { get; set; }

    /// <summary>The longest pause; afterwards the run carries on. Default 2 minutes.</summary>
    public TimeSpan PauseTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
