package dev.botshift.traffic.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.botshift.core.AnswerTimeout;
import dev.botshift.core.DurationText;
import dev.botshift.core.WebhookPlatform;
import dev.botshift.os.ChildEnvironment;
import dev.botshift.os.PrivateDirectory;
import dev.botshift.os.PrivateFiles;
import dev.botshift.os.ProcessLife;
import dev.botshift.os.ProcessStart;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The router as its own OS process, so it keeps serving webhooks while the rollout that started it is restarted,
 * crashes or is killed. Output goes to {@code router.log} in the state directory (never a pipe to the parent: a
 * dead parent would stall or kill a child writing into a full pipe), and {@code router-process.json} there records
 * pid, ports and webhook verification so that a later run re-attaches instead of starting a second router.
 *
 * <p>Each start generates a new {@link AdminToken} into {@code admin-token} (mode 0600; the router reads it from
 * there, so it is never in a process's arguments). The router's environment is {@link ChildEnvironment#minimal}
 * plus, when it verifies webhooks, the one variable holding the secret: never the database credentials of the
 * process that starts it.
 */
public final class RouterProcess {
    public static final String STATE_FILE = "router-process.json";
    public static final String LOG_FILE = "router.log";
    /** The router's split (weights, backends, stickyBy), beside its log: rewritten by its admin API. */
    public static final String CONFIG_FILE = "config.json";
    private static final int ATTACH_ATTEMPTS = 5;
    /**
     * How long one of those looks waits for the admin API: a router that answers nothing 5 times in a row (about
     * 12 s) counts as gone, or as hung when its process still lives ({@link #attachOrStart}).
     */
    private static final Duration ATTACH_LOOK = Duration.ofSeconds(2);
    /** {@code botshift router}'s option to bind the webhook port beside the router serving it ({@code RouterLaunch}). */
    public static final String SHARE_PORT_OPTION = "--share-port";

    /**
     * How the router verifies webhooks: the platform, and either the name of the variable of its environment holding
     * the secret (which {@link Options#environment()} must then contain) or, for Telegram, the file of the secrets
     * {@code botshift webhook} registered ({@link WebhookSecrets}).
     *
     * @param maxSkew slack's replay window, null for the default
     */
    public record Verification(WebhookPlatform platform, String secretEnv, Path secretFile, Duration maxSkew) {
        public Verification {
            Objects.requireNonNull(platform, "platform");
            if ((secretEnv == null) == (secretFile == null)) {
                throw new IllegalArgumentException("either secretEnv or secretFile");
            }
            if (secretFile != null && platform != WebhookPlatform.TELEGRAM) {
                throw new IllegalArgumentException("only telegram takes a registered secret");
            }
        }

        /** The secret in the variable {@code secretEnv} of the router's environment. */
        public Verification(WebhookPlatform platform, String secretEnv, Duration maxSkew) {
            this(platform, secretEnv, null, maxSkew);
        }

        /** Telegram, with the secrets {@code botshift webhook set|rotate} keep in {@code secretFile}. */
        public static Verification registered(Path secretFile) {
            return new Verification(WebhookPlatform.TELEGRAM, null, secretFile, null);
        }

        /** What router-process.json records: the platform and the variable's name or the file, never the secret. */
        String recorded() {
            return platform.label() + " " + (secretEnv != null ? secretEnv : "file " + secretFile.toAbsolutePath())
                    + (maxSkew == null ? "" : " " + maxSkew);
        }

        List<String> arguments() {
            List<String> args = new ArrayList<>(List.of("--verify", platform.label()));
            if (secretEnv != null) {
                args.addAll(List.of("--verify-secret-env", secretEnv));
            } else {
                args.addAll(List.of("--verify-secret-file", secretFile.toAbsolutePath().toString()));
            }
            if (maxSkew != null) {
                args.addAll(List.of("--verify-max-skew", DurationText.format(maxSkew)));
            }
            return args;
        }
    }

    /**
     * The router as the bot's {@code getUpdates} consumer (docs/polling.md), instead of taking webhooks.
     *
     * @param tokenEnv       the variable of the router's environment holding the bot token
     * @param apiUrl         the Bot API base URL
     * @param path           the bots' webhook path
     * @param allowedUpdates {@code allowed_updates}, or null to leave the API's filter alone
     * @param timeout        the long poll's timeout
     * @param maxAttempts    deliveries of one update before the dead-letter file
     * @param secretEnv      the variable of the router's environment holding the secret each delivery carries, or
     *                       null for none
     */
    public record Polling(String tokenEnv, String apiUrl, String path, List<String> allowedUpdates, Duration timeout,
                          int maxAttempts, String secretEnv) {
        public Polling {
            Objects.requireNonNull(tokenEnv, "tokenEnv");
            Objects.requireNonNull(apiUrl, "apiUrl");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(timeout, "timeout");
            allowedUpdates = allowedUpdates == null ? null : List.copyOf(allowedUpdates);
        }

        List<String> arguments(Path stateDir) {
            List<String> args = new ArrayList<>(List.of("--poll-token-env", tokenEnv, "--poll-api-url", apiUrl,
                    "--poll-path", path, "--poll-timeout", DurationText.format(timeout),
                    "--poll-max-attempts", String.valueOf(maxAttempts),
                    "--poll-state-dir", stateDir.toAbsolutePath().toString()));
            if (allowedUpdates != null) {
                args.addAll(List.of("--poll-allowed-updates", String.join(",", allowedUpdates)));
            }
            if (secretEnv != null) {
                args.addAll(List.of("--poll-secret-env", secretEnv));
            }
            return args;
        }

        /** What router-process.json records: the settings and the variables' names, never the token or secret. */
        String recorded() {
            return "polling " + tokenEnv + " " + apiUrl + " " + path + " " + allowedUpdates + " " + timeout + " "
                    + maxAttempts + (secretEnv == null ? "" : " secret " + secretEnv);
        }
    }

    /**
     * How to launch the router.
     *
     * @param listenPort webhook port, 0 for a free one
     * @param adminPort  admin port, 0 for a free one
     * @param configFile the router's JSON config file
     * @param mainCommand the main class and any leading arguments, e.g. {@code [dev.botshift.cli.Main, router]}
     * @param startTimeout how long to wait for the router's "listening" line
     * @param environment  the router process's whole environment
     * @param verification webhook verification, or null for none
     * @param polling      the bridge's settings when the router polls the Bot API, or null: it takes webhooks
     * @param answerTimeout how long a bot may be silent answering before the router answers 504 ({@link AnswerTimeout})
     */
    public record Options(int listenPort, int adminPort, Path configFile, List<String> mainCommand, Duration startTimeout,
                          ChildEnvironment environment, Verification verification, Polling polling,
                          Duration answerTimeout) {
        /** The botshift CLI's router subcommand. */
        public static final List<String> CLI = List.of("dev.botshift.cli.Main", "router");
        /** {@code botshift router} through its own main (no CLI needed): the class {@code dev.botshift.cli.RouterCommand}. */
        public static final List<String> STANDALONE = List.of("dev.botshift.cli.RouterCommand");

        public Options {
            mainCommand = List.copyOf(mainCommand);
            answerTimeout = answerTimeout == null ? AnswerTimeout.DEFAULT : answerTimeout;
            Objects.requireNonNull(environment, "environment");
            if (verification != null && verification.secretEnv() != null
                    && !environment.variables().containsKey(verification.secretEnv())) {
                throw new IllegalArgumentException("the router's environment lacks " + verification.secretEnv());
            }
            if (polling != null && !environment.variables().containsKey(polling.tokenEnv())) {
                throw new IllegalArgumentException("the router's environment lacks " + polling.tokenEnv());
            }
            if (polling != null && polling.secretEnv() != null
                    && !environment.variables().containsKey(polling.secretEnv())) {
                throw new IllegalArgumentException("the router's environment lacks " + polling.secretEnv());
            }
            if (polling != null && verification != null) {
                throw new IllegalArgumentException("a polling router verifies no webhooks");
            }
        }

        /** A router that takes webhooks. */
        public Options(int listenPort, int adminPort, Path configFile, List<String> mainCommand, Duration startTimeout,
                       ChildEnvironment environment, Verification verification) {
            this(listenPort, adminPort, configFile, mainCommand, startTimeout, environment, verification, null);
        }

        /** A router that takes webhooks or polls, waiting the default for a bot's answer. */
        public Options(int listenPort, int adminPort, Path configFile, List<String> mainCommand, Duration startTimeout,
                       ChildEnvironment environment, Verification verification, Polling polling) {
            this(listenPort, adminPort, configFile, mainCommand, startTimeout, environment, verification, polling,
                    null);
        }

        /** The same router waiting {@code timeout} for a bot's answer. */
        public Options withAnswerTimeout(Duration timeout) {
            return new Options(listenPort, adminPort, configFile, mainCommand, startTimeout, environment, verification,
                    polling, timeout);
        }

        /** The standalone router, without webhook verification, in a minimal environment. */
        public static Options of(int listenPort, int adminPort, Path configFile) {
            return new Options(listenPort, adminPort, configFile, STANDALONE, Duration.ofSeconds(30),
                    ChildEnvironment.minimal(System.getenv()), null);
        }

        /** The same router on another listen port (a router started again keeps the port it had). */
        public Options withListenPort(int port) {
            return new Options(port, adminPort, configFile, mainCommand, startTimeout, environment, verification,
                    polling, answerTimeout);
        }

        String recordedVerification() {
            return polling != null ? polling.recorded() : verification == null ? "none" : verification.recorded();
        }
    }

    private final long pid;
    private final int listenPort;
    private final int adminPort;
    private final Path stateFile;
    private final Optional<AdminToken> token;
    private final String verification;
    private final Duration answerTimeout;
    /** When the recorded process started (read from its record), null for one only just started or an older record. */
    private ProcessStart started;
    /**
     * Whether its webhook port lets another router bind beside it ({@link WebhookPort#PORT_SHARING}): every router this
     * Botshift starts, where the system can; not one recorded by an older Botshift.
     */
    private boolean sharesPort = WebhookPort.PORT_SHARING;

    RouterProcess(long pid, int listenPort, int adminPort, Path stateFile, Optional<AdminToken> token,
                          String verification, Duration answerTimeout) {
        this.answerTimeout = answerTimeout;
        this.pid = pid;
        this.listenPort = listenPort;
        this.adminPort = adminPort;
        this.stateFile = stateFile;
        this.token = token;
        this.verification = verification;
    }

    /**
     * Re-attaches to the router recorded in {@code dir} if it is alive and answering, else starts a new one. A live
     * router that verifies webhooks otherwise than {@code options} ask is restarted (the webhook's platforms retry
     * what they sent in that moment): a plan that adds verification must not keep an unverified router running. So
     * is one that refuses the recorded admin token.
     */
    public static RouterProcess attachOrStart(Path dir, Options options) {
        return attachOrStart(dir, options, null);
    }

    /**
     * As {@link #attachOrStart(Path, Options)}, but when no router answers, {@code spare} (if alive) takes over
     * instead of a router started cold: the JVM of a spare is already up and warm, so it serves within a fraction of
     * a second. A spare that fails to take over is stopped and the router started cold after all.
     *
     * @param spare a hot spare started with the same options, or null
     */
    public static synchronized RouterProcess attachOrStart(Path dir, Options options, RouterSpare spare) {
        PrivateDirectory.ensure(dir);
        Path stateFile = dir.resolve(STATE_FILE);
        Optional<RouterProcess> running = attachTo(stateFile);
        if (running.isEmpty()) {
            killIfHung(stateFile);
        }
        // a router we recorded but cannot steer (its token file lost or replaced) is ours to replace, not to dodge
        if (running.isPresent() && (!running.get().verification.equals(options.recordedVerification())
                || !running.get().answerTimeout.equals(options.answerTimeout())
                || !running.get().client().acceptsCredentials())) {
            Optional<RouterProcess> successor = RouterLaunch.beside(dir, stateFile, options, running.get());
            if (successor.isPresent()) {
                return successor.get();
            }
            running.get().stop();
            running = Optional.empty();
        }
        if (running.isPresent()) {
            return running.get();
        }
        if (spare != null && spare.alive()) {
            try {
                return spare.promote(stateFile);
            } catch (RuntimeException e) {
                spare.close();
                // the log says why; the caller sees a cold start (a pid other than the spare's)
            }
        }
        return RouterLaunch.cold(dir, stateFile, options);
    }

    /**
     * A router recorded here whose process is still the one recorded but which failed every look's health check (its
     * admin API silent: stopped, deadlocked, starved; or its webhook port stuck): it holds the webhook port and serves
     * nothing, and a new router could not bind the port while it lives. Killed (SIGKILL: a stopped process acts on no
     * other signal), and said in its log.
     */
    private static void killIfHung(Path stateFile) {
        recordedAt(stateFile).ifPresent(hung -> {
            PrivateFiles.append(stateFile.resolveSibling(LOG_FILE), Instant.now() + " botshift: the router (pid "
                    + hung.pid + ") lived but failed its health check (no answer, or its webhook port stuck) "
                    + ATTACH_ATTEMPTS + " looks in a row: killed, to start a new one on its port");
            hung.kill(Duration.ofSeconds(5));
        });
    }

    /**
     * The router recorded in {@code dir} if its process is alive and is the one recorded (its start, not only its pid),
     * whether its admin API answers or not: what {@code botshift down} stops. Empty for a record without its start
     * (written by an older Botshift) whose router does not answer.
     */
    public static Optional<RouterProcess> recorded(Path dir) {
        Path stateFile = dir.resolve(STATE_FILE);
        Optional<RouterProcess> found = recordedAt(stateFile);
        return found.isPresent() ? found : attachTo(stateFile);
    }

    private static Optional<RouterProcess> recordedAt(Path stateFile) {
        return read(stateFile).filter(r -> r.started != null && ProcessLife.live(r.pid, r.started).isPresent());
    }

    /** The router recorded in {@code dir}, if its process is alive and its admin API answers. */
    public static Optional<RouterProcess> attach(Path dir) {
        return attachTo(dir.resolve(STATE_FILE));
    }

    private static Optional<RouterProcess> attachTo(Path stateFile) {
        // A live pid alone is not proof: pids are reused. The admin API answering on the recorded port is.
        return read(stateFile).filter(RouterProcess::answersWhileAlive);
    }

    /** The record, whatever its process's state; empty when there is none or it cannot be read. */
    private static Optional<RouterProcess> read(Path stateFile) {
        if (!Files.exists(stateFile)) {
            return Optional.empty();
        }
        try {
            JsonNode node = RouterConfigJson.JSON.readTree(stateFile.toFile());
            Path tokenFile = stateFile.resolveSibling(AdminToken.FILE_NAME);
            Optional<AdminToken> token = Files.exists(tokenFile) ? Optional.of(AdminToken.readFrom(tokenFile))
                    : Optional.empty();
            RouterProcess recorded = new RouterProcess(node.path("pid").asLong(), node.path("listenPort").asInt(),
                    node.path("adminPort").asInt(), stateFile, token, node.path("verify").asText("none"),
                    recordedAnswerTimeout(node));
            recorded.sharesPort = node.path("sharesPort").asBoolean(false);
            recorded.started = node.has("startTicks") || node.has("startedAt") ? new ProcessStart(
                    node.path("startedAt").isNumber() ? node.path("startedAt").asLong() : null,
                    node.path("startTicks").isNumber() ? node.path("startTicks").asLong() : null) : null;
            return Optional.of(recorded);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The answer timeout a router was started with; the default for a record of an older Botshift, which passed none. */
    private static Duration recordedAnswerTimeout(JsonNode node) {
        try {
            return node.path("answerTimeout").isTextual() ? DurationText.parse(node.path("answerTimeout").asText())
                    : AnswerTimeout.DEFAULT;
        } catch (IllegalArgumentException e) {
            return Duration.ZERO; // matches no plan's: the router is started again with the plan's
        }
    }

    void record(Path configFile) throws IOException {
        // its start beside its pid: a router that lives but answers nothing is killed only if it is this very process
        ProcessStart start = ProcessHandle.of(pid).map(ProcessStart::of).orElse(new ProcessStart(null, null));
        ObjectNode node = RouterConfigJson.JSON.createObjectNode()
                .put("pid", pid)
                .put("startedAt", start.epochMillis())
                .put("startTicks", start.bootTicks())
                .put("listenPort", listenPort)
                .put("adminPort", adminPort)
                .put("configFile", configFile.toAbsolutePath().toString())
                .put("verify", verification)
                .put("answerTimeout", DurationText.format(answerTimeout))
                .put("sharesPort", sharesPort);
        PrivateFiles.replace(stateFile, RouterConfigJson.JSON.writeValueAsBytes(node));
    }

    public long pid() {
        return pid;
    }

    /** Whether another router may bind its webhook port beside it ({@link RouterLaunch#beside}). */
    boolean sharesPort() {
        return sharesPort;
    }

    /** Whether this router is the bot's {@code getUpdates} consumer (the bridge) rather than taking webhooks. */
    public boolean polls() {
        return verification.startsWith("polling ");
    }

    /** Whether this router verifies Telegram webhooks with the registered secrets in {@code secretsFile}. */
    public boolean verifiesWith(Path secretsFile) {
        return verification.equals(Verification.registered(secretsFile).recorded());
    }

    public int listenPort() {
        return listenPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public URI adminUri() {
        return URI.create("http://127.0.0.1:" + adminPort);
    }

    public URI listenUri() {
        return URI.create("http://127.0.0.1:" + listenPort);
    }

    /** Where this router's admin API answers, with its token. */
    public BotshiftRouterClient.Endpoint endpoint() {
        return new BotshiftRouterClient.Endpoint(adminUri(), token);
    }

    /** A client of this router's admin API, with its token. */
    public BotshiftRouterClient client() {
        return client(Duration.ofSeconds(10));
    }

    /** A client whose calls wait at most {@code timeout} (the guard's looks for a router alive but hung). */
    public BotshiftRouterClient client(Duration timeout) {
        return new BotshiftRouterClient(adminUri(), timeout, token);
    }

    /**
     * A loaded machine can make a live router miss one health check; starting a second router then fails on the port
     * the first still holds. So a live process gets a few chances before it counts as gone.
     */
    private boolean answersWhileAlive() {
        for (int attempt = 0; attempt < ATTACH_ATTEMPTS; attempt++) {
            if (!alive()) {
                return false;
            }
            if (client(ATTACH_LOOK).healthy()) {
                return true;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The process only: its record and token are another router's by now (it was replaced), or {@link #stop}'s. */
    void terminate() {
        dev.botshift.os.Termination.stop(pid, java.time.Duration.ofSeconds(10));
    }

    /**
     * Kills it at once (SIGKILL: a hung process answers no SIGTERM, a stopped one cannot act on it) and waits up to
     * {@code wait} for it to be gone; its record stays, for the router that replaces it to read.
     */
    public void kill(Duration wait) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + wait.toNanos();
        while (alive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public boolean alive() {
        return ProcessLife.alive(pid);
    }

    /**
     * Completes when the router's process ends: at once for a child of this process (the supervisor started it),
     * within a few seconds otherwise (the JDK polls a process it did not start), so callers keep a poll as well.
     */
    public java.util.concurrent.CompletableFuture<?> onExit() {
        return ProcessHandle.of(pid).map(h -> (java.util.concurrent.CompletableFuture<?>) h.onExit())
                .orElseGet(() -> java.util.concurrent.CompletableFuture.completedFuture(null));
    }

    /** Asks the router to stop (SIGTERM lets it finish in-flight requests), forces it after 10 s. */
    public void stop() {
        terminate();
        PrivateFiles.delete(stateFile);
        PrivateFiles.delete(stateFile.resolveSibling(AdminToken.FILE_NAME));
    }
}
