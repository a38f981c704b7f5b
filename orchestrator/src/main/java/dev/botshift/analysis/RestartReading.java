package dev.botshift.analysis;

import java.util.List;

/** What the platform says about the restarts of a colour's bots. */
public sealed interface RestartReading {
    /**
     * @param units one per restartable part of the colour (a pod's container, a local bot instance)
     * @param unit  what one is called, for messages ({@code container}, {@code instance})
     */
    record Counted(List<Restarts> units, String unit) implements RestartReading {
        public Counted {
            units = List.copyOf(units);
        }
    }

    /** the platform could not be asked */
    record Unreachable(String why) implements RestartReading { }
}
