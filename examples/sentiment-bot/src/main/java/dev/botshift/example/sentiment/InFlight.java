package dev.botshift.example.sentiment;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Webhooks handled on threads of their own, counted from their arrival to their answer. Their own threads: the
 * server's threads only hand a webhook over, so {@code /metrics} and {@code /healthz} answer at once while every
 * webhook thread is busy (a release that answers webhooks slowly must still be judged: Botshift reads {@code /metrics}
 * with a 2 s limit). Counted: the JDK 17 HttpServer's {@code stop(delay)} waits the whole delay even when nothing is
 * in flight, so the bot waits for this count to reach zero itself, then stops the server at once.
 */
final class InFlight {

    private final AtomicInteger count = new AtomicInteger();

    /** {@code handler} run on {@code threads}; a webhook arriving once they are shut down is answered 503. */
    HttpHandler on(HttpHandler handler, Executor threads) {
        return exchange -> {
            count.incrementAndGet();
            try {
                threads.execute(() -> handle(handler, exchange));
            } catch (RejectedExecutionException stopping) {
                count.decrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
            }
        };
    }

    private void handle(HttpHandler handler, HttpExchange exchange) {
        try {
            handler.handle(exchange);
        } catch (IOException | RuntimeException e) {
            // the server's thread would have closed the connection; here the webhook's own thread does
            System.err.println("webhook handling failed: " + e);
        } finally {
            exchange.close();
            count.decrementAndGet();
        }
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
