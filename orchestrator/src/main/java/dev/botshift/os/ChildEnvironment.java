package dev.botshift.os;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The environment a child process starts with: nothing inherited but what any program needs to run (locale, time
 * zone, temp dir, PATH and HOME, Botshift's log level), plus what the caller hands it by name. A child started with
 * the parent's whole environment would carry the database password and every other secret of the shell that ran
 * {@code botshift}, readable in {@code /proc/<pid>/environ} and passed on to its own children.
 *
 * <p>{@link #toString()} names the variables, never their values.
 */
public final class ChildEnvironment {
    /** Inherited from the parent when set: none of them is a credential. */
    public static final Set<String> PASSED_THROUGH = Set.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE",
            "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR", "BOTSHIFT_LOG", "BOTSHIFT_DEBUG");

    private final Map<String, String> variables;

    private ChildEnvironment(Map<String, String> variables) {
        this.variables = variables;
    }

    /** The {@link #PASSED_THROUGH} variables of {@code parent} that are set, and nothing else. */
    public static ChildEnvironment minimal(Map<String, String> parent) {
        Map<String, String> kept = new TreeMap<>();
        for (String name : PASSED_THROUGH) {
            String value = parent.get(name);
            if (value != null) {
                kept.put(name, value);
            }
        }
        return new ChildEnvironment(kept);
    }

    /** This environment plus {@code name=value} (replacing an inherited value of that name). */
    public ChildEnvironment with(String name, String value) {
        Objects.requireNonNull(value, name);
        Map<String, String> more = new TreeMap<>(variables);
        more.put(name, value);
        return new ChildEnvironment(more);
    }

    public Map<String, String> variables() {
        return Collections.unmodifiableMap(variables);
    }

    /** Replaces the builder's environment (by default a copy of this process's) with exactly this one. */
    public ProcessBuilder applyTo(ProcessBuilder builder) {
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(variables);
        return builder;
    }

    @Override
    public String toString() {
        return "ChildEnvironment" + variables.keySet();
    }
}
