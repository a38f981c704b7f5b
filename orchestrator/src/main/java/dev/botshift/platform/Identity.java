package dev.botshift.platform;

import java.net.InetAddress;

/** Who is acting, for lock holders and the audit trail. */
public final class Identity {
    private Identity() {
    }

    /** The CI actor or the OS user, at this host. */
    public static String who() {
        String ci = System.getenv("GITHUB_ACTOR") != null ? System.getenv("GITHUB_ACTOR") : System.getenv("BUILD_USER_ID");
        return (ci != null ? ci : System.getProperty("user.name", "someone")) + "@" + host();
    }

    public static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown-host";
        }
    }
}
