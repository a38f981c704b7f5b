package dev.botshift.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.DurationText;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds the (resolved, defaulted) YAML tree to the plan records with Jackson. Instead of stopping at the first
 * problem, a problem handler records each one at its field and lets binding go on with a placeholder, so one run
 * reports every unknown field and wrong type. Messages are Botshift's own: Jackson's quote the offending value.
 */
final class PlanBinder {
    // Shared, so that Jackson's deserializer caches stay warm; the problem handler is per load (see bind).
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SimpleModule("botshift-plan").addDeserializer(Duration.class, new DurationDeserializer()))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private PlanBinder() {
    }

    /** The plan, or null when it could not be bound at all; problems are in {@code problems}. */
    static Plan bind(ObjectNode root, Problems problems) {
        if (root.has("source")) {
            // Plan.source is @JsonIgnore'd (it is the file, not a field), and Jackson skips ignored names silently.
            problems.add("source", "unknown field");
        }
        try {
            return MAPPER.readerFor(Plan.class).withHandler(new Collector(problems)).readValue(root);
        } catch (JsonMappingException e) {
            String path = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            problems.add(path, "invalid value");
            return null;
        } catch (IOException e) {
            problems.add("", "cannot be read as a plan: " + e.getClass().getSimpleName());
            return null;
        }
    }

    /** What a value of this type looks like, for "expected ..." messages. */
    static String describe(Class<?> type) {
        if (type == Duration.class) {
            return "a duration such as 500ms, 10s or 5m, of at most "
                    + DurationText.format(DurationText.MAX);
        }
        if (type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a percentage such as 5% or a fraction such as 0.05";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a single value";
        }
        if (type.isEnum()) {
            return "one of " + enumNames(type);
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        return "a " + type.getSimpleName();
    }

    private static String enumNames(Class<?> type) {
        return Arrays.stream(type.getFields()).filter(f -> f.isEnumConstant())
                .map(f -> f.isAnnotationPresent(JsonProperty.class) ? f.getAnnotation(JsonProperty.class).value() : f.getName())
                .collect(Collectors.joining(", "));
    }

    private static final class Collector extends DeserializationProblemHandler {
        private final Problems problems;

        Collector(Problems problems) {
            this.problems = problems;
        }

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                             Object beanOrClass, String propertyName) throws IOException {
            String path = FieldPath.of(p.getParsingContext());
            if (!path.endsWith(propertyName)) {
                path = FieldPath.field(path, propertyName);
            }
            Collection<Object> known = deserializer.getKnownPropertyNames();
            List<String> names = known == null ? List.of() : known.stream().map(String::valueOf).toList();
            problems.add(path, "unknown field" + Suggestions.didYouMean(propertyName, names));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
                                             String failureMsg) {
            String path = FieldPath.of(ctxt.getParser().getParsingContext());
            problems.add(path, "expected " + describe(targetType) + ", got " + problems.quote(path, valueToConvert));
            return placeholder(targetType);
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
                                             String failureMsg) {
            return handleWeirdStringValue(ctxt, targetType, String.valueOf(valueToConvert), failureMsg);
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
                                            String failureMsg) throws IOException {
            String path = FieldPath.of(p.getParsingContext());
            problems.add(path, "expected " + describe(targetType.getRawClass()) + ", got " + what(t));
            p.skipChildren();
            return placeholder(targetType.getRawClass());
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                                                ValueInstantiator valueInsts, JsonParser p, String msg) throws IOException {
            String path = FieldPath.of(p.getParsingContext());
            problems.add(path, "expected " + describe(instClass) + ", got " + what(p.currentToken()));
            p.skipChildren();
            return null;
        }

        private static String what(JsonToken t) {
            if (t == JsonToken.START_OBJECT) {
                return "a mapping";
            }
            if (t == JsonToken.START_ARRAY) {
                return "a list";
            }
            return "a single value";
        }

        private static Object placeholder(Class<?> type) {
            if (type == int.class || type == Integer.class) {
                return 0;
            }
            if (type == double.class || type == Double.class) {
                return 0.0;
            }
            if (type == boolean.class || type == Boolean.class) {
                return false;
            }
            return null;
        }
    }
}
