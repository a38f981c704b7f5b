package dev.botshift.example.sentiment;

import java.sql.Connection;
import java.sql.SQLException;

/** Stores an update. One implementation per major version, so each knows only the schema of its release. */
public sealed interface InteractionWriter permits InteractionWriterV1, InteractionWriterV2 {

    /**
     * Stores the update idempotently on its update id.
     *
     * @return true if this call stored it, false if it was already stored (a redelivery)
     */
    boolean write(Connection connection, Update update) throws SQLException;

    /** Major 1 runs the v1 code; 2 and above the v2 code. */
    static InteractionWriter forVersion(int major, String version) {
        return major == 1 ? new InteractionWriterV1(version) : new InteractionWriterV2(version);
    }
}
