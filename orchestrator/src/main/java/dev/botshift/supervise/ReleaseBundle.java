package dev.botshift.supervise;

import dev.botshift.core.InvalidInputException;
import dev.botshift.kubernetes.Names;
import dev.botshift.kubernetes.Reconcile;
import dev.botshift.plan.Plan;
import dev.botshift.plan.ReleaseFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A release's files ({@link ReleaseFiles}), for the Kubernetes controller, zipped into ConfigMap {@code <app>-botshift-release} by {@code botshift deploy}, so the
 * controller can expand and, hours later, contract without the CI job's checkout. Secrets are not in it: the plan's
 * {@code ${env:...}} references are resolved from the controller's own environment.
 */
public final class ReleaseBundle {
    public static final String KEY = "release.zip";
    public static final String PLAN_KEY = "plan";
    /** A ConfigMap holds at most 1 MiB; the zip and its base64 form must fit. */
    static final int MAX_BYTES = 700 * 1024;
    private static final int MAX_FILES = 2_000;

    private ReleaseBundle() {
    }

    /** Zips the plan and its files and stores them for the controller (create or replace). */
    public static void store(KubernetesClient client, String namespace, Plan plan) {
        List<Path> files = ReleaseFiles.of(plan);
        Path root = ReleaseFiles.root(files);
        byte[] zip = zip(root, files);
        if (zip.length > MAX_BYTES) {
            throw new InvalidInputException(plan.source() + ": the plan's files (" + root + ") come to " + zip.length / 1024
                    + " KiB compressed; a release is kept in a ConfigMap of at most " + MAX_BYTES / 1024 + " KiB");
        }
        ConfigMap cm = new ConfigMapBuilder().withNewMetadata().withName(Names.releaseConfigMap(plan.name()))
                .withNamespace(namespace).addToLabels(Names.APP_LABEL, plan.name())
                .addToLabels(Names.MANAGED_BY_LABEL, Names.MANAGER).endMetadata()
                .addToData(PLAN_KEY, root.relativize(plan.source().toAbsolutePath().normalize()).toString())
                .addToBinaryData(KEY, Base64.getEncoder().encodeToString(zip)).build();
        Reconcile.createOrUpdate(client.configMaps().inNamespace(namespace), cm.getMetadata().getName(), () -> cm,
                current -> {
                    current.setData(cm.getData());
                    current.setBinaryData(cm.getBinaryData());
                    return current;
                });
    }

    /**
     * Unpacks the app's stored release into {@code into} (a fresh, private folder).
     *
     * @return the plan file there
     * @throws InvalidInputException when there is none, or an entry would land outside {@code into}
     */
    public static Path unpack(KubernetesClient client, String namespace, String app, Path into) {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(Names.releaseConfigMap(app)).get();
        if (cm == null || cm.getBinaryData() == null || cm.getBinaryData().get(KEY) == null || cm.getData() == null) {
            throw new InvalidInputException("no release of " + app + " stored in ConfigMap " + namespace + "/"
                    + Names.releaseConfigMap(app) + ": deploy it with botshift deploy");
        }
        byte[] zip = Base64.getDecoder().decode(cm.getBinaryData().get(KEY));
        int count = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = inside(into, e.getName());
                if (++count > MAX_FILES) {
                    throw new InvalidInputException("the release of " + app + " has more than " + MAX_FILES + " files");
                }
                Files.createDirectories(target.getParent());
                Files.write(target, in.readNBytes(MAX_BYTES));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the release of " + app, e);
        }
        return inside(into, cm.getData().get(PLAN_KEY));
    }

    /** {@code name} under {@code dir}, or a refusal: a bundle never writes outside its folder. */
    static Path inside(Path dir, String name) {
        Path target = dir.resolve(name).normalize();
        if (name.isEmpty() || Path.of(name).isAbsolute() || !target.startsWith(dir.normalize())) {
            throw new InvalidInputException("a release file named '" + name + "' would land outside its folder");
        }
        return target;
    }

    private static byte[] zip(Path root, List<Path> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Path file : files) {
                out.putNextEntry(new ZipEntry(root.relativize(file).toString()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bundle the release's files", e);
        }
        return bytes.toByteArray();
    }
}
