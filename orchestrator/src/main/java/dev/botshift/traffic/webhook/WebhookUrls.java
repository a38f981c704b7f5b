package dev.botshift.traffic.webhook;

import dev.botshift.core.InvalidInputException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The two URLs of a webhook registration, checked before anything is sent. The Bot API must be reached over https:
 * the token travels in its URL, and the secret in the body. Plain http is accepted only for an API on this machine's
 * loopback (a local Bot API server, the tests' fake), and only then may the webhook URL be plain http too (Telegram
 * itself delivers to https URLs only).
 */
public final class WebhookUrls {
    private WebhookUrls() {
    }

    /** @throws InvalidInputException naming {@code --api-url} and the rule it breaks */
    public static URI apiUrl(String text) {
        URI uri = parse("--api-url", text);
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new InvalidInputException("--api-url: must be a base URL without query or fragment, got " + text);
        }
        if (uri.getScheme().equalsIgnoreCase("http") && !loopback(uri.getHost())) {
            throw new InvalidInputException("--api-url: must be https:// (the bot token travels in the URL); plain"
                    + " http only for an API on this machine's loopback, got " + text);
        }
        return uri;
    }

    /** @throws InvalidInputException naming {@code --url} and the rule it breaks */
    public static URI webhookUrl(String text, URI apiUrl) {
        URI uri = parse("--url", text);
        if (uri.getFragment() != null) {
            throw new InvalidInputException("--url: must have no fragment (#...), got " + text);
        }
        if (uri.getScheme().equalsIgnoreCase("http") && !apiUrl.getScheme().equalsIgnoreCase("http")) {
            throw new InvalidInputException("--url: must be https:// (Telegram delivers webhooks over https only),"
                    + " got " + text);
        }
        int port = uri.getPort() < 0 ? (uri.getScheme().equalsIgnoreCase("https") ? 443 : 80) : uri.getPort();
        if (TELEGRAM_HOST.equalsIgnoreCase(apiUrl.getHost()) && !TELEGRAM_PORTS.contains(port)) {
            throw new InvalidInputException("--url: Telegram delivers webhooks to ports 443, 80, 88 and 8443 only, got"
                    + " port " + port + " (a self-hosted Bot API server, --api-url, takes any)");
        }
        return uri;
    }

    /** Telegram's own Bot API; a self-hosted Bot API server delivers to any port. */
    private static final String TELEGRAM_HOST = "api.telegram.org";
    /** The ports Telegram's setWebhook accepts. */
    private static final java.util.Set<Integer> TELEGRAM_PORTS = java.util.Set.of(443, 80, 88, 8443);

    private static URI parse(String option, String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new InvalidInputException(option + ": not a URL (" + e.getReason() + "), got " + text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw new InvalidInputException(option + ": must be an absolute https:// URL with a host, got " + text);
        }
        if (uri.getUserInfo() != null) {
            throw new InvalidInputException(option + ": must not carry user info (user:password@), got a URL with it");
        }
        return uri;
    }

    private static boolean loopback(String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (bare.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!bare.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: not resolved here (a DNS answer is not proof of loopback)
        }
        try {
            return InetAddress.getByName(bare).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
