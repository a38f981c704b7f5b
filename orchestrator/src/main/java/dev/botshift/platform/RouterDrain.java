package dev.botshift.platform;

import dev.botshift.core.DurationText;
import dev.botshift.core.Slot;
import dev.botshift.traffic.router.BotshiftRouterClient;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A colour the router sends nothing new to is drained (SIGTERM) only once the webhooks in flight to it are answered:
 * a bot that exits at once on SIGTERM (Python's default), or that closes its server with a webhook read and not yet
 * handled, breaks each one off, a 502 counted against the colour (GreenInstanceKilledIT on a loaded machine,
 * 2026-12-08: a rollback's stop of green broke off up to 8). On Kubernetes the bot template's preStop sleep plays this
 * part (the pod leaves its Service's endpoints while it sleeps). A colour that still has traffic (a first release's
 * rollback) is never without webhooks in flight, so it is drained at once, as before.
 */
final class RouterDrain {
    private RouterDrain() {
    }

    /**
     * @param who    how progress names what stops ({@code "<app> <version>"})
     * @param within how long the webhooks get: the drain timeout, the time a colour's work under way gets when it is
     *               stopped (a green that answers nothing would otherwise hold its rollback up to the router's answer
     *               timeout, its webhooks' redelivery with it)
     */
    static void awaitAnswered(BotshiftRouterClient router, Slot slot, String who, Duration within,
                              Consumer<String> progress) {
        try {
            if (router.config().weights().of(slot) != 0) {
                return;
            }
            long inFlight = router.stats().of(slot).inFlight();
            if (inFlight == 0) {
                return;
            }
            progress.accept(who + ": " + inFlight + " webhook(s) in flight to it; draining once they are answered (up to "
                    + DurationText.spoken(within) + ")");
            long left = router.awaitAnswered(slot, within);
            if (left > 0) {
                progress.accept(who + ": " + left + " webhook(s) still in flight after "
                        + DurationText.spoken(within) + "; draining now");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the router is the guard's to bring back; the stop does not wait for it
            progress.accept(who + ": the router could not say what is in flight (" + e.getMessage() + "); draining now");
        }
    }
}
