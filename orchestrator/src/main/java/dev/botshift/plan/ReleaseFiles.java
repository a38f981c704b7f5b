package dev.botshift.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files a release's rollout reads after its deploy, hours later when the contract comes: the plan file, the folder
 * of its changelog (all of it: includes are relative to it), its phases file and its Deployment template. Kept with
 * the rollout (the Kubernetes controller's release bundle, the embedded default's kept copy) so that the rollout reads
 * them as they were deployed, whatever the checkout holds by then. The bots' own files are not among them, nor what
 * lies in hidden folders of the changelog's folder ({@code .git}, {@code .idea}: never a changelog's).
 */
public final class ReleaseFiles {
    private ReleaseFiles() {
    }

    /** The files, absolute and normalised, in a stable order. */
    public static List<Path> of(Plan plan) {
        TreeSet<Path> files = new TreeSet<>();
        files.add(plan.source().toAbsolutePath().normalize());
        Path changelogDir = plan.resolve(plan.database().changelog()).toAbsolutePath().normalize().getParent();
        try (Stream<Path> walk = Files.walk(changelogDir)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !hidden(changelogDir.relativize(p)))
                    .forEach(p -> files.add(p.normalize()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the changelog folder " + changelogDir, e);
        }
        if (plan.database().phases() != null) {
            files.add(plan.resolve(plan.database().phases()).toAbsolutePath().normalize());
        }
        if (plan.workload().kubernetes() != null && plan.workload().kubernetes().template() != null) {
            files.add(plan.resolve(plan.workload().kubernetes().template()).toAbsolutePath().normalize());
        }
        return new ArrayList<>(files);
    }

    private static boolean hidden(Path relative) {
        for (Path name : relative) {
            if (name.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The deepest folder holding all of {@code files}, so relative paths between them stay the same. */
    public static Path root(List<Path> files) {
        Path root = null;
        for (Path file : files) {
            Path dir = file.getParent();
            root = root == null ? dir : common(root, dir);
        }
        return root;
    }

    private static Path common(Path a, Path b) {
        Path r = a;
        while (!b.startsWith(r)) {
            r = r.getParent();
        }
        return r;
    }
}
