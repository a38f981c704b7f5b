package dev.botshift.schema.lint;

import dev.botshift.schema.ChangelogSource;
import dev.botshift.schema.PasswordLiterals;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import liquibase.change.Change;
import liquibase.changelog.ChangeSet;

/**
 * The password literals each changeset holds once every parameter's value is replaced by a placeholder: the ones
 * written in the changelog itself. A password equal to a parameter's value may still be written there (the value in
 * a developer's environment also typed into the changeset); this tells the two apart where the value cannot. Read on
 * first need, with a second parse of the changelog: most changelogs hold no password equal to a parameter's value.
 */
final class WrittenValues {
    private final ChangelogSource source;
    /** By changeset ({@link ChangelogLinter#key}); empty when the second parse failed (then nothing is told apart). */
    private Map<String, Set<String>> byChangeSet;

    WrittenValues(ChangelogSource source) {
        this.source = source;
    }

    /** Whether {@code value} is a password literal of {@code changeSet} with no parameter filled in. */
    boolean written(ChangeSet changeSet, String value) {
        if (byChangeSet == null) {
            byChangeSet = read();
        }
        return byChangeSet.getOrDefault(ChangelogLinter.key(changeSet.getId(), changeSet.getAuthor(),
                changeSet.getFilePath()), Set.of()).contains(value);
    }

    private Map<String, Set<String>> read() {
        Map<String, String> placeholders = new LinkedHashMap<>();
        int n = 0;
        for (String name : source.parameters().keySet()) {
            placeholders.put(name, "botshift-parameter-" + n++);
        }
        ChangelogSource unfilled = new ChangelogSource(source.root(), source.searchPath(), source.classpath(),
                placeholders, source.phases());
        try {
            return ChangelogReader.forLint(unfilled, read -> {
                Map<String, Set<String>> found = new HashMap<>();
                for (ChangeSet changeSet : read.changelog().getChangeSets()) {
                    Set<String> values = new HashSet<>();
                    for (Change change : changeSet.getChanges()) {
                        PasswordLiterals.in(WrittenPasswords.text(change)).forEach(l -> values.add(l.value()));
                    }
                    found.put(ChangelogLinter.key(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath()),
                            values);
                }
                return found;
            });
        } catch (RuntimeException e) {
            // placeholders where a value must be of a kind (an include's path): the parameter's value stays exempt
            return Map.of();
        }
    }
}
