package dev.botshift.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.function.Supplier;

/**
 * Read-modify-write against the API server: an update carries the resourceVersion it read, a 409 means someone
 * else wrote in between, and the whole read-modify-write is run again on fresh data.
 */
public final class Conflicts {
    /** enough for a few concurrent writers (controllers touching status); more means something is fighting us */
    public static final int ATTEMPTS = 5;

    private Conflicts() {
    }

    public static <T> T retry(Supplier<T> readModifyWrite) {
        KubernetesClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return readModifyWrite.get();
            } catch (KubernetesClientException e) {
                if (!isConflict(e)) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    public static boolean isConflict(KubernetesClientException e) {
        return e.getCode() == HttpURLConnection.HTTP_CONFLICT;
    }

    public static boolean isNotFound(KubernetesClientException e) {
        return e.getCode() == HttpURLConnection.HTTP_NOT_FOUND;
    }
}
