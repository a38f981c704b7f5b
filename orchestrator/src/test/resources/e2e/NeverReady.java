/**
 * A "bot" that starts and then never listens on its port: a release whose process runs but never becomes ready.
 * Run in Java's single-file source mode by NeverReadyIT's plan; SIGTERM ends it like any JVM.
 */
public class NeverReady {
    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
