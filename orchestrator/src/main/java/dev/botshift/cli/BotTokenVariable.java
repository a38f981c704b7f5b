package dev.botshift.cli;

import dev.botshift.core.InvalidInputException;
import java.util.Map;

/** The bot token, read from the environment variable an option names: never from an argument. */
final class BotTokenVariable {
    private BotTokenVariable() {
    }

    /** @throws InvalidInputException naming {@code option} and the variable (never its value) when it is unset or empty */
    static String read(String option, String variable, Map<String, String> environment) {
        String token = environment.get(variable);
        if (token == null || token.isBlank()) {
            throw new InvalidInputException(option + ": environment variable " + variable
                    + (token == null ? " is not set" : " is empty") + " (it holds the bot token)");
        }
        return token;
    }
}
