package dev.botshift.analysis.scrape;

/**
 * A bot's own counters, summed over the instances of a colour.
 *
 * @param requests        {@code bot_requests_total}, every outcome
 * @param handlerErrors   {@code bot_handler_errors_total}, every {@code answered} value
 * @param answeredOkErrors {@code bot_handler_errors_total{answered="2xx"}}: failures the bot hid behind a 200
 */
public record BotCounters(long requests, long handlerErrors, long answeredOkErrors) {
    public static final BotCounters ZERO = new BotCounters(0, 0, 0);

    public BotCounters plus(BotCounters other) {
        return new BotCounters(requests + other.requests, handlerErrors + other.handlerErrors,
                answeredOkErrors + other.answeredOkErrors);
    }

    /** Whether any counter went down, i.e. the instance restarted between two readings. */
    boolean isResetFrom(BotCounters earlier) {
        return requests < earlier.requests || handlerErrors < earlier.handlerErrors
                || answeredOkErrors < earlier.answeredOkErrors;
    }
}
