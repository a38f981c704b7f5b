package dev.botshift.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** {@link RefusedPlanTest#VALID} with one line edited: how the field tests load the field they are about. */
public final class EditedPlan {
    private EditedPlan() {
    }

    /**
     * Writes the valid plan, {@code line} replaced by {@code replacement}, and an empty changelog to {@code dir}, and
     * loads it with {@code env} and the database's variables.
     */
    public static Plan load(Path dir, String line, String replacement, Map<String, String> env) throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        Map<String, String> all = new HashMap<>(env);
        all.put("DB_URL", "jdbc:postgresql://localhost/bot");
        all.put("DB_PASSWORD", "pw");
        return PlanLoader.load(Files.writeString(dir.resolve("plan.yaml"), RefusedPlanTest.VALID.replace(line,
                replacement)), all);
    }
}
