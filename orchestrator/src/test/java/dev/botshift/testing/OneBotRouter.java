package dev.botshift.testing;

import dev.botshift.core.Slot;
import dev.botshift.core.Weights;
import dev.botshift.traffic.router.AdminToken;
import dev.botshift.traffic.router.FileRouterConfigSource;
import dev.botshift.traffic.router.RouterConfig;
import dev.botshift.traffic.router.RouterServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real router, in this JVM, that sends every webhook to one bot: for tests of what passes between them. */
public final class OneBotRouter {
    private OneBotRouter() {
    }

    /** Not started (a test may still set its options); its config file in {@code dir}, sticky on the chat id. */
    public static RouterServer to(URI bot, Path dir) {
        FileRouterConfigSource source = FileRouterConfigSource.open(dir.resolve("router.json"), Duration.ofMillis(50));
        source.store(new RouterConfig(Weights.allTo(Slot.A), Map.of(Slot.A, List.of(bot)), "$.message.chat.id"));
        return new RouterServer(source, 0, 0, RouterServer.Guards.local(AdminToken.generate()));
    }
}
