package dev.botshift.example.sentiment;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The bot's connection pool, small on purpose: many bot processes share one PostgreSQL during a rollout. */
final class Database implements AutoCloseable {

    static final int POOL_SIZE = 4;

    private final HikariDataSource pool;

    Database(BotConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("sentiment-bot-" + config.slot());
        hikari.setJdbcUrl(config.dbUrl());
        hikari.setUsername(config.dbUser());
        hikari.setPassword(config.dbPassword());
        hikari.setMaximumPoolSize(POOL_SIZE);
        hikari.setMinimumIdle(1);
        // Start even while the database is briefly unavailable: health says 503 until it answers.
        hikari.setInitializationFailTimeout(-1);
        // Fail a request fast rather than keep the platform waiting past its own timeout.
        hikari.setConnectionTimeout(2_000);
        hikari.setValidationTimeout(1_000);
        pool = new HikariDataSource(hikari);
    }

    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** True when the database answers {@code SELECT 1}. */
    boolean answers() {
        try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(2);
            return statement.execute("SELECT 1");
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
