package dev.botshift.analysis.scrape;

/** What scraping the instances of one colour gave: counters, nothing to count, or no instance answering. */
public sealed interface BotReading {
    record Counted(BotCounters counters) implements BotReading { }

    record NoData(String why) implements BotReading { }

    record Unreachable(String why) implements BotReading { }
}
