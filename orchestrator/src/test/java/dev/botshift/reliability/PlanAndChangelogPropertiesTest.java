package dev.botshift.reliability;

import net.jqwik.api.Tag;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random mutations of the sample plans and random formatted-SQL changelogs: whatever the input, botshift answers
 * with exit code 0 or 2 and never with an internal error or a stack trace. {@code plan --no-sql} and {@code lint}
 * never touch a database, so a mutation that happens to stay valid changes nothing either.
 */
@Tag("slow") // jqwik reads its own Tag annotation; see dev.botshift.testing.Slow for why
class PlanAndChangelogPropertiesTest {
    private static final Path REPO = Path.of(System.getProperty("botshift.repo", "..")).toAbsolutePath().normalize();
    private static final List<Path> SAMPLES = List.of(REPO.resolve("examples/sentiment-bot/plan-v2.yaml"),
            REPO.resolve("examples/sentiment-bot/demo/plan-v2-faulty.yaml"), REPO.resolve("manifests/plan-kubernetes.yaml"));
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final AtomicInteger TRY = new AtomicInteger();
    private static Path dir;

    @BeforeContainer
    static void workspace() throws IOException {
        dir = Files.createTempDirectory("botshift-props");
        System.setProperty("botshift.debug", "true");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 150)
    void mutatedPlansAreAnsweredNeverCrashedOn(@ForAll("mutatedPlans") String plan) throws IOException {
        // next to the sample so its relative changelog and jar paths still resolve
        Path file = Files.write(dir.resolve("plan.yaml"), plan.getBytes(StandardCharsets.UTF_8));
        Cli.Result r = Cli.run("plan", "-f", file.toString(), "--no-sql");
        assertThat(r.exitCode()).as("%s\n---\n%s", plan, r.all()).isIn(0, 2);
        assertThat(Cli.looksLikeACrash(r.all())).as(r.all()).isFalse();
    }

    @Property(tries = 60)
    void randomChangelogsAreLintedNeverCrashedOn(@ForAll("changelogs") String changelog) throws IOException {
        // a fresh name per try: Liquibase remembers what it parsed under a path for the life of the JVM
        Path file = Files.write(dir.resolve("changelog-" + TRY.incrementAndGet() + ".sql"),
                changelog.getBytes(StandardCharsets.UTF_8));
        Cli.Result r = Cli.run("lint", file.toString());
        assertThat(r.exitCode()).as("%s\n---\n%s", changelog, r.all()).isIn(0, 2);
        assertThat(Cli.looksLikeACrash(r.all())).as(r.all()).isFalse();
    }

    @Provide
    Arbitrary<String> mutatedPlans() {
        Arbitrary<Integer> which = Arbitraries.integers().between(0, SAMPLES.size() - 1);
        Arbitrary<List<Mutation>> mutations = mutation().list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(which, mutations).as((i, ms) -> {
            try {
                ObjectNode root = (ObjectNode) YAML.readTree(SAMPLES.get(i).toFile());
                // absolute paths: the mutated plan lives elsewhere
                if (root.path("database").path("changelog").isTextual()) {
                    ((ObjectNode) root.get("database")).put("changelog",
                            SAMPLES.get(i).getParent().resolve(root.path("database").path("changelog").asText()).toString());
                }
                for (Mutation m : ms) {
                    m.apply(root);
                }
                String text = YAML.writeValueAsString(root);
                return ms.stream().anyMatch(Mutation::garble) ? garble(text, ms.get(0).seed()) : text;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** One change at a random path: delete, rename, or replace the value by a random scalar. */
    record Mutation(int kind, int seed, String scalar, boolean garble) {
        void apply(ObjectNode root) {
            List<ObjectNode> parents = new ArrayList<>();
            collect(root, parents);
            ObjectNode parent = parents.get(Math.floorMod(seed, parents.size()));
            List<String> keys = new ArrayList<>();
            parent.fieldNames().forEachRemaining(keys::add);
            if (keys.isEmpty()) {
                return;
            }
            String key = keys.get(Math.floorMod(seed / 7, keys.size()));
            switch (kind) {
                case 0 -> parent.remove(key);
                case 1 -> parent.set(key + "x" + Math.floorMod(seed, 3), parent.remove(key));
                case 2 -> parent.put(key, scalar);
                case 3 -> parent.put(key, Double.parseDouble("1e" + Math.floorMod(seed, 400)));
                case 4 -> parent.putArray(key).add(scalar).add(seed);
                default -> parent.putObject(key).put(scalar, seed);
            }
        }

        private static void collect(JsonNode node, List<ObjectNode> out) {
            if (node instanceof ObjectNode o) {
                out.add(o);
                for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                    collect(it.next().getValue(), out);
                }
            }
        }
    }

    Arbitrary<Mutation> mutation() {
        Arbitrary<String> scalars = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(12),
                Arbitraries.of("", "-1", "0", "100%", "1e309", "99999999999999999999", "${env:NOPE}", "~", "null",
                        "true", "5 minutes", "jdbc:postgresql:", "[]", "{}", "\u202e\u0000x"));
        return Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.integers(), scalars,
                Arbitraries.of(false, false, false, true)).as(Mutation::new);
    }

    /** Cuts the YAML text somewhere or drops in an odd character: malformed YAML must be refused politely too. */
    private static String garble(String text, int seed) {
        int at = Math.floorMod(seed, Math.max(1, text.length()));
        String odd = List.of(":", "\t", "[", "\"", "&a *b", "\u0000", "%", "!!binary x").get(Math.floorMod(seed, 8));
        return text.substring(0, at) + odd + text.substring(at);
    }

    @Provide
    Arbitrary<String> changelogs() {
        Arbitrary<String> ident = Arbitraries.of("messages", "users", "sentiment", "text", "order", "\"Quoted\"", "x1");
        Arbitrary<String> type = Arbitraries.of("TEXT", "INT", "BIGINT", "VARCHAR(10)", "NUMERIC(5,2)", "JSONB", "BOGUS");
        Arbitrary<String> statement = Arbitraries.oneOf(
                Combinators.combine(ident, ident, type).as((t, c, ty) -> "ALTER TABLE " + t + " ADD COLUMN " + c + " " + ty + ";"),
                Combinators.combine(ident, ident, type).as((t, c, ty) -> "ALTER TABLE " + t + " ADD COLUMN " + c + " " + ty
                        + " NOT NULL DEFAULT now();"),
                Combinators.combine(ident, ident).as((t, c) -> "ALTER TABLE " + t + " DROP COLUMN " + c + ";"),
                Combinators.combine(ident, ident, ident).as((t, a, b) -> "ALTER TABLE " + t + " RENAME COLUMN " + a + " TO " + b + ";"),
                Combinators.combine(ident, ident).as((t, c) -> "CREATE INDEX i_" + c.replace("\"", "") + " ON " + t + " (" + c + ");"),
                Combinators.combine(ident, ident).as((t, c) -> "CREATE INDEX CONCURRENTLY i ON " + t + " (" + c + ");"),
                Combinators.combine(ident, ident, type).as((t, c, ty) -> "CREATE TABLE " + t + " (" + c + " " + ty + ");"),
                ident.map(t -> "DROP TABLE " + t + ";"),
                Combinators.combine(ident, ident).as((t, c) -> "UPDATE " + t + " SET " + c + " = 1;"),
                Arbitraries.strings().all().ofMaxLength(30));
        Arbitrary<String> header = Arbitraries.of("labels:expand", "labels:contract", "", "labels:expand,contract",
                "labels:bogus", "runInTransaction:false labels:expand", "labels:");
        Arbitrary<String> changeset = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6),
                header, statement.list().ofMinSize(0).ofMaxSize(3))
                .as((id, h, sql) -> "--changeset fuzz:" + id + " " + h + "\n" + String.join("\n", sql) + "\n");
        return Combinators.combine(Arbitraries.of("--liquibase formatted sql\n\n", "", "-- liquibase formatted sql\n"),
                changeset.list().ofMinSize(0).ofMaxSize(5)).as((head, sets) -> head + String.join("\n", sets));
    }
}
