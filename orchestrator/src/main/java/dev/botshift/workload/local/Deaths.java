package dev.botshift.workload.local;

/**
 * The deaths of the instances at one place among a colour's replicas while it ran one release: each a restart, as
 * Kubernetes counts a container's (the guard starts the instance again).
 *
 * @param times how many died there
 * @param how   how the last one ended, in a few words ({@code killed by signal 9}, {@code exit code 1}); null when
 *              none died
 */
public record Deaths(int times, String how) {
    static final Deaths NONE = new Deaths(0, null);

    Deaths oneMore(String how) {
        return new Deaths(times + 1, how);
    }
}
