package dev.botshift.workload.kubernetes;

import dev.botshift.core.Slot;
import java.util.Map;

/**
 * Everything that makes one colour's Deployment.
 *
 * @param image the container image; {@code {{version}}} in it is replaced by the version, so a rollback to the
 *              other colour's version runs that version's image
 * @param env   plain (non-secret) environment from the plan; secrets belong in the template as secretKeyRef
 */
public record ColourRelease(String app, String namespace, Slot slot, String version, String image, int replicas,
                            int port, int progressDeadlineSeconds, Map<String, String> env) {
    public ColourRelease {
        image = image.replace("{{version}}", version);
    }
}
