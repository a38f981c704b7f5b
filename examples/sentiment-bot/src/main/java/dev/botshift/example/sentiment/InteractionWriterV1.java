package dev.botshift.example.sentiment;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Release 1.x: writes only the baseline columns. It must not know that v2's columns exist, so running it against the
 * expanded schema is a real test that the expand changesets are backward compatible.
 */
public final class InteractionWriterV1 implements InteractionWriter {

    private static final String INSERT = """
            INSERT INTO user_interactions (update_id, chat_id, user_id, message_text, bot_version)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (update_id) DO NOTHING""";

    private final String version;

    public InteractionWriterV1(String version) {
        this.version = version;
    }

    @Override
    public boolean write(Connection connection, Update update) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setLong(1, update.updateId());
            insert.setLong(2, update.chatId());
            insert.setLong(3, update.userId());
            insert.setString(4, update.text());
            insert.setString(5, version);
            return insert.executeUpdate() == 1;
        }
    }
}
