package dev.botshift.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class NetworkFailuresTest {
    @Test
    void theCausesInWords() {
        assertThat(NetworkFailures.why(new ConnectException())).isEqualTo("connection refused");
        assertThat(NetworkFailures.why(new UnknownHostException("db.invalid"))).isEqualTo("unknown host");
        assertThat(NetworkFailures.why(new IOException(new UnknownHostException("db.invalid"))))
                .isEqualTo("unknown host");
        assertThat(NetworkFailures.why(new HttpTimeoutException("request timed out"))).isEqualTo("timed out");
        assertThat(NetworkFailures.why(new SSLHandshakeException("PKIX path building failed")))
                .isEqualTo("TLS failed: PKIX path building failed");
        assertThat(NetworkFailures.why(new IOException("closed by peer"))).isEqualTo("closed by peer");
        assertThat(NetworkFailures.why(new IOException())).isEqualTo("IOException");
    }
}
