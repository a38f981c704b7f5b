package dev.botshift.schema;

/**
 * What starting the statement recording found, for the audit trail.
 *
 * @param recording true when statements are recorded from now; false when they cannot be (the rehearsal will be skipped)
 * @param detail    one line: what is recorded, or why not
 */
public record RecordingStart(boolean recording, String detail) {
}
