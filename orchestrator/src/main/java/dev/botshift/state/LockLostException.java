package dev.botshift.state;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;

/**
 * This run no longer holds the app's lock (it was not renewed in time and someone took it over): it must stop at once,
 * without a further state write or effect. Exit code 5, like a lock held by someone else.
 */
public class LockLostException extends BotshiftException {
    public LockLostException(String app, String why) {
        super(ExitCode.LOCKED, "lost the lock of '" + app + "': " + why + "; stopped without further effects (the new holder goes on)");
    }
}
