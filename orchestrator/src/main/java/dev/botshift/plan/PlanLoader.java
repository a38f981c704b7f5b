package dev.botshift.plan;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Reads a plan file: YAML, then {@code ${env:NAME}} references, then defaults, then binding to the records, then
 * the rules. Every problem found on the way is reported together in one {@link PlanException}, each naming the
 * file, line, column and field; a problem never quotes a secret.
 */
public final class PlanLoader {
    /** A plan is a few KiB; far more is not a plan, and reading it whole would only cost memory. */
    static final long MAX_BYTES = 1024 * 1024;

    private PlanLoader() {
    }

    /** Loads a plan, resolving {@code ${env:NAME}} from this process's environment. */
    public static Plan load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads a plan, resolving {@code ${env:NAME}} from {@code environment} (tests and the demo supply their own).
     *
     * @throws PlanException when the file cannot be read or is not a valid plan (exit code 2)
     */
    public static Plan load(Path file, Map<String, String> environment) {
        return load(file, null, environment);
    }

    /** Loads the plan in a kept copy of a release's files ({@link ReleaseFiles}); {@code copy} null: a plain plan file. */
    public static Plan load(Path file, Plan.KeptCopy copy, Map<String, String> environment) {
        String name = file.toString();
        YamlTree yaml = YamlTree.parse(name, read(file));
        EnvReferences env = new EnvReferences(environment);
        Problems problems = new Problems(name, yaml.locations(), env.resolved());
        yaml.duplicates().forEach((path, at) -> problems.add(path, "duplicate field", at));
        env.resolve(yaml.root(), "", problems);
        PlanDefaults.fill(yaml.root());
        Plan bound = PlanBinder.bind(yaml.root(), problems);
        if (bound != null) {
            Plan plan = new Plan(bound.name(), bound.release(), bound.database(), bound.workload(), bound.traffic(),
                    bound.analysis(), bound.bake(), bound.approval(), bound.notifications(), file, copy);
            PlanValidator.validate(plan, problems);
            PlanValidator.validateSecrets(plan, environment, problems);
            if (problems.isEmpty()) {
                return plan;
            }
        }
        throw problems.exception();
    }

    private static String read(Path file) {
        if (Files.isDirectory(file)) {
            throw unreadable(file, "is a directory, not a plan file (give the YAML file inside it, e.g. -f "
                    + file.resolve("plan.yaml") + ")");
        }
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // a FIFO or a device would block or never end
                throw unreadable(file, "not a regular file (a pipe or a device?): give the plan's YAML file");
            }
            if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
                throw unreadable(file, "the plan file is " + Files.size(file) / 1024 + " KiB; a plan is a few KiB"
                        + " (at most " + MAX_BYTES / 1024 + " KiB is read)");
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (MalformedInputException e) {
            throw unreadable(file, "not UTF-8 text");
        } catch (java.nio.file.AccessDeniedException e) {
            throw unreadable(file, "permission denied: cannot read the plan file");
        } catch (IOException e) {
            throw unreadable(file, "cannot read the plan file: " + (e.getMessage() == null
                    ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static PlanException unreadable(Path file, String message) {
        return new PlanException(List.of(new PlanProblem(file.toString(), 0, 0, "", message)));
    }
}
