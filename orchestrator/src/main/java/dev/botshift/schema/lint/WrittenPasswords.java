package dev.botshift.schema.lint;

import dev.botshift.schema.PasswordLiterals;
import java.util.Collection;
import java.util.Optional;
import liquibase.change.AbstractSQLChange;
import liquibase.change.Change;
import liquibase.change.core.CreateProcedureChange;
import liquibase.changelog.ChangeSet;

/**
 * A password written into a changeset ({@code CREATE USER app PASSWORD 'hunter2'}): it is in the repository and in
 * every clone of it, and the database's statement log keeps it. One filled from a {@code database.parameters} entry
 * of the plan (or {@code lint -D}), whose value is {@code ${env:NAME}}, is not written there. Liquibase fills
 * parameters before Botshift sees a statement, so the two are told apart by the value: a password equal to a
 * parameter's value came from it, unless the changeset holds it with the parameters unfilled ({@link WrittenValues}:
 * typed in as well, say the value of a developer's environment). A changelog {@code property} is part of the
 * changelog, so a password from one counts as written.
 */
final class WrittenPasswords {
    private WrittenPasswords() {
    }

    /** The changeset's first written password, named by its statement (the password hidden). */
    static Optional<PhaseRules.Hit> check(ChangeSet changeSet, Collection<String> parameterValues,
                                          WrittenValues unfilled) {
        for (Change change : changeSet.getChanges()) {
            String text = text(change);
            for (PasswordLiterals.Literal literal : PasswordLiterals.in(text)) {
                if (!parameterValues.contains(literal.value()) || unfilled.written(changeSet, literal.value())) {
                    // its statement, about: a ';' inside a literal cuts it short, and the cut stays hidden
                    int end = text.indexOf(';', literal.at());
                    String statement = text.substring(text.lastIndexOf(';', literal.at()) + 1,
                            end < 0 ? text.length() : end);
                    return Optional.of(new PhaseRules.Hit(Rule.PASSWORD_LITERAL,
                            "statement '" + EffectText.first80(statement) + "'"));
                }
            }
        }
        return Optional.empty();
    }

    /** The SQL a change runs, as the linter reads it (parameters filled), or null for another kind of change. */
    static String text(Change change) {
        try {
            if (change instanceof AbstractSQLChange sql) {
                return sql.getSql();
            }
            if (change instanceof CreateProcedureChange procedure) {
                return procedure.getProcedureText();
            }
        } catch (RuntimeException e) {
            // an sqlFile that cannot be read: the changeset's own check refuses it (ChangeClassifier)
        }
        return null;
    }
}
