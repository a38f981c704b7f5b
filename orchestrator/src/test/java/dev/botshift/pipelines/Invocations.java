package dev.botshift.pipelines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds {@code botshift …} commands in shell text (a {@code run:} script, a Jenkins {@code sh} string) and splits
 * them into arguments the way the shell would, with {@code $VAR}/{@code ${VAR}} taken from the given environment
 * (a placeholder when unknown) and {@code "${array[@]}"} as no words.
 */
final class Invocations {
    /** "botshift" in command position: line start, after ; & | ( ) ' or a shell keyword; not a path or a message. */
    private static final Pattern COMMAND = Pattern.compile("(?m)(?:^|[;&|()']|\\bthen|\\bdo|\\belse)[ \\t]*botshift[ \\t]+");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(\\[@])?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private Invocations() {
    }

    record Invocation(String text, List<String> args) {
    }

    static List<Invocation> find(String script, Map<String, String> env) {
        List<Invocation> found = new ArrayList<>();
        Matcher m = COMMAND.matcher(script);
        while (m.find()) {
            int start = m.end();
            int end = start;
            boolean quoted = false;
            while (end < script.length()) {
                char c = script.charAt(end);
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && (c == '\n' || c == ';' || c == '|' || c == '&' || c == ')' || c == '\''
                        || c == '#' || c == '>' || c == '<')) { // a redirection ends the arguments
                    break;
                }
                end++;
            }
            String text = script.substring(start, end).strip();
            found.add(new Invocation("botshift " + text, split(text, env)));
        }
        return found;
    }

    private static List<String> split(String text, Map<String, String> env) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        List<String> args = new ArrayList<>();
        for (String w : words) {
            Matcher v = VARIABLE.matcher(w);
            if (v.matches() && v.group(2) != null) {
                continue;
            }
            v.reset();
            StringBuilder out = new StringBuilder();
            while (v.find()) {
                String name = v.group(1) != null ? v.group(1) : v.group(3);
                String value = env.get(name);
                v.appendReplacement(out, Matcher.quoteReplacement(value == null || value.isEmpty() ? "dummy-" + name : value));
            }
            v.appendTail(out);
            args.add(out.toString());
        }
        return args;
    }
}
