package dev.botshift.demo;

/** One chat of the simulated platform. At most one of its messages is unacknowledged at any time. */
final class ChatState {

    final long chatId;
    final long userId;
    private int messages;
    private String lastColour;

    ChatState(long chatId, long userId) {
        this.chatId = chatId;
        this.userId = userId;
    }

    /** The next message number of this chat (Telegram's {@code message_id}). */
    synchronized int nextMessageId() {
        return ++messages;
    }

    /** Records the colour that acknowledged the chat's latest message; true if it differs from the previous one. */
    synchronized boolean acknowledgedBy(String slot) {
        boolean switched = slot != null && lastColour != null && !lastColour.equals(slot);
        if (slot != null) {
            lastColour = slot;
        }
        return switched;
    }
}
