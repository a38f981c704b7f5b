package dev.botshift.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The labelled {@code sh(label: '…', script: '''…''')} steps of a Jenkinsfile, as the shell text Jenkins would run
 * (Groovy's escapes in a triple-single-quoted string undone: {@code \\} and {@code \'}; no interpolation there).
 */
final class JenkinsScripts {
    private static final Pattern SH = Pattern.compile(
            "sh\\(label: '((?:[^'\\\\]|\\\\.)*)',[^']*?script: '''(.*?)'''\\)", Pattern.DOTALL);

    private JenkinsScripts() {
    }

    static Map<String, String> read(Path jenkinsfile) throws IOException {
        Map<String, String> scripts = new LinkedHashMap<>();
        Matcher m = SH.matcher(Files.readString(jenkinsfile));
        while (m.find()) {
            scripts.put(unescape(m.group(1)), unescape(m.group(2)));
        }
        return scripts;
    }

    private static String unescape(String groovy) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < groovy.length(); i++) {
            char c = groovy.charAt(i);
            if (c == '\\' && i + 1 < groovy.length() && (groovy.charAt(i + 1) == '\\' || groovy.charAt(i + 1) == '\'')) {
                out.append(groovy.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
