package dev.botshift.traffic.polling;

/**
 * One update as {@code getUpdates} returned it: its id and its JSON, which a bot receives as the body a
 * webhook would have carried).
 *
 * @param id   {@code update_id}
 * @param json the update object
 */
public record TelegramUpdate(long id, byte[] json) {
}
