package dev.botshift.demo;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;

/** Why a delivery was not acknowledged, in a few words: the chat platform counts failures by it. */
final class DeliveryFailure {
    private DeliveryFailure() {
    }

    /** "HTTP 502", "timeout", "connection refused", or the exception's class and message for anything else. */
    static String cause(HttpResponse<?> response, Throwable error) {
        if (error == null) {
            return "HTTP " + response.statusCode();
        }
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
