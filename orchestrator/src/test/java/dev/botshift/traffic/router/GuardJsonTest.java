package dev.botshift.traffic.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.traffic.GreenGuard;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The guard's JSON: what it stores is what it reads back; an older Botshift's guard; a bad rate refused by name. */
class GuardJsonTest {
    static final RouterConfig BASE = new RouterConfig(new Weights(75, 25), Map.of(), null, null, null);
    static final GreenGuard GUARD = new GreenGuard(Slot.B, "run-1", GuardWatchTest.AT_ONE_PERCENT, 0.05);

    @Test
    void aStoredGuardReadsBackWithTheRateAtWhichBlueFailsToo() {
        ObjectNode json = GuardJson.toJson(GUARD, null);
        assertThat(GuardJson.merge(json, "config.json", BASE).armedGuard()).isEqualTo(GUARD);
    }

    @Test
    void aGuardStoredByAnOlderBotshiftNeverHolds() {
        ObjectNode json = GuardJson.toJson(GUARD, null);
        json.remove("blueFailingAbove");
        assertThat(GuardJson.merge(json, "config.json", BASE).armedGuard().blueFailingAbove()).isEqualTo(1.0);
    }

    @Test
    void aRateOutsideZeroToOneIsRefusedByName() {
        for (double bad : new double[] {0, -0.1, 1.5}) {
            ObjectNode json = GuardJson.toJson(GUARD, null).put("blueFailingAbove", bad);
            assertThatThrownBy(() -> GuardJson.merge(json, "config.json", BASE))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("config.json: field guard.blueFailingAbove must be a rate in (0, 1]");
        }
        ObjectNode text = GuardJson.toJson(GUARD, null).put("blueFailingAbove", "high");
        assertThatThrownBy(() -> GuardJson.merge(text, "config.json", BASE)).isInstanceOf(InvalidInputException.class)
                .hasMessage("config.json: field guard.blueFailingAbove must be a number");
    }
}
