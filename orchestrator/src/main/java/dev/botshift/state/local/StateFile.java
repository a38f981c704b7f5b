package dev.botshift.state.local;

import java.time.Instant;

/**
 * The content of {@code state.json}. The rollout's document is kept as an opaque string so the store never depends on
 * its shape ({@code jq -r .document state.json} shows it).
 *
 * @param version    a counter, incremented on every write; the compare-and-set token
 * @param updatedAt  when it was written
 * @param document   the caller's JSON, verbatim
 */
record StateFile(long version, Instant updatedAt, String document) {
}
