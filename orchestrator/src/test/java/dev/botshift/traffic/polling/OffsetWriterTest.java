package dev.botshift.traffic.polling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The offset file is written beside the polls, never in their way, and the last offset is never left unwritten. */
class OffsetWriterTest {
    private final List<Long> written = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();

    @Test
    void anOfferReturnsAtOnceWhileAWriteIsStuckAndOffersMadeMeanwhileCollapseIntoTheLatest() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch disk = new CountDownLatch(1);
        OffsetWriter writer = new OffsetWriter(offset -> {
            writing.countDown();
            await(disk); // a slow fsync
            written.add(offset);
        }, problems::add);
        writer.offer(5L);
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        writer.offer(6L);
        writer.offer(7L);
        writer.offer(null); // no offset yet: nothing to write
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("offers while the disk is stuck")
                .isLessThan(1_000);

        disk.countDown();
        awaitWritten(2);
        writer.close();
        assertThat(written).containsExactly(5L, 7L);
        assertThat(problems).isEmpty();
    }

    @Test
    void closeWritesTheLastOfferTheBackgroundHadNoTimeFor() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch disk = new CountDownLatch(1);
        OffsetWriter writer = new OffsetWriter(offset -> {
            if (offset == 1L) {
                writing.countDown();
                await(disk);
            }
            written.add(offset);
        }, problems::add);
        writer.offer(1L);
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        writer.offer(2L);
        Thread releaser = new Thread(() -> {
            sleep(200);
            disk.countDown();
        });
        releaser.start();
        writer.close(); // waits for the write under way, then writes 2 itself
        assertThat(written).containsExactly(1L, 2L);
    }

    @Test
    void aFailedWriteIsReportedAndTheNextOfferWritesAgain() throws Exception {
        OffsetWriter writer = new OffsetWriter(offset -> {
            if (offset == 3L) {
                throw new IllegalStateException("cannot write polling-offset.json: No space left on device");
            }
            written.add(offset);
        }, problems::add);
        writer.offer(3L);
        awaitProblems();
        writer.offer(4L);
        awaitWritten(1);
        writer.close();
        assertThat(problems).containsExactly("cannot write polling-offset.json: No space left on device");
        assertThat(written).containsExactly(4L);
    }

    private void awaitWritten(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (written.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(written).hasSizeGreaterThanOrEqualTo(n);
    }

    private void awaitProblems() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (problems.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(problems).isNotEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
