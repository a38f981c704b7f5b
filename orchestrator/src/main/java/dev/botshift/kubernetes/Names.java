package dev.botshift.kubernetes;

import dev.botshift.core.Slot;
import dev.botshift.plan.AppName;

/** Names and labels of the objects Botshift owns in a namespace; one place so adapters and manifests agree. */
public final class Names {
    /** the app, as in the Kubernetes recommended labels */
    public static final String APP_LABEL = "app.kubernetes.io/name";
    public static final String SLOT_LABEL = "botshift.dev/slot";
    public static final String VERSION_LABEL = "botshift.dev/version";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "botshift";

    private Names() {
    }

    /** Deployment and Service of one colour: {@code <app>-<colour>}. */
    public static String slotObject(String app, Slot slot) {
        return app + "-" + slot.label();
    }

    /** The app's stored rollout; an {@code app} that cannot be an app's name is refused (exit 2), never sent. */
    public static String stateConfigMap(String app) {
        return AppName.require(app) + "-botshift-state";
    }

    /** The release being rolled out: its plan and files, for the controller ({@code botshift deploy} stores it). */
    public static String releaseConfigMap(String app) {
        return app + "-botshift-release";
    }

    /** The inbox of manual commands (promote, pause, resume, abort) waiting for the rollout's driver. */
    public static String requestsConfigMap(String app) {
        return app + "-botshift-requests";
    }

    public static String lockLease(String app) {
        return app + "-botshift-lock";
    }

    public static String routerConfigMap(String app) {
        return app + "-botshift-router";
    }
}
