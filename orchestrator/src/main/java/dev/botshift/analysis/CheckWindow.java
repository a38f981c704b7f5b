package dev.botshift.analysis;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a counter check's current window started, and what its last closed window concluded.
 *
 * @param green green's counters when the window opened
 * @param blue  blue's, null when blue is not read (no relative limit, first release) or had no data
 * @param last  the last closed window's result: it stands while the next window fills (a pass stays a pass; a
 *              failure is counted once and then reads as waiting), null before the first one closed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckWindow(Ratio green, Ratio blue, CheckResult last) {
}
