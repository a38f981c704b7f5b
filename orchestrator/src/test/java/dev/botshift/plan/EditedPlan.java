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
        Map<String, String> all = new HashMap<>(env);
        all.putAll(DATABASE_ENV);
        return PlanLoader.load(write(dir, "plan.yaml", line, replacement), all);
    }

    /** The database's variables the valid plan reads. */
    public static final Map<String, String> DATABASE_ENV = Map.of("DB_URL", "jdbc:postgresql://localhost/bot",
            "DB_PASSWORD", "pw");

    /** Writes the valid plan as {@code name}, {@code line} replaced, and an empty changelog beside it. */
    public static Path write(Path dir, String name, String line, String replacement) throws IOException {
        Files.writeString(dir.resolve("changelog.yaml"), "databaseChangeLog: []\n");
        return Files.writeString(dir.resolve(name), RefusedPlanTest.VALID.replace(line, replacement));
    }
}
