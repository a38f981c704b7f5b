package dev.botshift.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles a do-nothing Liquibase {@code CustomTaskChange} into a jar of its own, as a project's build would. */
final class CustomChangeJar {
    private CustomChangeJar() {
    }

    static Path build(Path dir, String className) throws IOException {
        int dot = className.lastIndexOf('.');
        String pkg = className.substring(0, dot);
        String simple = className.substring(dot + 1);
        Path src = Files.createDirectories(dir.resolve("src"));
        Path file = Files.writeString(src.resolve(simple + ".java"), """
                package %s;
                public class %s implements liquibase.change.custom.CustomTaskChange {
                    private String batchSize;
                    public void setBatchSize(String s) { batchSize = s; }
                    public void execute(liquibase.database.Database d) { }
                    public String getConfirmationMessage() { return "done"; }
                    public void setUp() { }
                    public void setFileOpener(liquibase.resource.ResourceAccessor r) { }
                    public liquibase.exception.ValidationErrors validate(liquibase.database.Database d) {
                        return new liquibase.exception.ValidationErrors();
                    }
                }
                """.formatted(pkg, simple));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                file.toString());
        if (rc != 0) {
            throw new IllegalStateException("javac failed: " + rc);
        }
        Path jar = dir.resolve("custom-changes.jar");
        String entry = className.replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            j.putNextEntry(new JarEntry(entry));
            j.write(Files.readAllBytes(classes.resolve(entry)));
            j.closeEntry();
        }
        return jar;
    }

}
