package dev.botshift.platform;

import dev.botshift.core.Slot;
import dev.botshift.os.PrivateFiles;
import dev.botshift.plan.WorkloadSpec;
import dev.botshift.supervise.local.SupervisorProcess;
import dev.botshift.supervise.local.SupervisorSpare;
import dev.botshift.traffic.router.RouterProcess;
import dev.botshift.traffic.router.RouterSpare;
import dev.botshift.traffic.router.WebhookSecrets;
import dev.botshift.workload.local.LocalWorkloads;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Stopping everything the embedded default runs for an app: its supervisor, the bots of both slots, its router and the
 * router's spare. The demo's clean-up and {@code botshift down}. Logs, the webhook secrets and the database are not
 * touched.
 */
public final class LocalTeardown {
    private LocalTeardown() {
    }

    /**
     * What was running when the tear-down began.
     *
     * @param supervisor whether a supervisor process was
     * @param instances  live bot instances, both slots together
     * @param routerPort the router's webhook port, when a router answered
     */
    public record Stopped(boolean supervisor, int instances, OptionalInt routerPort) {
        public boolean nothing() {
            return !supervisor && instances == 0 && routerPort.isEmpty();
        }
    }

    /**
     * Stops what runs for {@code app}, in the order that keeps anything from coming back: the supervisor first (its
     * guard would start again what is stopped below), then each slot's bots (SIGTERM, SIGKILL after the drain time),
     * then the router and its spare.
     *
     * @param workload the app's {@code workload} section: its {@code drainTimeout} (null fields: the defaults)
     */
    public static Stopped stop(String app, WorkloadSpec workload, Path stateDir, PrintStream progress) {
        Path appDir = stateDir.resolve(app);
        Optional<SupervisorProcess> supervisor = SupervisorProcess.attach(appDir);
        supervisor.ifPresent(SupervisorProcess::stop);
        SupervisorSpare.stopRecorded(appDir); // the spare of a supervisor killed a moment ago, if it still waits
        // the command is only needed to start a bot: stopping reads the slot files
        LocalWorkloads workloads = new LocalWorkloads(app, stateDir, workload, stateDir, Map.of(), progress::println,
                Clock.systemUTC());
        int instances = 0;
        for (Slot slot : Slot.values()) {
            instances += workloads.running(slot);
            workloads.stop(slot);
        }
        // answering or not: a router that lives but answers nothing still holds the webhook port
        Optional<RouterProcess> router = RouterProcess.recorded(routerDir(stateDir, app));
        OptionalInt port = router.map(r -> OptionalInt.of(r.listenPort())).orElse(OptionalInt.empty());
        router.ifPresent(RouterProcess::stop);
        // a spare leaves by itself once its supervisor is gone; this only spares a teardown that moment
        RouterSpare.stopRecorded(routerDir(stateDir, app));
        return new Stopped(supervisor.isPresent(), instances, port);
    }

    /**
     * Deletes the router's stored split (weights and backends): it names bots that no longer run, and a router
     * started later would route to their ports until told otherwise.
     */
    public static void forgetSplit(String app, Path stateDir) {
        PrivateFiles.delete(routerDir(stateDir, app).resolve(RouterProcess.CONFIG_FILE));
    }

    /** What a tear-down leaves of the app on this machine, in words: its logs and webhook secrets, where they exist. */
    public static List<String> kept(String app, Path stateDir) {
        Path appDir = stateDir.resolve(app);
        List<String> logs = Stream.of(LocalWorkloads.logDir(stateDir, app),
                        routerDir(stateDir, app).resolve(RouterProcess.LOG_FILE), appDir.resolve(SupervisorProcess.LOG))
                .filter(Files::exists).map(Path::toString).toList();
        List<String> kept = new ArrayList<>();
        if (!logs.isEmpty()) {
            kept.add("the logs (" + String.join(", ", logs) + ")");
        }
        Path secrets = routerDir(stateDir, app).resolve(WebhookSecrets.FILE_NAME);
        if (Files.exists(secrets)) {
            kept.add("the webhook secrets (" + secrets + ")");
        }
        return kept;
    }

    static Path routerDir(Path stateDir, String app) {
        return stateDir.resolve(app).resolve("router");
    }
}
