package dev.botshift.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a workflow's jobs the way a GitHub runner would, on this machine: each {@code run:} step with
 * {@code bash --noprofile --norc -eo pipefail}, {@code GITHUB_OUTPUT}/{@code GITHUB_PATH} honoured, job
 * {@code outputs}, {@code needs} and the two {@code if:} forms the release workflow uses. Of the {@code uses:}
 * actions only checkout and setup-java (nothing to do here) and download-artifact (the jar Maven just built) are
 * known; any other fails the test rather than being skipped silently.
 */
final class WorkflowRunner {
    private static final Pattern NEEDS_OUTPUT = Pattern.compile("(failure\\(\\) && )?needs\\.(\\w+)\\.outputs\\.(\\w+) == '([^']*)'");
    private static final Pattern NEEDS_REF = Pattern.compile("\\$\\{\\{\\s*needs\\.(\\w+)\\.outputs\\.(\\w+)\\s*}}");
    private static final Pattern STEP_OUTPUT = Pattern.compile("\\$\\{\\{\\s*steps\\.(\\w+)\\.outputs\\.(\\w+)\\s*}}");

    record StepResult(String job, String step, int exitCode, String output) {
    }

    record JobResult(String job, String status, Map<String, String> outputs, List<StepResult> steps) {
        int lastExitCode() {
            return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).exitCode();
        }
    }

    private final Workflow workflow;
    private final Path workspace;
    private final Path jar;
    private final Map<String, String> overrides;

    /** @param overrides what repository variables and secrets would supply (the plan, the app, the database) */
    WorkflowRunner(Workflow workflow, Path workspace, Path jar, Map<String, String> overrides) {
        this.workflow = workflow;
        this.workspace = workspace;
        this.jar = jar;
        this.overrides = overrides;
    }

    /** Runs {@code jobs} in order (the build job is Maven's own, which produced {@code jar}). */
    Map<String, JobResult> run(List<String> jobs) throws IOException, InterruptedException {
        Map<String, JobResult> results = new LinkedHashMap<>();
        for (String job : jobs) {
            results.put(job, runJob(job, results));
        }
        return results;
    }

    private JobResult runJob(String job, Map<String, JobResult> done) throws IOException, InterruptedException {
        var node = workflow.job(job);
        List<String> needs = new ArrayList<>();
        if (node.path("needs").isArray()) {
            node.get("needs").forEach(n -> needs.add(n.asText()));
        } else if (node.has("needs")) {
            needs.add(node.get("needs").asText());
        }
        needs.remove("build");
        boolean anyFailed = needs.stream().anyMatch(n -> "failure".equals(done.get(n).status()));
        boolean allSucceeded = needs.stream().allMatch(n -> "success".equals(done.get(n).status()));
        String condition = node.path("if").asText("");
        boolean failed = anyFailed || done.values().stream().anyMatch(r -> "failure".equals(r.status()));
        boolean runs;
        if (condition.equals("failure()")) {
            runs = failed;
        } else if (condition.isEmpty()) {
            runs = allSucceeded;
        } else {
            Matcher m = NEEDS_OUTPUT.matcher(condition);
            if (!m.matches()) {
                throw new IllegalArgumentException("job " + job + ": unsupported if: " + condition);
            }
            boolean status = m.group(1) != null ? failed : allSucceeded;
            runs = status && m.group(4).equals(done.get(m.group(2)).outputs().get(m.group(3)));
        }
        if (!runs) {
            return new JobResult(job, "skipped", Map.of(), List.of());
        }
        Path temp = Files.createTempDirectory(workspace.getParent(), "runner-temp-");
        Path githubPath = temp.resolve("github_path");
        Files.createFile(githubPath);
        Path githubEnv = temp.resolve("github_env");
        Files.createFile(githubEnv);
        List<String> path = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin").toString(),
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
        Map<String, Map<String, String>> stepOutputs = new HashMap<>();
        List<StepResult> results = new ArrayList<>();
        for (Workflow.Step step : workflow.steps(job)) {
            if (step.uses() != null) {
                emulate(step);
                continue;
            }
            Path output = Files.createTempFile(temp, "output-", "");
            Path script = Files.createTempFile(temp, "step-", ".sh");
            Files.writeString(script, workflow.resolve(step.run()));
            ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", script.toString())
                    .directory(workspace.toFile()).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("BOTSHIFT_") || k.startsWith("DB_") || k.equals("KUBECONFIG"));
            env.putAll(withNeeds(step.env(), done));
            env.putAll(overrides);
            env.putAll(readOutputs(githubEnv));
            env.put("PATH", String.join(":", path));
            env.put("RUNNER_TEMP", temp.toString());
            env.put("GITHUB_PATH", githubPath.toString());
            env.put("GITHUB_OUTPUT", output.toString());
            env.put("GITHUB_ENV", githubEnv.toString());
            env.put("GITHUB_WORKSPACE", workspace.toString());
            Process p = pb.start();
            String log = new String(p.getInputStream().readAllBytes());
            int code = p.waitFor();
            System.out.println("[" + job + " / " + step.name() + "] exit " + code + "\n" + log.indent(4));
            results.add(new StepResult(job, step.name(), code, log));
            if (step.id() != null) {
                stepOutputs.put(step.id(), readOutputs(output));
            }
            List<String> added = new ArrayList<>(Files.readAllLines(githubPath));
            java.util.Collections.reverse(added);
            for (String dir : added) {
                if (!dir.isBlank() && !path.contains(dir)) {
                    path.add(0, dir);
                }
            }
            if (code != 0) {
                return new JobResult(job, "failure", jobOutputs(node, stepOutputs), results);
            }
        }
        return new JobResult(job, "success", jobOutputs(node, stepOutputs), results);
    }

    /** A step's environment with {@code ${{ needs.<job>.outputs.<name> }}} taken from the jobs that ran. */
    private static Map<String, String> withNeeds(Map<String, String> env, Map<String, JobResult> done) {
        Map<String, String> out = new LinkedHashMap<>(env);
        out.replaceAll((k, v) -> {
            Matcher m = NEEDS_REF.matcher(v);
            if (!m.matches()) {
                return v;
            }
            JobResult job = done.get(m.group(1));
            return job == null ? "" : job.outputs().getOrDefault(m.group(2), "");
        });
        return out;
    }

    private void emulate(Workflow.Step step) throws IOException {
        String action = step.uses().replaceAll("@.*", "");
        switch (action) {
            case "actions/checkout", "actions/setup-java" -> {
                // the workspace is prepared by the test; the test JVM's Java runs botshift
            }
            case "actions/download-artifact" -> {
                if (!"botshift".equals(step.with().path("name").asText())) {
                    throw new IllegalArgumentException("unknown artifact " + step.with());
                }
                Path dir = workspace.resolve(step.with().path("path").asText("."));
                Files.createDirectories(dir);
                Files.copy(jar, dir.resolve("botshift.jar"), StandardCopyOption.REPLACE_EXISTING);
            }
            default -> throw new IllegalArgumentException("the test runner does not know the action " + step.uses());
        }
    }

    private static Map<String, String> readOutputs(Path file) {
        Map<String, String> out = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static Map<String, String> jobOutputs(com.fasterxml.jackson.databind.JsonNode job,
                                                  Map<String, Map<String, String>> steps) {
        Map<String, String> out = new HashMap<>();
        job.path("outputs").fields().forEachRemaining(e -> {
            Matcher m = STEP_OUTPUT.matcher(e.getValue().asText());
            if (m.matches()) {
                out.put(e.getKey(), steps.getOrDefault(m.group(1), Map.of()).getOrDefault(m.group(2), ""));
            }
        });
        return out;
    }
}
