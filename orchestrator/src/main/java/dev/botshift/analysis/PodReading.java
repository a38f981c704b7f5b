package dev.botshift.analysis;

import java.util.List;

/** What the platform says about the containers of a colour's pods. */
public sealed interface PodReading {
    record Containers(List<ContainerRestarts> containers) implements PodReading {
        public Containers {
            containers = List.copyOf(containers);
        }
    }

    /** the platform could not be asked */
    record Unreachable(String why) implements PodReading { }
}
