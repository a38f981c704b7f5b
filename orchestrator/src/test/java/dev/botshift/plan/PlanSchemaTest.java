package dev.botshift.plan;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.botshift.core.DurationText;
import dev.botshift.core.InvalidInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keeps docs/plan.schema.json true to the plan records, the loader's defaults and the sample plans. */
class PlanSchemaTest {
    static final Path REPO = Path.of(System.getProperty("botshift.repo", ".."));
    static final Path SCHEMA = REPO.resolve("docs/plan.schema.json");
    static final ObjectMapper YAML = new YAMLMapper();

    static JsonNode schemaJson;
    static Schema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void readSchema() throws IOException {
        schemaJson = new ObjectMapper().readTree(SCHEMA.toFile());
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    @Test
    void schemaPropertiesAreExactlyTheRecordComponents() {
        List<String> mismatches = new ArrayList<>();
        compare(Plan.class, schemaJson, "", mismatches);
        assertThat(mismatches).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plan-v1.yaml", "plan-v2.yaml"})
    void samplePlansAreValidAgainstTheSchemaAndLoad(String file) throws IOException {
        Path plan = REPO.resolve("examples/sentiment-bot").resolve(file);

        List<Error> errors = schema.validate(YAML.readTree(plan.toFile()));

        assertThat(errors).isEmpty();
        assertThat(PlanLoader.load(plan, Map.of("DB_URL", "jdbc:postgresql://db/bot", "DB_USER", "u", "DB_PASSWORD", "p")))
                .isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo/plan-handover.yaml", "demo/plan-handover-faulty.yaml"})
    void theHandoverPlansAreValidAgainstTheSchemaAndLoad(String file) throws IOException {
        Path plan = REPO.resolve("examples/sentiment-bot").resolve(file);

        assertThat(schema.validate(YAML.readTree(plan.toFile()))).isEmpty();
        Plan loaded = PlanLoader.load(plan, Map.of("DB_URL", "jdbc:postgresql://db/bot", "DB_USER", "u",
                "DB_PASSWORD", "p", "BOT_API_URL", "http://127.0.0.1:9", "BOT_TOKEN", "1:abc"));
        assertThat(loaded.traffic().handsOver()).isTrue();
    }

    @Test
    void schemaRefusesWhatTheLoaderRefuses() throws IOException {
        String misspelt = RefusedPlanTest.VALID.replace("stepDuration", "stepDuraton");
        String badDuration = RefusedPlanTest.VALID.replace("bake: 10s", "bake: 10");
        String badApproval = RefusedPlanTest.VALID.replace("approval: none", "approval: always");

        String zeroBake = RefusedPlanTest.VALID.replace("bake: 10s", "bake: 0m0s");
        String zeroInterval = RefusedPlanTest.VALID.replace("  minRequests: 20", "  minRequests: 20\n  interval: 0ms");

        assertThat(schema.validate(YAML.readTree(RefusedPlanTest.VALID))).isEmpty();
        for (String text : List.of(misspelt, badDuration, badApproval, zeroBake, zeroInterval)) {
            assertThat(schema.validate(YAML.readTree(text))).as(text).isNotEmpty();
            assertThatThrownBy(() -> load(text)).as(text).isInstanceOf(InvalidInputException.class);
        }
    }

    /** 0s where a field gives it a meaning (the post-contract watch off), and 0 inside a longer duration, are valid. */
    @Test
    void schemaTakesZeroOnlyWhereTheLoaderDoes() throws IOException {
        String watchOff = RefusedPlanTest.VALID.replace("  minRequests: 20", "  minRequests: 20\n  postContract: 0s");
        for (String text : List.of(watchOff, RefusedPlanTest.VALID.replace("bake: 10s", "bake: 0m10s"))) {
            assertThat(schema.validate(YAML.readTree(text))).as(text).isEmpty();
            assertThat(load(text)).as(text).isNotNull();
        }
    }

    private Plan load(String text) throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        return PlanLoader.load(Files.writeString(dir.resolve("plan.yaml"), text),
                Map.of("DB_URL", "jdbc:postgresql://db/bot", "DB_PASSWORD", "p"));
    }

    /** Every default the schema announces is the one the loader applies to a plan that leaves the field out. */
    @Test
    void schemaDefaultsAreTheLoadersDefaults() throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        Plan plan = PlanLoader.load(Files.writeString(dir.resolve("plan.yaml"), """
                name: bot
                release: 1.0.0
                database: {url: "jdbc:postgresql://db/bot", changelog: changelog.yaml}
                workload: {platform: kubernetes, kubernetes: {namespace: bots, image: "bot:1"}}
                analysis: {prometheus: {url: "http://prom:9090", requestsQuery: r, errorsQuery: e}}
                """), Map.of());
        List<String> checked = new ArrayList<>();
        checkDefaults(plan, schemaJson, "", checked);
        assertThat(checked).hasSizeGreaterThanOrEqualTo(20);
    }

    private void checkDefaults(Object value, JsonNode node, String path, List<String> checked) {
        node.path("properties").properties().forEach(p -> {
            Object child = component(value, p.getKey());
            String childPath = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
            JsonNode def = p.getValue().get("default");
            if (def != null) {
                assertThat(normalise(def)).as(childPath).isEqualTo(normalise(child));
                checked.add(childPath);
            }
            if (child != null && child.getClass().isRecord()) {
                checkDefaults(child, p.getValue(), childPath, checked);
            }
        });
    }

    private static String normalise(Object value) {
        if (value instanceof JsonNode node) {
            String text = node.isTextual() ? node.textValue() : node.toString();
            if (text.matches("(\\d+(ms|s|m|h))+")) {
                return DurationText.format(DurationText.parse(text));
            }
            return text.endsWith("%") ? String.valueOf(PercentDeserializer.parseFraction(text)) : text.replace(" ", "");
        }
        if (value instanceof java.time.Duration d) {
            return DurationText.format(d);
        }
        if (value instanceof Approval a) {
            return a.text();
        }
        return String.valueOf(value).replace(" ", "");
    }

    private static Object component(Object record, String name) {
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            if (jsonName(c).equals(name)) {
                try {
                    return c.getAccessor().invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("no component " + name + " in " + record.getClass());
    }

    private static void compare(Class<?> type, JsonNode node, String path, List<String> mismatches) {
        if (!node.path("additionalProperties").isBoolean() || node.path("additionalProperties").booleanValue()) {
            mismatches.add(path + ": additionalProperties must be false");
        }
        Set<String> components = new LinkedHashSet<>();
        for (RecordComponent c : type.getRecordComponents()) {
            if (c.getAccessor().isAnnotationPresent(JsonIgnore.class)) {
                continue;
            }
            String name = jsonName(c);
            components.add(name);
            JsonNode property = node.path("properties").path(name);
            if (property.isMissingNode()) {
                mismatches.add(path + name + ": in " + type.getSimpleName() + " but not in the schema");
            } else if (c.getType().isRecord()) {
                compare(c.getType(), property, path + name + ".", mismatches);
            } else if (property.has("properties")) {
                mismatches.add(path + name + ": a nested object in the schema but not a record");
            }
        }
        node.path("properties").fieldNames().forEachRemaining(name -> {
            if (!components.contains(name)) {
                mismatches.add(path + name + ": in the schema but not in " + type.getSimpleName());
            }
        });
    }

    private static String jsonName(RecordComponent c) {
        JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
        return renamed == null ? c.getName() : renamed.value();
    }
}
