package dev.botshift.example.sentiment;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import liquibase.command.CommandScope;
import liquibase.Scope;
import liquibase.resource.DirectoryResourceAccessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** One embedded PostgreSQL per test class, a fresh database per test, schemas from the bot's own changelogs. */
final class TestDatabase implements AutoCloseable {

    private static final Path CHANGELOGS = Path.of("db").toAbsolutePath();
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final EmbeddedPostgres postgres;

    TestDatabase() {
        System.setProperty("liquibase.analytics.enabled", "false");
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new, empty database; returns its JDBC URL. */
    String create() throws SQLException {
        String name = "bot" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return postgres.getJdbcUrl("postgres", name);
    }

    /** Applies a release's root changelog with a label filter, as Botshift's expand or contract phase would. */
    void migrate(String url, String changelog, String labelFilter) throws Exception {
        CommandScope update = new CommandScope("update")
                .addArgumentValue("changelogFile", changelog)
                .addArgumentValue("url", url)
                .addArgumentValue("username", "postgres")
                .addArgumentValue("password", "")
                .addArgumentValue("labelFilter", labelFilter);
        Scope.child(Scope.Attr.resourceAccessor.name(), new DirectoryResourceAccessor(CHANGELOGS), update::execute);
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
