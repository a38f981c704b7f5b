package dev.botshift.pipelines;

import dev.botshift.cli.Main;
import java.io.IOException;
import java.io.OutputStream;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import picocli.CommandLine;

/**
 * A stand-in for {@code botshift.jar} that lets a test choose each command's exit code, so every branch of a
 * pipeline's exit-code handling can be run. Each call is parsed by the real CLI first (a call that does not parse
 * exits 98, which no pipeline expects), then appended to the log, then answered:
 * <ul>
 *   <li>{@code FAKE_BOTSHIFT_CODES}: e.g. {@code deploy=4 status=6,3 abort=3}; the n-th call of a command takes the
 *   n-th code (the last repeats); a command not named exits 0;</li>
 *   <li>{@code -o json} of {@code plan}, and of {@code deploy} unless it exits 2 or 5 (nothing started), prints what
 *   the real one prints: release {@value #RELEASE}, attempt {@value #ATTEMPT}.</li>
 * </ul>
 */
public final class FakeBotshift {
    static final String RELEASE = "2.0.0";
    static final int ATTEMPT = 2;
    static final int DOES_NOT_PARSE = 98;

    private FakeBotshift() {
    }

    public static void main(String[] args) throws IOException {
        try {
            Main.commandLine().parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            System.err.println("fake botshift: " + String.join(" ", args) + " does not parse: " + e.getMessage());
            System.exit(DOES_NOT_PARSE);
        }
        Path log = Path.of(System.getenv("FAKE_BOTSHIFT_LOG"));
        String command = args[0];
        long earlier = Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.split("\t")[0].equals(command)).count() : 0;
        Files.writeString(log, String.join("\t", args) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig != null) { // what the cluster client would read
            Files.writeString(Path.of(log + ".kubeconfig"), Files.readString(Path.of(kubeconfig)));
        }
        int code = code(System.getenv().getOrDefault("FAKE_BOTSHIFT_CODES", ""), command, (int) earlier);
        boolean json = String.join(" ", args).matches(".*(-o json|--output[ =]json).*");
        if (json && command.equals("plan")) {
            System.out.println("{\"app\":\"my-bot\",\"release\":\"" + RELEASE + "\",\"steps\":[10,100]}");
        } else if (json && command.equals("deploy") && code != 2 && code != 5) {
            System.out.println("{\"app\":\"my-bot\",\"release\":\"" + RELEASE + "\",\"attempt\":" + ATTEMPT + "}");
        }
        if (code != 0) {
            System.err.println("botshift: (fake) " + command + " exits " + code);
        }
        System.exit(code);
    }

    static int code(String codes, String command, int call) {
        for (String entry : codes.trim().split("\\s+")) {
            String[] kv = entry.split("=", 2);
            if (kv.length == 2 && kv[0].equals(command)) {
                String[] seq = kv[1].split(",");
                return Integer.parseInt(seq[Math.min(call, seq.length - 1)]);
            }
        }
        return 0;
    }

    /** Calls logged so far, each as its arguments. */
    static List<List<String>> calls(Path log) throws IOException {
        List<List<String>> out = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                out.add(Arrays.asList(line.split("\t")));
            }
        }
        return out;
    }

    /** An executable jar whose manifest runs this class on the test's own class path. */
    static Path jar(Path dir) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeBotshift.class.getName());
        List<String> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            try {
                urls.add(Path.of(entry).toAbsolutePath().toUri().toURL().toString());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
        Path jar = dir.resolve("fake-botshift.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
        return jar;
    }

    static String describe(List<List<String>> calls) {
        return String.join("; ", calls.stream().map(c -> String.join(" ", c)).toList());
    }
}
