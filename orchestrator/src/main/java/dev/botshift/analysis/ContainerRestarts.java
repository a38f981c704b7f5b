package dev.botshift.analysis;

/**
 * One container of one of green's pods, as its status says.
 *
 * @param pod             the pod's name
 * @param container       the container's name
 * @param restarts        its restart count
 * @param lastTermination why it last ended ({@code OOMKilled}, {@code Error}…), null when it never did
 */
public record ContainerRestarts(String pod, String container, int restarts, String lastTermination) {
    public static final String OOM_KILLED = "OOMKilled";

    /** The key its baseline is kept under. */
    String key() {
        return pod + "/" + container;
    }
}
