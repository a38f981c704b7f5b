package dev.botshift.schema;

import dev.botshift.plan.DatabaseSpec;
import dev.botshift.plan.Plan;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A release's changelog and how Liquibase must read it: the linter, {@code botshift plan} and the schema engine read
 * it the same way.
 *
 * @param root       the root changelog; its folder is the first place includes are looked up in
 * @param searchPath more folders or jars that includes are looked up in, in order, after the root's folder
 *                   (Liquibase's search path: for classpath-relative includes such as {@code db/changelog/x.xml})
 * @param classpath  jars (or class folders) with {@code customChange} classes; changelogs inside them are found too
 * @param parameters changelog parameters, {@code ${name}} in the changelog; they win over the changelog's own
 *                   {@code property} definitions, as Liquibase's {@code -D} does
 * @param phases     a phases file giving changesets their phase without editing them (see docs/linter.md), or null
 */
public record ChangelogSource(Path root, List<Path> searchPath, List<Path> classpath, Map<String, String> parameters,
                              Path phases) {

    public ChangelogSource {
        searchPath = searchPath == null ? List.of() : List.copyOf(searchPath);
        classpath = classpath == null ? List.of() : List.copyOf(classpath);
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Just the root changelog: includes relative to its folder, no parameters, phases from labels only. */
    public static ChangelogSource of(Path root) {
        return new ChangelogSource(root, List.of(), List.of(), Map.of(), null);
    }

    /**
     * The plan's changelog, with its {@code database} fields: the changelog and its phases as kept with the release,
     * the searchPath and classpath relative to the plan's home.
     */
    public static ChangelogSource of(Plan plan) {
        DatabaseSpec db = plan.database();
        return new ChangelogSource(plan.resolve(db.changelog()),
                db.searchPath().stream().map(plan::resolveInHome).toList(),
                db.classpath().stream().map(plan::resolveInHome).toList(),
                db.parameters(),
                db.phases() == null ? null : plan.resolve(db.phases()));
    }

    /** The root changelog as the user named it, for messages. */
    @Override
    public String toString() {
        return root.toString();
    }
}
