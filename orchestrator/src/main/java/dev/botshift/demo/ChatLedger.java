package dev.botshift.demo;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the bot's database holds of the updates the platform sent: the proof of "no message lost, none stored twice".
 *
 * @param sent        update ids sent
 * @param stored      distinct sent update ids found in {@code user_interactions}
 * @param lost        sent update ids missing from {@code user_interactions}
 * @param duplicated  sent update ids stored more than once
 */
public record ChatLedger(long sent, long stored, SortedSet<Long> lost, SortedSet<Long> duplicated) {

    private static final String COUNT_ROWS = """
            SELECT update_id, count(*) FROM user_interactions
             WHERE update_id = ANY (?)
             GROUP BY update_id""";

    /** True when every sent update is stored exactly once. */
    public boolean intact() {
        return lost.isEmpty() && duplicated.isEmpty();
    }

    /** Reads the rows of the given update ids from {@code user_interactions}. */
    public static ChatLedger of(Collection<Long> sentIds, Connection connection) throws SQLException {
        SortedSet<Long> lost = new TreeSet<>(sentIds);
        SortedSet<Long> duplicated = new TreeSet<>();
        long stored = 0;
        Array ids = connection.createArrayOf("bigint", sentIds.toArray());
        try (PreparedStatement query = connection.prepareStatement(COUNT_ROWS)) {
            query.setArray(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long updateId = rows.getLong(1);
                    lost.remove(updateId);
                    stored++;
                    if (rows.getLong(2) > 1) {
                        duplicated.add(updateId);
                    }
                }
            }
        } finally {
            ids.free();
        }
        return new ChatLedger(Set.copyOf(sentIds).size(), stored, lost, duplicated);
    }
}
