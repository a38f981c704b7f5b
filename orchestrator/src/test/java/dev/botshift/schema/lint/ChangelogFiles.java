package dev.botshift.schema.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Changelog files the lint tests write: any text, and XML with the declaration Liquibase has a copy of. */
final class ChangelogFiles {
    private ChangelogFiles() {
    }

    static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** {@code body} inside a {@code databaseChangeLog} declaring the latest XSD (the only one Liquibase ships). */
    static String xml(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<databaseChangeLog"
                + " xmlns=\"http://www.liquibase.org/xml/ns/dbchangelog\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                + " xsi:schemaLocation=\"http://www.liquibase.org/xml/ns/dbchangelog"
                + " http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd\">" + body + "</databaseChangeLog>\n";
    }
}
