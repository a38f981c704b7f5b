package dev.botshift.plan;

import dev.botshift.core.InvalidInputException;
import dev.botshift.core.Slot;
import dev.botshift.core.VisibleText;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The rule for a plan's {@code name}. It names the Kubernetes Services of the two slots, {@code <name>-a} and
 * {@code <name>-b}, and a Service name must be a DNS-1035 label (Kubernetes' {@code IsDNS1035Label}:
 * {@code [a-z]([-a-z0-9]*[a-z0-9])?}, at most 63 characters), so the name must be one with room for the slot suffix.
 * The same rule holds on the embedded default, so a plan moves to a cluster unchanged.
 */
public final class AppName {
    /** the longest {@code -<slot>} suffix ("-a") */
    public static final int SUFFIX = 1 + Arrays.stream(Slot.values()).mapToInt(c -> c.label().length()).max().orElseThrow();
    /** Kubernetes' limit for a DNS-1035 label */
    static final int DNS1035_MAX = 63;
    public static final int MAX = DNS1035_MAX - SUFFIX;
    private static final Pattern DNS_1035 = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    static final String RULE = "must be a DNS-1035 label with room for the suffix '-a' (the Kubernetes Services "
            + "<name>-a and <name>-b of the two slots): lower-case letters, digits and '-', starting with a letter, "
            + "ending with a letter or digit, at most " + MAX + " characters";

    private AppName() {
    }

    public static boolean valid(String name) {
        return name.length() <= MAX && DNS_1035.matcher(name).matches();
    }

    /**
     * {@code app}, given on a command line, when it can be an app's name (every app has a plan's {@code name});
     * refused before it names anything (a file, a Kubernetes object) otherwise.
     *
     * @throws InvalidInputException (exit 2) quoting it, cut and escaped
     */
    public static String require(String app) {
        if (app == null || !valid(app)) {
            throw new InvalidInputException("<app>: '" + VisibleText.quoted(String.valueOf(app), 80) + "' is not an "
                    + "app name (lower-case letters, digits and '-', starting with a letter)");
        }
        return app;
    }
}
