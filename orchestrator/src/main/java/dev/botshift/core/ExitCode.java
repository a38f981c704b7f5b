package dev.botshift.core;

/** Process exit codes: pipelines branch on these numbers, so they never change meaning. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int INVALID_INPUT = 2;
    public static final int ROLLED_BACK = 3;
    public static final int WAITING_AT_GATE = 4;
    public static final int LOCKED = 5;
    public static final int TIMED_OUT = 6;
    /**
     * The rollout stopped for a human (phase FAILED: an expand, a contract or an effect failed, the contract rehearsal
     * refused the contract, green failed after the contract); resume retries.
     */
    public static final int FAILED = 7;

    private ExitCode() {
    }
}
