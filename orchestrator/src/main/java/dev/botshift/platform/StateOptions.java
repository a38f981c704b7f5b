package dev.botshift.platform;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where rollout state lives: shared by every command that reads or writes it. */
public final class StateOptions {
    @Option(names = "--state-dir", paramLabel = "<dir>", defaultValue = "${env:BOTSHIFT_STATE_DIR:-.botshift}",
            description = "Local platform: the state directory (default: ${DEFAULT-VALUE}; env BOTSHIFT_STATE_DIR).")
    Path stateDir;

    @Option(names = "--namespace", paramLabel = "<ns>", defaultValue = "${env:BOTSHIFT_NAMESPACE}",
            description = "Kubernetes platform: the namespace whose ConfigMap holds the state (env BOTSHIFT_NAMESPACE). "
                    + "Without it, the local state directory is used.")
    String namespace;

    /** Options for a namespace's state, outside the command line (the controller). */
    public static StateOptions kubernetes(String namespace) {
        StateOptions o = new StateOptions();
        o.namespace = namespace;
        o.stateDir = java.nio.file.Path.of(".botshift");
        return o;
    }

    /** Options for a local state directory, outside the command line (the demo, tests). */
    public static StateOptions local(Path dir) {
        StateOptions o = new StateOptions();
        o.stateDir = dir;
        return o;
    }

    public Path stateDir() {
        return stateDir.toAbsolutePath().normalize();
    }

    /**
     * Refuses a command that acts on this machine's processes when a namespace is given (exit 2).
     *
     * @param what         what the command does, e.g. "down stops"
     * @param onKubernetes what to do there instead
     */
    public void requireLocal(String what, String onKubernetes) {
        if (namespace() != null) {
            throw new dev.botshift.core.InvalidInputException(what + " what the local platform runs on this machine; on "
                    + "Kubernetes (namespace " + namespace() + ") " + onKubernetes + " (docs/kubernetes.md); unset "
                    + "BOTSHIFT_NAMESPACE or drop --namespace for a local app");
        }
    }

    /** Null when unset or blank: CI systems pass an unset variable as an empty string. */
    public String namespace() {
        return namespace == null || namespace.isBlank() ? null : namespace;
    }
}
