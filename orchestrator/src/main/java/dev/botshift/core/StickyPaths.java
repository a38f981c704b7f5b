package dev.botshift.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code stickyBy} may say, the one rule for the plan's check and the router: a dotted JSON path to the field
 * that names a conversation ({@code $.message.chat.id}), several joined by {@code |} (the first one present in a
 * body counts), or {@value #TELEGRAM}: the chat of every kind of Telegram update. A Telegram update carries exactly
 * one kind (message, edited_message, callback_query, …), each with its chat in another place: with the first path
 * alone, a button press ({@code callback_query}) had no key, so it was split at random, not kept on its chat's
 * colour, and the judge left it out.
 */
public final class StickyPaths {
    /** The name that stands for {@link #TELEGRAM_PATHS}. */
    public static final String TELEGRAM = "telegram";
    /**
     * Where each kind of Telegram update names its conversation (Bot API {@code Update}): the chat, else for the kinds
     * that have none the user (in a private chat the same id). A {@code poll} update names neither.
     */
    public static final List<String> TELEGRAM_PATHS = List.of(
            "$.message.chat.id", "$.edited_message.chat.id", "$.channel_post.chat.id",
            "$.edited_channel_post.chat.id", "$.business_message.chat.id", "$.edited_business_message.chat.id",
            "$.deleted_business_messages.chat.id", "$.message_reaction.chat.id", "$.message_reaction_count.chat.id",
            "$.callback_query.message.chat.id", "$.callback_query.from.id", "$.inline_query.from.id",
            "$.chosen_inline_result.from.id", "$.shipping_query.from.id", "$.pre_checkout_query.from.id",
            "$.purchased_paid_media.from.id", "$.poll_answer.voter_chat.id", "$.poll_answer.user.id",
            "$.my_chat_member.chat.id", "$.chat_member.chat.id", "$.chat_join_request.chat.id",
            "$.chat_boost.chat.id", "$.removed_chat_boost.chat.id", "$.business_connection.user_chat_id");
    /** More alternatives than this is not a conversation key but a mistake (the Telegram list has 24). */
    static final int MAX_PATHS = 64;
    private static final Pattern DOTTED = Pattern.compile("\\$(\\.[A-Za-z_][A-Za-z0-9_-]*)+");

    private StickyPaths() {
    }

    /**
     * The member names of each path, from the root down, in the order written.
     *
     * @throws IllegalArgumentException saying what is wrong, for a message that names the field
     */
    public static List<List<String>> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be " + TELEGRAM + " or a dotted JSON path like $.message.chat.id");
        }
        List<String> paths = text.strip().equals(TELEGRAM) ? TELEGRAM_PATHS
                : List.of(text.split("\\|", -1)).stream().map(String::strip).toList();
        if (paths.size() > MAX_PATHS) {
            throw new IllegalArgumentException("at most " + MAX_PATHS + " paths joined by |, got " + paths.size());
        }
        List<List<String>> names = new ArrayList<>();
        for (String path : paths) {
            if (!DOTTED.matcher(path).matches()) {
                throw new IllegalArgumentException("must be " + TELEGRAM
                        + " or dotted JSON paths like $.message.chat.id joined by |, got: "
                        + (path.isEmpty() ? "an empty path" : path));
            }
            names.add(List.of(path.substring(2).split("\\.")));
        }
        return List.copyOf(names);
    }
}
