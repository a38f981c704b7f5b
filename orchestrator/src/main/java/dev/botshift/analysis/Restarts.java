package dev.botshift.analysis;

/**
 * One restartable part of green, as the platform reports it: a container of a pod (Kubernetes, from its status) or a
 * bot instance (the local platform, whose guard starts a dead one again).
 *
 * @param key     what its baseline is kept under (stable while the part lives)
 * @param what    how messages name it ({@code pod bot-b-1 container bot}, {@code instance #1})
 * @param count   how often it restarted
 * @param lastEnd why it last ended ({@code OOMKilled}, {@code Error}, {@code killed by signal 9}…), null when it never did
 */
public record Restarts(String key, String what, int count, String lastEnd) {
    public static final String OOM_KILLED = "OOMKilled";

    /** A container of a pod: its key {@code pod/container}. */
    public static Restarts container(String pod, String container, int count, String lastEnd) {
        return new Restarts(pod + "/" + container, "pod " + pod + " container " + container, count, lastEnd);
    }

    /** A local bot instance, by its place among the colour's replicas (a replacement takes the same place). */
    public static Restarts instance(int index, int count, String lastEnd) {
        return new Restarts("#" + index, "instance #" + index, count, lastEnd);
    }
}
