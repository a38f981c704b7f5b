package dev.botshift.traffic.polling;

import java.util.function.Consumer;

/**
 * Writes the committed offset to the offset file in the background, so the durable write (two fsyncs, milliseconds
 * to tens of milliseconds on a busy disk) never sits between an acknowledged update and the next poll, where every
 * update arriving at the API would wait for it. Only the latest offset matters: offers made while a write runs
 * collapse into one next write.
 *
 * <p>A file behind the bridge is safe: every offset written is below finished updates only, and a restarted bridge
 * that polls with an older offset is answered from the API's own earliest unconfirmed update (the API learned the
 * newer offset from the polls). What the file adds is the offset of updates finished after the last poll.
 */
final class OffsetWriter implements AutoCloseable {
    private final Consumer<Long> write;
    private final Consumer<String> problem;
    private final Thread thread;
    private Long pending;
    private boolean closed;

    /**
     * @param write   writes one offset durably (OffsetFile::write); may throw
     * @param problem told what went wrong when a write failed (the next offer tries again)
     */
    OffsetWriter(Consumer<Long> write, Consumer<String> problem) {
        this.write = write;
        this.problem = problem;
        this.thread = new Thread(this::run, "telegram-offset-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Asks for {@code offset} to be written; returns at once. Null (no offset yet) is ignored. */
    synchronized void offer(Long offset) {
        if (offset != null && !closed) {
            pending = offset;
            notifyAll();
        }
    }

    private void run() {
        while (true) {
            Long next;
            synchronized (this) {
                while (pending == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return; // close() writes what is pending itself
                }
                next = pending;
                pending = null;
            }
            try {
                write.accept(next);
            } catch (RuntimeException e) {
                problem.accept(String.valueOf(e.getMessage()));
            }
        }
    }

    /** Stops the background writer (after the write it is doing) and writes the last offer not written yet. */
    @Override
    public void close() {
        Long last;
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            last = pending;
            pending = null;
        }
        if (last != null) {
            write.accept(last);
        }
    }
}
