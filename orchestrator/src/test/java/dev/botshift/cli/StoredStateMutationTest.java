package dev.botshift.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.botshift.core.BotshiftException;
import dev.botshift.plan.Approval;
import dev.botshift.platform.RolloutSession;
import dev.botshift.rollout.RolloutState;
import dev.botshift.rollout.RolloutStateCodec;
import dev.botshift.rollout.Until;
import dev.botshift.testing.FakePorts;
import dev.botshift.testing.TestPlans;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A stored rollout that parses but lacks what every rollout has (a hand edit, another version, a half-restored
 * backup) is refused when read, naming what is missing (exit 2), and never crashes what shows it: before, a state
 * without its {@code split}, a phase change without its {@code from} or a rehearsal without its result was read, and
 * {@code status} ended with "unexpected internal error" (exit 1; found by mutating a real state, eight places).
 * The mutations are seeded: a failure names its seed and mutation.
 */
class StoredStateMutationTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode[] VALUES = {NullNode.instance, TextNode.valueOf(""), TextNode.valueOf("x"),
            IntNode.valueOf(-1), IntNode.valueOf(0), IntNode.valueOf(101), BooleanNode.TRUE, JSON.createArrayNode(),
            JSON.createObjectNode(), TextNode.valueOf("1970-01-01T00:00:00Z"), TextNode.valueOf("SHIFTING"),
            TextNode.valueOf("A")};
    private static JsonNode stored;

    /** A real rollout's state: v1 then v2 of the in-memory platform, to the end (21 events). */
    @BeforeAll
    static void aRealState() throws Exception {
        FakePorts ports = new FakePorts();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (String release : List.of("1.0.0", "2.0.0")) {
            new RolloutSession(TestPlans.plan("bot", release, Approval.NONE), ports.factory(), Map.of(), quiet,
                    ports.clock, ports.pauser(() -> { })).run(RolloutSession.Mode.DEPLOY, null, Until.END);
        }
        stored = JSON.readTree(RolloutStateCodec.encode(ports.store.state("bot")));
    }

    @Test
    void whatARolloutCannotBeWithoutIsNamedWhenRead() {
        ObjectNode noSplit = stored.deepCopy();
        noSplit.remove("split");
        assertThatThrownBy(() -> RolloutStateCodec.decode(noSplit.toString())).isInstanceOf(BotshiftException.class)
                .hasMessageStartingWith("the stored rollout state cannot be read (it has no split): ");

        ObjectNode noFrom = stored.deepCopy();
        int change = phaseChange(noFrom);
        ((ObjectNode) noFrom.path("history").get(change)).putNull("from");
        assertThatThrownBy(() -> RolloutStateCodec.decode(noFrom.toString()))
                .hasMessageStartingWith("the stored rollout state cannot be read (it has no history[" + change
                        + "].from): ");
    }

    @Test
    void aMutatedStateIsShownOrRefusedNeverACrash() {
        Map<String, Throwable> crashes = new LinkedHashMap<>();
        Random random = new Random(20261207);
        int shown = 0;
        for (int i = 0; i < 3_000; i++) {
            JsonNode doc = stored.deepCopy();
            String mutations = mutate(doc, random) + mutate(doc, random);
            try {
                RolloutState s = RolloutStateCodec.decode(doc.toString());
                StatusView.table(s, Instant.now());
                StatusView.json(s);
                OutcomeReport.print(s, 0, Output.text, new PrintStream(OutputStream.nullOutputStream()));
                shown++;
            } catch (BotshiftException refused) {
                // exit 2, naming what is wrong
            } catch (RuntimeException crash) {
                crashes.putIfAbsent(String.valueOf(crash.getStackTrace()[0]), new AssertionError(
                        "mutation " + i + " (" + mutations + ")", crash));
            }
        }
        assertThat(crashes.values()).as("crashes").isEmpty();
        assertThat(shown).as("mutations that still make a rollout to show").isGreaterThan(150);
    }

    private static int phaseChange(JsonNode doc) {
        ArrayNode history = (ArrayNode) doc.path("history");
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).path("type").asText().equals("PhaseChanged")) {
                return i;
            }
        }
        throw new AssertionError("no phase change in " + doc);
    }

    /** Sets one field or element anywhere in the document to an odd value, or removes it; says which. */
    private static String mutate(JsonNode root, Random random) {
        List<Object[]> places = new ArrayList<>();
        collect(root, "", places);
        Object[] place = places.get(random.nextInt(places.size()));
        JsonNode value = VALUES[random.nextInt(VALUES.length)];
        boolean remove = random.nextInt(4) == 0;
        if (place[0] instanceof ObjectNode o) {
            if (remove) {
                o.remove((String) place[1]);
            } else {
                o.set((String) place[1], value);
            }
        } else if (place[0] instanceof ArrayNode a) {
            if (remove) {
                a.remove((Integer) place[1]);
            } else {
                a.set((Integer) place[1], value);
            }
        }
        return place[2] + (remove ? " removed; " : " = " + value + "; ");
    }

    private static void collect(JsonNode node, String path, List<Object[]> places) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(f -> {
                places.add(new Object[] {o, f, path + "." + f});
                collect(o.get(f), path + "." + f, places);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                places.add(new Object[] {a, i, path + "[" + i + "]"});
                collect(a.get(i), path + "[" + i + "]", places);
            }
        }
    }
}
