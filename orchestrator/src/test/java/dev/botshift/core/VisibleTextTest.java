package dev.botshift.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text from outside is shown, never run: its control characters written out, a message's layout kept. */
class VisibleTextTest {
    @Test
    void aMessageKeepsItsLinesAndTabsAndShowsEveryOtherControlCharacter() {
        assertThat(VisibleText.of("plan.yaml:5:1: release: 'x\u001b[2J'\n\tnext line\r\u0007"))
                .isEqualTo("plan.yaml:5:1: release: 'x\\u001B[2J'\n\tnext line\\u000D\\u0007");
    }

    @Test
    void aQuotedValueShowsItsLineBreaksToo() {
        assertThat(VisibleText.quoted("a\nb\tc\u009b")).isEqualTo("a\\u000Ab\\u0009c\\u009B");
        assertThat(VisibleText.quoted("émoji 🙂 ok")).as("printable text untouched").isEqualTo("émoji 🙂 ok");
    }

    @Test
    void aLongValueIsCutWhereItIsQuoted() {
        assertThat(VisibleText.quoted("x".repeat(2_000_000), 80)).isEqualTo("x".repeat(80) + "…");
        assertThat(VisibleText.quoted("🙂".repeat(81), 80)).as("by characters, never inside one")
                .isEqualTo("🙂".repeat(80) + "…");
        assertThat(VisibleText.quoted("a\u0007b", 80)).as("short: whole, escaped").isEqualTo("a\\u0007b");
    }

    @Test
    void aCutKeepsTheTextAsItIsAndNeverSplitsACharacter() {
        // a cause of 999 characters and two emoji: cutting at 1,000 UTF-16 units kept half of the first
        assertThat(VisibleText.cut("x".repeat(999) + "🙂🙂", 1_000)).isEqualTo("x".repeat(999) + "🙂…");
        assertThat(VisibleText.cut("line\nnext", 9)).as("exactly max: whole, unescaped").isEqualTo("line\nnext");
        assertThat(VisibleText.cut("line\nnext", 4)).isEqualTo("line…");
        assertThat(VisibleText.cut(null, 4)).isNull();
    }
}
