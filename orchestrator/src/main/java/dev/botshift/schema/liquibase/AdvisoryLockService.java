package dev.botshift.schema.liquibase;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import liquibase.database.Database;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.exception.LockException;
import liquibase.lockservice.DatabaseChangeLogLock;
import liquibase.lockservice.LockService;

/**
 * Replaces Liquibase's DATABASECHANGELOGLOCK row with a PostgreSQL session advisory lock. A row lock outlives a
 * crashed run and blocks every later one until someone clears it by hand; an advisory lock belongs to the session,
 * so the server releases it the moment the crashed process's connection goes away. Registered through
 * {@code META-INF/services/liquibase.lockservice.LockService}; its priority beats {@code StandardLockService}.
 */
public class AdvisoryLockService implements LockService {
    /** Fixed key, shared by every Botshift run on this database: "BOTSHIFT" in ASCII. */
    static final long LOCK_KEY = 0x424f545348494654L;
    private static final long POLL_MILLIS = 500;

    private Database database;
    private boolean held;
    private long waitMillis = 5 * 60_000L;

    @Override
    public int getPriority() {
        return PRIORITY_DATABASE + 1;
    }

    @Override
    public boolean supports(Database database) {
        return database instanceof PostgresDatabase;
    }

    @Override
    public void setDatabase(Database database) {
        this.database = database;
    }

    @Override
    public void setChangeLogLockWaitTime(long minutes) {
        this.waitMillis = minutes * 60_000L;
    }

    @Override
    public void setChangeLogLockRecheckTime(long seconds) {
        // Polling interval is fixed: pg_try_advisory_lock is cheap.
    }

    @Override
    public boolean hasChangeLogLock() {
        return held;
    }

    @Override
    public void waitForLock() throws LockException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (!acquireLock()) {
            if (System.currentTimeMillis() > deadline) {
                throw new LockException("another schema migration holds the advisory lock on this database");
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LockException("interrupted while waiting for the schema migration lock");
            }
        }
    }

    @Override
    public boolean acquireLock() throws LockException {
        if (held) {
            return true;
        }
        held = call("SELECT pg_try_advisory_lock(?)");
        return held;
    }

    @Override
    public void releaseLock() throws LockException {
        if (held) {
            call("SELECT pg_advisory_unlock(?)");
            held = false;
        }
    }

    @Override
    public DatabaseChangeLogLock[] listLocks() {
        return new DatabaseChangeLogLock[0];
    }

    @Override
    public void forceReleaseLock() throws LockException {
        releaseLock();
    }

    @Override
    public void reset() {
        held = false;
    }

    @Override
    public void init() {
        // Nothing to create: the advisory lock needs no table.
    }

    @Override
    public void destroy() {
        // Nothing was created.
    }

    /** Runs a one-boolean advisory-lock function on Liquibase's own connection (the session that runs the update). */
    private boolean call(String sql) throws LockException {
        if (!(database.getConnection() instanceof JdbcConnection jdbc)) {
            throw new LockException("the advisory lock needs a JDBC connection");
        }
        try {
            Connection c = jdbc.getUnderlyingConnection();
            boolean result;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    result = rs.getBoolean(1);
                }
            }
            if (!c.getAutoCommit()) {
                // Session advisory locks survive commit and rollback; committing just closes the SELECT's transaction.
                c.commit();
            }
            return result;
        } catch (SQLException e) {
            throw new LockException("advisory lock call failed: " + e.getMessage(), e);
        }
    }
}
