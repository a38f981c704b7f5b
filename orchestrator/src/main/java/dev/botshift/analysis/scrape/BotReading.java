package dev.botshift.analysis.scrape;

/**
 * What scraping the instances of one colour gave: counters, nothing to count, no instance answering, or instances
 * that answer but serve no bot counters at all (a bot without {@code /metrics}: docs/bot-contract.md).
 */
public sealed interface BotReading {
    record Counted(BotCounters counters) implements BotReading { }

    record NoData(String why) implements BotReading { }

    record Unreachable(String why) implements BotReading { }

    /**
     * Every instance that answered said there is nothing to scrape: {@code /metrics} answered 404, or has no
     * {@code bot_requests_total}. Unlike {@link NoData}, waiting will not change it.
     *
     * @param url the {@code /metrics} URL probed last
     * @param why what it answered
     */
    record NotExposed(String url, String why) implements BotReading { }
}
