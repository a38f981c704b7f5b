package dev.botshift.schema.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.botshift.schema.LintReport;
import dev.botshift.schema.lightlock.EngineRunForms;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lint time grows linearly with the number of changesets (issue 13: 10,000 changesets took 93 s and 827 MB). The
 * figures are printed for docs/linter.md; the bounds are generous because the machine may be shared.
 */
class LintScaleIT {

    @Test
    void tenThousandChangesetsLintInLinearTime(@TempDir Path dir) throws IOException {
        lint(dir, 1_000); // warms the JIT up, so the two measured runs compare like with like
        Run quarter = lint(dir, 2_500);
        Run full = lint(dir, 10_000);
        System.out.printf("lint of 2,500 changesets: %d ms; of 10,000: %d ms, peak heap %d MB%n",
                quarter.millis, full.millis, full.peakHeapMb);
        assertThat(full.millis).as("lint time of 10,000 changesets").isLessThan(60_000);
        // linear: four times the changesets, about four times the time (quadratic would be sixteen)
        assertThat(full.millis).as("10,000 vs 2,500 changesets").isLessThan(8 * quarter.millis + 2_000);
        assertThat(full.peakHeapMb).as("peak heap, MB").isLessThan(600);
    }

    private record Run(long millis, long peakHeapMb) {
    }

    private static Run lint(Path dir, int changesets) throws IOException {
        Path changelog = Files.writeString(dir.resolve("big-" + changesets + ".sql"), changesets(changesets));
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        long start = System.nanoTime();
        LintReport report = new ChangelogLinter(new EngineRunForms()).lint(changelog);
        long millis = (System.nanoTime() - start) / 1_000_000;
        long peak = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() / (1024 * 1024);
        assertThat(report.findings()).isEmpty();
        return new Run(millis, peak);
    }

    /** A column, an index on it (built lock-light), an update: the common shapes, on one table. */
    static String changesets(int n) {
        StringBuilder out = new StringBuilder("--liquibase formatted sql\n\n--changeset bench:base labels:expand\n"
                + "CREATE TABLE orders (id bigint PRIMARY KEY, amount numeric(10,2));\n");
        for (int i = 0; i < n; i++) {
            out.append("--changeset bench:c").append(i).append(" labels:expand\n");
            switch (i % 3) {
                case 0 -> out.append("ALTER TABLE orders ADD COLUMN c").append(i).append(" text;\n");
                case 1 -> out.append("CREATE INDEX idx_").append(i).append(" ON orders (c").append(i - 1).append(");\n");
                default -> out.append("UPDATE orders SET c").append(i - 2).append(" = 'x' WHERE id = ").append(i)
                        .append(";\n");
            }
        }
        return out.toString();
    }
}
