package dev.botshift.analysis;

import dev.botshift.core.Colour;

/** The metrics seam: cumulative requests and errors of a colour. */
public interface MetricsProvider {

    Observation observe(Colour colour);

    /** The type name used in plan files. */
    String type();
}
