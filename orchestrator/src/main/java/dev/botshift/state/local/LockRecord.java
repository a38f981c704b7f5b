package dev.botshift.state.local;

import java.time.Instant;

/**
 * The content of {@code lock.json}.
 *
 * @param holder        who holds it, as the caller described itself (e.g. {@code deploy pid 1234 on host x})
 * @param host          the host of the holding process: a dead holder is only detectable on the same host
 * @param pid           the holding process
 * @param pidStartedAt  that process's start time in epoch ms, so a recycled pid is not mistaken for the holder (null if unknown)
 * @param pidStartTicks its start in clock ticks since boot (Linux; null if unknown): exact where the epoch time moves
 *                      with the clock ({@link dev.botshift.os.ProcessStart})
 * @param token         identifies one acquisition: renew and release act only on their own
 * @param since         when it was taken
 * @param expiresAt     when others may take it over unless renewed
 */
record LockRecord(String holder, String host, long pid, Long pidStartedAt, Long pidStartTicks, String token, Instant since,
                  Instant expiresAt) {

    LockRecord renewedUntil(Instant newExpiry) {
        return new LockRecord(holder, host, pid, pidStartedAt, pidStartTicks, token, since, newExpiry);
    }
}
