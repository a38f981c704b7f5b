package dev.botshift.plan;

/**
 * Notifications.
 *
 * @param webhookUrlEnv the name of the environment variable holding a Slack-compatible incoming-webhook URL
 *                      (the URL itself is a secret and never stored in the plan)
 */
public record NotifySpec(String webhookUrlEnv) {
}
