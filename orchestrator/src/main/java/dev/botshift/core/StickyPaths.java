package dev.botshift.core;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What {@code stickyBy} may say, the one rule for the plan's check and the router: a dotted JSON path to the field
 * that names a conversation ({@code $.message.chat.id}, array elements by index: {@code $.entry[0].id}), several
 * joined by {@code |} (the first one present in a body counts), {@value #TELEGRAM}: the chat of every kind of
 * Telegram update, {@value #WHATSAPP}: the other party of a WhatsApp Cloud API webhook, or {@value #SLACK}: the
 * channel (else the user) of a Slack event, slash command or interaction. A Telegram update carries exactly
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
    /** The name that stands for {@link #WHATSAPP_PATHS}. */
    public static final String WHATSAPP = "whatsapp";
    /**
     * Where a WhatsApp Cloud API webhook names its conversation: the sender of a message, else the recipient of a
     * status (delivered, read), else the contact (Meta sends one change per webhook in practice).
     */
    public static final List<String> WHATSAPP_PATHS = List.of(
            "$.entry[0].changes[0].value.messages[0].from", "$.entry[0].changes[0].value.statuses[0].recipient_id",
            "$.entry[0].changes[0].value.contacts[0].wa_id");
    /** The name that stands for {@link #SLACK_PATHS}. */
    public static final String SLACK = "slack";
    /**
     * Where a Slack request names its conversation: the channel, else the user. The Events API posts JSON (a message's
     * {@code event.channel}, a reaction's {@code event.item.channel}, a channel event's {@code event.channel.id}); a
     * slash command is a form post ({@code channel_id}, {@code user_id}, one member deep, as a form's fields are
     * read); an interaction (a button, a menu, a modal) is a form post whose {@code payload} field is JSON
     * ({@code channel.id}, {@code container.channel_id}, a modal's {@code user.id}).
     */
    public static final List<String> SLACK_PATHS = List.of(
            "$.event.channel", "$.event.item.channel", "$.event.channel.id", "$.channel_id", "$.channel.id",
            "$.container.channel_id", "$.event.user", "$.user_id", "$.user.id");
    /** Members by name, each optionally followed by array indices ({@code $.entry[0].changes[0].value}). */
    private static final Pattern DOTTED =
            Pattern.compile("\\$(\\.[A-Za-z_][A-Za-z0-9_-]*(\\[[0-9]{1,4}])*)+");
    private static final Pattern ELEMENT = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[([0-9]{1,4})]");

    /** The platforms' names, as a refusal lists them. */
    private static final String NAMED = TELEGRAM + ", " + WHATSAPP + ", " + SLACK;

    private StickyPaths() {
    }

    /**
     * The member names of each path, from the root down, in the order written.
     *
     * @throws IllegalArgumentException saying what is wrong, for a message that names the field
     */
    public static List<List<String>> parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("must be " + NAMED + " or a dotted JSON path like $.message.chat.id");
        }
        String named = text.strip();
        List<String> paths = named.equals(TELEGRAM) ? TELEGRAM_PATHS : named.equals(WHATSAPP) ? WHATSAPP_PATHS
                : named.equals(SLACK) ? SLACK_PATHS : List.of(text.split("\\|", -1)).stream().map(String::strip).toList();
        if (paths.size() > MAX_PATHS) {
            throw new IllegalArgumentException("at most " + MAX_PATHS + " paths joined by |, got " + paths.size());
        }
        List<List<String>> names = new ArrayList<>();
        for (String path : paths) {
            if (!DOTTED.matcher(path).matches()) {
                throw new IllegalArgumentException("must be " + NAMED
                        + " or dotted JSON paths like $.message.chat.id (array elements: $.entry[0].id) joined by |,"
                        + " got: "
                        + (path.isEmpty() ? "an empty path" : path));
            }
            List<String> elements = new ArrayList<>();
            java.util.regex.Matcher m = ELEMENT.matcher(path.substring(1));
            while (m.find()) {
                elements.add(m.group(1) != null ? m.group(1) : index(Integer.parseInt(m.group(2))));
            }
            names.add(List.copyOf(elements));
        }
        return List.copyOf(names);
    }

    /** An array index as a path element: {@code [3]}, which no member name in a path can be. */
    public static String index(int i) {
        return "[" + i + "]";
    }

    /**
     * Whether a path element is an array index ({@link #index}) rather than a member's name: a name in a path starts
     * with a letter or {@code _}, so the first character tells (the router asks for every member it reads).
     */
    public static boolean isIndex(String element) {
        return !element.isEmpty() && element.charAt(0) == '[';
    }
}
