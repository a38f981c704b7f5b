package dev.botshift.os;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLException;

/**
 * A failed network call's cause in words, the same in every message that names one (the Bot API, Prometheus):
 * "connection refused" rather than the JDK's class names.
 */
public final class NetworkFailures {
    private NetworkFailures() {
    }

    /** A refused connection, an unknown host, a timeout, a TLS failure; else what the JDK says. */
    public static String why(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof UnknownHostException || e.getCause() instanceof UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof SSLException) {
            return "TLS failed: " + e.getMessage();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
