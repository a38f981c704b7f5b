package dev.botshift.schema.lint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * JSqlParser with its per-statement time-out, on threads that are reused. {@code CCJSqlParserUtil.parse(String)}
 * starts and stops a new thread for every statement (the time-out runs the parse on another thread), which made
 * linting 10,000 changesets take most of a minute. On a time-out JSqlParser flags the parser as interrupted and the
 * parse stops by itself, so a hostile statement frees its thread. The linter, the lock-light planner and the lock
 * targets ask for the same statement several times in a row, so the last few results are kept.
 */
public final class SqlParser {
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "botshift-sql-parser");
        t.setDaemon(true);
        return t;
    });

    private static final int REMEMBERED = 256;
    private static final Map<String, Object> RECENT = new LinkedHashMap<>(REMEMBERED * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > REMEMBERED;
        }
    };

    private SqlParser() {
    }

    /** The parsed statement; callers only read it. */
    public static Statement parse(String sql) throws JSQLParserException {
        Object known;
        synchronized (RECENT) {
            known = RECENT.get(sql);
        }
        if (known == null) {
            try {
                known = CCJSqlParserUtil.parse(sql, THREADS, parser -> { });
            } catch (JSQLParserException | RuntimeException e) {
                known = e;
            }
            synchronized (RECENT) {
                RECENT.put(sql, known);
            }
        }
        if (known instanceof JSQLParserException e) {
            throw e;
        }
        if (known instanceof RuntimeException e) {
            throw e;
        }
        return (Statement) known;
    }
}
