package dev.botshift.example.sentiment;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts requests being handled. The JDK 17 HttpServer's {@code stop(delay)} waits the whole delay even when nothing
 * is in flight, so the bot waits for this count to reach zero itself, then stops the server at once.
 */
final class InFlight extends Filter {

    private final AtomicInteger count = new AtomicInteger();

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        count.incrementAndGet();
        try {
            chain.doFilter(exchange);
        } finally {
            count.decrementAndGet();
        }
    }

    @Override
    public String description() {
        return "counts requests in flight";
    }

    /** Waits until no request is in flight or the grace period has passed; true if none is left. */
    boolean awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (count.get() > 0) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }
}
