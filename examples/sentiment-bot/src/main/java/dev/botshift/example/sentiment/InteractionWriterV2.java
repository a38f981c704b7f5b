package dev.botshift.example.sentiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Release 2.x: the "dual write". The old columns and the new ones go into the same INSERT, so a row is never half
 * written, and v1 can still read everything it knows. The daily summary is updated in the same transaction, and only
 * for a new row, so a redelivered update is not counted twice.
 */
public final class InteractionWriterV2 implements InteractionWriter {

    private static final String INSERT = """
            INSERT INTO user_interactions
                (update_id, chat_id, user_id, message_text, bot_version, sentiment_score, detailed_log)
            VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (update_id) DO NOTHING""";

    private static final String SUMMARY = """
            INSERT INTO daily_sentiment_summary (day, chat_id, messages, total_score)
            VALUES (current_date, ?, 1, ?)
            ON CONFLICT (day, chat_id) DO UPDATE
               SET messages = daily_sentiment_summary.messages + 1,
                   total_score = daily_sentiment_summary.total_score + EXCLUDED.total_score,
                   updated_at = now()""";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String version;

    public InteractionWriterV2(String version) {
        this.version = version;
    }

    @Override
    public boolean write(Connection connection, Update update) throws SQLException {
        Sentiment sentiment = Sentiment.of(update.text());
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            boolean stored = insert(connection, update, sentiment);
            if (stored) {
                summarise(connection, update, sentiment);
            }
            connection.commit();
            return stored;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private boolean insert(Connection connection, Update update, Sentiment sentiment) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, update.updateId());
            insert.setLong(2, update.chatId());
            insert.setLong(3, update.userId());
            insert.setString(4, update.text());
            insert.setString(5, version);
            insert.setBigDecimal(6, sentiment.score());
            insert.setString(7, detailedLog(sentiment));
            return insert.executeUpdate() == 1;
        }
    }

    private static void summarise(Connection connection, Update update, Sentiment sentiment) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(SUMMARY)) {
            upsert.setLong(1, update.chatId());
            upsert.setBigDecimal(2, sentiment.score());
            upsert.executeUpdate();
        }
    }

    private String detailedLog(Sentiment sentiment) {
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("words", sentiment.words());
        log.put("score", sentiment.score());
        log.put("version", version);
        try {
            return JSON.writeValueAsString(log);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers always serialises", e);
        }
    }
}
