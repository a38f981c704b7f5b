package dev.botshift.state;

import dev.botshift.core.BotshiftException;
import dev.botshift.core.ExitCode;
import java.time.Instant;

/** Another run holds the app's lock: exit code 5, naming the holder and since when. */
public class LockHeldException extends BotshiftException {
    private final String holder;
    private final Instant since;

    public LockHeldException(String app, String holder, Instant since) {
        super(ExitCode.LOCKED, "another run holds the lock for '" + app + "': " + holder + " since " + since);
        this.holder = holder;
        this.since = since;
    }

    public String holder() {
        return holder;
    }

    public Instant since() {
        return since;
    }
}
