package dev.botshift.plan;

import com.fasterxml.jackson.core.JsonStreamContext;

/** Field paths as users read them: {@code traffic.steps[2]}, {@code workload.kubernetes.image}. */
final class FieldPath {
    private FieldPath() {
    }

    static String field(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The path of the value a Jackson parser is at. */
    static String of(JsonStreamContext context) {
        if (context == null || context.inRoot()) {
            return "";
        }
        String parent = of(context.getParent());
        if (context.inArray()) {
            // index -1: the parser is at the list's opening token, i.e. at the list itself
            return context.hasCurrentIndex() ? element(parent, context.getCurrentIndex()) : parent;
        }
        String name = context.getCurrentName();
        return name == null ? parent : field(parent, name);
    }

    /** The enclosing path: {@code traffic} for {@code traffic.steps[2]}; empty for a top-level field. */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
