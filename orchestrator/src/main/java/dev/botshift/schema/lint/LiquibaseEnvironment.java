package dev.botshift.schema.lint;

import dev.botshift.core.InvalidInputException;
import dev.botshift.schema.ChangelogSource;
import java.io.FileNotFoundException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import liquibase.Scope;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;
import liquibase.resource.Resource;
import liquibase.resource.ResourceAccessor;
import liquibase.resource.ResourceAccessor.SearchOptions;
import liquibase.resource.ZipResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * The Liquibase scope the linter, the preview and the migrator run in. Includes are looked up in the root
 * changelog's folder first (so included files get the same logical paths, e.g. {@code v1/001-baseline.sql}, whatever
 * the working directory), then in the source's search path, then in its classpath jars; {@code customChange}
 * classes load from those jars. Analytics are off, and Liquibase's console messages and log are silenced: stdout
 * belongs to Botshift's results, and every failure reaches the user as Botshift's own one-line message instead of
 * Liquibase's SEVERE lines and stack traces on stderr.
 */
public final class LiquibaseEnvironment {
    // Held strongly: java.util.logging keeps loggers weakly, and a collected logger forgets its level.
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    static {
        LIQUIBASE_LOG.setLevel(Level.OFF);
    }

    private LiquibaseEnvironment() {
    }

    /** The changelog's file name, as Liquibase should be asked for it (relative to its folder). */
    public static String logicalName(Path rootChangelog) {
        return rootChangelog.getFileName().toString();
    }

    /** Runs {@code body} in the scope; Liquibase's checked exceptions come back as they are for the caller to map. */
    public static <T> T run(ChangelogSource source, Map<String, Object> extra, Scope.ScopedRunnerWithReturn<T> body)
            throws Exception {
        Path root = source.root().toAbsolutePath().normalize();
        if (!Files.isRegularFile(root)) {
            throw new InvalidInputException("changelog " + source.root() + " does not exist or is not a file");
        }
        Map<String, Object> values = new HashMap<>(extra);
        values.put("liquibase.analytics.enabled", false);
        values.put(IncludeGuard.PLAN_PARAMETERS, Set.copyOf(source.parameters().keySet()));
        values.put(Scope.Attr.ui.name(), new LoggerUIService());
        List<ResourceAccessor> accessors = new ArrayList<>();
        try (CompositeResourceAccessor accessor = new SearchPath(accessors);
             URLClassLoader classes = new URLClassLoader(urls(source.classpath()),
                     LiquibaseEnvironment.class.getClassLoader())) {
            accessor.addResourceAccessor(folder(root.getParent(), "changelog folder of " + source.root()));
            for (Path p : source.searchPath()) {
                accessor.addResourceAccessor(entry(p, "search path entry"));
            }
            for (Path p : source.classpath()) {
                accessor.addResourceAccessor(entry(p, "classpath entry"));
            }
            values.put(Scope.Attr.resourceAccessor.name(), accessor);
            values.put(Scope.Attr.classLoader.name(), classes);
            return Scope.child(values, body);
        }
    }

    /** Convenience for a changelog read with no search path, classpath, parameters or phases file. */
    public static <T> T run(Path rootChangelog, Map<String, Object> extra, Scope.ScopedRunnerWithReturn<T> body)
            throws Exception {
        return run(ChangelogSource.of(rootChangelog), extra, body);
    }

    /**
     * The folders and jars in order, where an include written for the classpath ({@code classpath:db/x.xml},
     * {@code /db/x.xml}) is looked up as its path: Spring Boot's changelogs name their includes that way.
     */
    private static final class SearchPath extends CompositeResourceAccessor {
        SearchPath(List<ResourceAccessor> accessors) {
            super(accessors);
        }

        @Override
        public List<Resource> getAll(String path) throws java.io.IOException {
            return super.getAll(relative(path));
        }

        @Override
        public List<Resource> search(String path, boolean recursive) throws java.io.IOException {
            return super.search(relative(path), recursive);
        }

        @Override
        public List<Resource> search(String path, SearchOptions options) throws java.io.IOException {
            return super.search(relative(path), options);
        }

        private static String relative(String path) {
            String p = path;
            for (String prefix : List.of("classpath*:", "classpath:")) {
                if (p.startsWith(prefix)) {
                    p = p.substring(prefix.length());
                    while (p.startsWith("/")) {
                        p = p.substring(1);
                    }
                }
            }
            return p;
        }
    }

    private static ResourceAccessor entry(Path p, String what) {
        if (Files.isDirectory(p)) {
            return folder(p, what + " " + p);
        }
        if (!Files.isRegularFile(p)) {
            throw new InvalidInputException(what + " " + p + " does not exist");
        }
        try {
            return new ZipResourceAccessor(p.toAbsolutePath());
        } catch (FileNotFoundException | RuntimeException e) {
            throw new InvalidInputException(what + " " + p + " is neither a folder nor a readable jar");
        }
    }

    private static ResourceAccessor folder(Path dir, String what) {
        try {
            return new DirectoryResourceAccessor(dir.toAbsolutePath());
        } catch (FileNotFoundException e) {
            throw new InvalidInputException(what + " cannot be read");
        }
    }

    private static URL[] urls(List<Path> classpath) {
        List<URL> urls = new ArrayList<>();
        for (Path p : classpath) {
            try {
                urls.add(p.toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException e) {
                throw new InvalidInputException("classpath entry " + p + " is not a valid path");
            }
        }
        return urls.toArray(URL[]::new);
    }
}
