package dev.botshift.platform;

import dev.botshift.analysis.MetricsProvider;
import dev.botshift.core.InvalidInputException;
import dev.botshift.plan.Plan;
import dev.botshift.state.StateStore;
import java.io.PrintStream;

/** Kubernetes: Fabric8 adapters. */
final class KubernetesPlatform {
    private KubernetesPlatform() {
    }

    static Platform open(Plan plan, PrintStream progress) {
        throw new InvalidInputException("platform kubernetes is not wired yet");
    }

    static StateStore stateStore(String namespace) {
        throw new InvalidInputException("platform kubernetes is not wired yet");
    }

    static MetricsProvider prometheus(Plan plan) {
        throw new InvalidInputException("the prometheus provider is not wired yet");
    }
}
