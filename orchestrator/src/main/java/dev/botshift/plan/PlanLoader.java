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
                    bound.analysis(), bound.bake(), bound.approval(), bound.notifications(), file);
            PlanValidator.validate(plan, problems);
            if (problems.isEmpty()) {
                return plan;
            }
        }
        throw problems.exception();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (MalformedInputException e) {
            throw unreadable(file, "not UTF-8 text");
        } catch (IOException e) {
            throw unreadable(file, "cannot read the plan file (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static PlanException unreadable(Path file, String message) {
        return new PlanException(List.of(new PlanProblem(file.toString(), 0, 0, "", message)));
    }
}
