package dev.botshift.os;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A fresh SHA-256 digest: the one place that turns the JDK's checked "no such algorithm" into what it is, a bug. */
public final class Sha256 {
    private Sha256() {
    }

    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
