package dev.botshift.rollout;

import dev.botshift.core.Colour;
import dev.botshift.core.Weights;
import dev.botshift.schema.SchemaPhase;

/**
 * What the decider asks the runner to do. Every effect is idempotent: after a crash the runner may run it again.
 */
public sealed interface Effect {
    String describe();

    record ApplySchema(SchemaPhase phase) implements Effect {
        public String describe() {
            return phase.label();
        }
    }

    record StartColour(Colour colour, String version, int replicas) implements Effect {
        public String describe() {
            return "start " + colour.label() + " " + version + " x" + replicas;
        }
    }

    record StopColour(Colour colour) implements Effect {
        public String describe() {
            return "stop " + colour.label();
        }
    }

    record SetWeights(Weights weights) implements Effect {
        public String describe() {
            return "set weights " + weights;
        }
    }
}
