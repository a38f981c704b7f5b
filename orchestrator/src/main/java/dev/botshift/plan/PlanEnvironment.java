package dev.botshift.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment variables a plan reads: its {@code ${env:NAME}} references and the variables it names for secrets
 * (a notification webhook, the bots' database password, the router's webhook secret, the polling router's bot
 * token). A process that must load the plan again later (the supervisor) is started with these and nothing more of
 * the caller's environment.
 */
public final class PlanEnvironment {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private PlanEnvironment() {
    }

    /** The names {@code plan} reads from its environment. */
    public static Set<String> names(Plan plan) {
        Set<String> names = new TreeSet<>();
        try {
            Matcher m = REFERENCE.matcher(Files.readString(plan.source()));
            while (m.find()) {
                names.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plan file " + plan.source() + " again", e);
        }
        if (plan.notifications() != null && plan.notifications().webhookUrlEnv() != null) {
            names.add(plan.notifications().webhookUrlEnv());
        }
        if (plan.database() != null && plan.database().app() != null && plan.database().app().passwordEnv() != null) {
            names.add(plan.database().app().passwordEnv()); // the bots' password, handed to them by the supervisor
        }
        if (plan.traffic() != null && plan.traffic().verify() != null && plan.traffic().verify().secretEnv() != null) {
            names.add(plan.traffic().verify().secretEnv()); // the router's webhook secret
        }
        if (plan.traffic() != null && plan.traffic().polls() && plan.traffic().polling() != null
                && plan.traffic().polling().tokenEnv() != null) {
            names.add(plan.traffic().polling().tokenEnv()); // the polling router's bot token
        }
        if (plan.traffic() != null && plan.traffic().polls() && plan.traffic().polling() != null
                && plan.traffic().polling().secretEnv() != null) {
            names.add(plan.traffic().polling().secretEnv()); // the secret its deliveries carry
        }
        return names;
    }

    /** {@code parent}'s values of the variables {@code plan} reads (those that are set). */
    public static Map<String, String> of(Plan plan, Map<String, String> parent) {
        Map<String, String> values = new TreeMap<>();
        for (String name : names(plan)) {
            String value = parent.get(name);
            if (value != null) {
                values.put(name, value);
            }
        }
        return values;
    }
}
