package dev.botshift.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What the custom checks and the resource signals carry from one interval to the next; kept in the rollout state
 * for the whole rollout (a new step does not reset it: a ratio does not depend on green's share).
 *
 * @param windows          per counter check (by name), where its window started
 * @param restartBaselines per container ({@code pod/container}), its restart count when green was first judged:
 *                         restarts while green was starting are the readiness deadline's business; null until
 *                         the first reading
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckMemory(Map<String, CheckWindow> windows, Map<String, Integer> restartBaselines) {
    public static final CheckMemory EMPTY = new CheckMemory(Map.of(), null);

    public CheckMemory {
        windows = windows == null ? Map.of() : Map.copyOf(windows);
        restartBaselines = restartBaselines == null ? null : Map.copyOf(restartBaselines);
    }
}
