package dev.botshift.plan;

import dev.botshift.core.InvalidInputException;

import java.util.List;
import java.util.stream.Collectors;

/** A plan file that cannot be used (exit code 2). The message lists every problem, one per line. */
public class PlanException extends InvalidInputException {
    private final transient List<PlanProblem> problems;

    public PlanException(List<PlanProblem> problems) {
        super(problems.stream().map(PlanProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    /** The problems in file order. */
    public List<PlanProblem> problems() {
        return problems;
    }
}
