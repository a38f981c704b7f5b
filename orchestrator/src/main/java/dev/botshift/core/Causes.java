package dev.botshift.core;

/** What a failure's chain of causes says: one rule for the places that name the innermost one. */
public final class Causes {
    private Causes() {
    }

    /** The innermost cause's message, or its class's simple name when it has none. */
    public static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
