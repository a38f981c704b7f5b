package dev.botshift.schema.lint;

import dev.botshift.core.InvalidInputException;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Scope;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * The Liquibase scope both the linter and the migrator run in: the root changelog's folder as the only search path
 * (so included files get the same logical paths, e.g. {@code v1/001-baseline.sql}, whatever the working directory),
 * analytics off, and Liquibase's console messages routed to its logger instead of stdout, which is reserved for
 * Botshift's results.
 */
public final class LiquibaseEnvironment {
    // Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level.
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    static {
        LIQUIBASE_LOG.setLevel(Level.WARNING);
    }

    private LiquibaseEnvironment() {
    }

    /** The changelog's file name, as Liquibase should be asked for it (relative to its folder). */
    public static String logicalName(Path rootChangelog) {
        return rootChangelog.getFileName().toString();
    }

    /** Runs {@code body} in the scope; Liquibase's checked exceptions come back as they are for the caller to map. */
    public static <T> T run(Path rootChangelog, Map<String, Object> extra, Scope.ScopedRunnerWithReturn<T> body)
            throws Exception {
        Path root = rootChangelog.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root)) {
            throw new InvalidInputException("changelog " + rootChangelog + " does not exist or is not a file");
        }
        Map<String, Object> values = new HashMap<>(extra);
        values.put("liquibase.analytics.enabled", false);
        values.put(Scope.Attr.ui.name(), new LoggerUIService());
        try (DirectoryResourceAccessor accessor = new DirectoryResourceAccessor(root.getParent())) {
            values.put(Scope.Attr.resourceAccessor.name(), accessor);
            return Scope.child(values, body);
        } catch (FileNotFoundException e) {
            throw new InvalidInputException("changelog folder of " + rootChangelog + " cannot be read", e);
        }
    }
}
